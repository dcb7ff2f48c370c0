package com.airesumereview.examples.cvservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;

/** The service over HTTP, on a snapshot database of production's schema. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CvServiceHttpTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SnapshotDatabaseProperties.register(registry);
    }

    @Autowired
    TestRestTemplate http;

    @Autowired
    JdbcTemplate jdbc;

    private static String email() {
        return "ada-" + UUID.randomUUID() + "@example.com";
    }

    private ResponseEntity<Map> register(String email, String password) {
        return http.postForEntity("/users", Map.of("email", email, "password", password, "firstName", "Ada",
                "lastName", "Lovelace"), Map.class);
    }

    private ResponseEntity<Map> login(String email, String password) {
        return http.postForEntity("/sessions", Map.of("email", email, "password", password), Map.class);
    }

    @Test
    void registersLogsInAndRefreshesTheSession() {
        String email = email();
        assertThat(register(email, "correct horse").getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(register(email.toUpperCase(), "again").getStatusCode()).as("same email in another case")
                .isEqualTo(HttpStatus.CONFLICT);

        ResponseEntity<Map> session = login(email, "correct horse");
        assertThat(session.getStatusCode()).isEqualTo(HttpStatus.OK);
        String token = (String) session.getBody().get("refreshToken");

        ResponseEntity<Map> refreshed = http.postForEntity("/sessions/refresh", Map.of("refreshToken", token), Map.class);
        assertThat(refreshed.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(refreshed.getBody().get("refreshToken")).isNotEqualTo(token);
        assertThat(http.postForEntity("/sessions/refresh", Map.of("refreshToken", token), Map.class).getStatusCode())
                .as("the replaced token").isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void theFifthWrongPasswordLocksTheAccountAndTheRightOneIsThenRefused() {
        String email = email();
        register(email, "correct horse");
        for (int i = 1; i <= 4; i++) {
            assertThat(login(email, "wrong " + i).getStatusCode()).as("attempt %d", i).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        ResponseEntity<Map> fifth = login(email, "wrong 5");
        assertThat(fifth.getStatusCode()).isEqualTo(HttpStatus.LOCKED);
        assertThat(fifth.getBody()).containsKey("lockedUntil");
        assertThat(login(email, "correct horse").getStatusCode()).isEqualTo(HttpStatus.LOCKED);
        assertThat(jdbc.queryForObject("select failed_login_attempts from users where email = ?", Integer.class, email))
                .isEqualTo(5);
    }

    @Test
    void uploadsAResumeAndRequestsItsAnalysis() {
        String userId = (String) register(email(), "correct horse").getBody().get("id");
        LinkedMultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        HttpHeaders part = new HttpHeaders();
        part.setContentType(MediaType.APPLICATION_PDF);
        form.add("file", new HttpEntity<>(new ByteArrayResource("%PDF-1.7 Ada Lovelace".getBytes()) {
            @Override
            public String getFilename() {
                return "ada.pdf";
            }
        }, part));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        ResponseEntity<Map> upload = http.postForEntity("/users/" + userId + "/uploads", new HttpEntity<>(form, headers),
                Map.class);
        assertThat(upload.getStatusCode()).as("%s", upload.getBody()).isEqualTo(HttpStatus.CREATED);
        assertThat(upload.getBody()).containsEntry("status", "pending");

        ResponseEntity<Map> analysis = http.postForEntity("/users/" + userId + "/analyses", Map.of(
                "uploadId", upload.getBody().get("id"), "targetRole", "Engineer", "industry", "Software",
                "experienceLevel", "senior"), Map.class);
        assertThat(analysis.getStatusCode()).as("%s", analysis.getBody()).isEqualTo(HttpStatus.CREATED);
        assertThat(analysis.getBody()).containsEntry("status", "pending");
        assertThat(jdbc.queryForObject("select count(*) from analysis_requests where user_id = ?::uuid",
                Integer.class, userId)).isEqualTo(1);
    }

    @Test
    void healthShowsTheLibrarysComponentAndMetricsListItsMeters() {
        register(email(), "correct horse");   // one library operation, so its timer exists

        JsonNode health = http.getForObject("/actuator/health", JsonNode.class);
        JsonNode component = health.at("/components/resumeReviewDb");
        assertThat(component.at("/status").asText()).as("%s", health).isEqualTo("UP");
        assertThat(component.at("/details/schema").asText()).isEqualTo("MATCHES");
        assertThat(component.at("/details/latencyMs").isNumber()).isTrue();
        assertThat(component.at("/details/replicas").isObject()).isTrue();

        List<String> names = new ArrayList<>();
        http.getForObject("/actuator/metrics", JsonNode.class).get("names").forEach(n -> names.add(n.asText()));
        assertThat(names).contains("resume_review_db.operation");
        ResponseEntity<Map> timer = http.getForEntity("/actuator/metrics/resume_review_db.operation", Map.class);
        assertThat(timer.getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
