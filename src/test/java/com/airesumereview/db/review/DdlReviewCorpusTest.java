package com.airesumereview.db.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.testing.ProjectLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the corpus in {@code src/test/resources/ddl-review/} carries its expected verdict in its first
 * lines ({@code -- expect exit:}, {@code -- expect hazards:} the exact set of hazard kinds, {@code -- expect
 * mentions:} texts the report or the error must contain, separated by {@code |}); the review must give exactly that.
 */
class DdlReviewCorpusTest {
    private static PostgresProvisioner postgres;

    @BeforeAll
    static void provision() {
        postgres = PostgresProvisioner.start();
    }

    @AfterAll
    static void release() {
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<String> corpus() throws IOException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".sql")).sorted().toList().stream();
        }
    }

    private static Path corpusDir() {
        return ProjectLayout.projectDir().resolve("src/test/resources/ddl-review");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachChangeGetsItsExpectedVerdict(String file) throws IOException {
        String sql = Files.readString(corpusDir().resolve(file), StandardCharsets.UTF_8);
        int expectedExit = Integer.parseInt(expectation(sql, "exit"));
        List<String> expectedHazards = split(expectation(sql, "hazards"), ",");
        List<String> mentions = split(expectation(sql, "mentions"), "\\|");

        int exit;
        String text;
        List<String> hazards = List.of();
        try {
            ReviewReport report = DdlReviewer.on(postgres).review(DdlScript.parse(file, sql), null);
            exit = report.breaking() || report.blocking() ? 1 : 0;
            text = report.render();
            hazards = report.hazards().stream().map(ReviewReport.Hazard::kind).toList();
        } catch (ReviewException e) {
            exit = 2;
            text = e.getMessage();
        }

        assertThat(exit).as("exit code for %s; report:%n%s", file, text).isEqualTo(expectedExit);
        assertThat(hazards).as("hazard kinds for %s; report:%n%s", file, text)
                .containsExactlyInAnyOrderElementsOf(expectedHazards);
        assertThat(text).as("report for %s", file).contains(mentions);
    }

    @Test
    void theRoleRewriteNamesTheEnumTheVanishingValueItsWritersAndTheCsvRow() throws IOException {
        String sql = Files.readString(corpusDir().resolve("role-vocabulary-rewrite.sql"), StandardCharsets.UTF_8);

        ReviewReport report = DdlReviewer.on(postgres).review(DdlScript.parse("role.sql", sql), null);

        assertThat(report.breaking()).isTrue();
        ReviewReport.Change check = report.changes().stream()
                .filter(c -> c.name().equals("users.users_role_check")).findFirst().orElseThrow();
        assertThat(check.vocabulary().enumName()).isEqualTo("com.airesumereview.db.generated.vocabulary.UserRole");
        assertThat(check.vocabulary().removed()).containsExactly("consultant");
        assertThat(check.vocabulary().added()).containsExactly("junior_recruiter", "senior_recruiter");
        assertThat(check.vocabulary().renamed()).containsEntry("consultant", List.of("senior_recruiter", "junior_recruiter"));
        assertThat(check.writtenBy()).containsExactly("users.changeRole", "users.create");
        assertThat(check.fieldMapping()).singleElement().asString().contains("User,role,users,role,direct");
        assertThat(report.dataRewrites()).singleElement().satisfies(r -> {
            assertThat(r.disappearing()).containsExactly("consultant");
            assertThat(r.breaking()).isTrue();
        });
    }

    @Test
    void droppingAnIndexNamesTheQueriesThatSearchedIt() {
        ReviewReport report = DdlReviewer.on(postgres).review(DdlScript.parse("drop.sql",
                "SET lock_timeout = '5s';\nDROP INDEX CONCURRENTLY idx_refresh_tokens_session_id;"), null);

        assertThat(report.changes()).singleElement().satisfies(c ->
                assertThat(c.queriesUsingIndex()).contains("refreshTokens.findBySessionId"));
        assertThat(report.plans()).extracting(ReviewReport.PlanChange::method).contains("refreshTokens.findBySessionId");
    }

    @Test
    void sizesFromTheLiveDatabaseAreQuotedWithEachHazard() {
        TableSizes sizes = new TableSizes("prod", java.util.Map.of("users", new TableSizes.Size(217, 180_224)));

        ReviewReport report = DdlReviewer.on(postgres).review(DdlScript.parse("idx.sql",
                "CREATE INDEX idx_users_last_login ON users (last_login_at);"), sizes);

        assertThat(report.hazards()).filteredOn(h -> h.kind().equals("INDEX_WITHOUT_CONCURRENTLY")).singleElement()
                .satisfies(h -> {
                    assertThat(h.rows()).isEqualTo(217L);
                    assertThat(h.bytes()).isEqualTo(180_224L);
                });
        assertThat(report.render()).contains("~217 rows, 176 kB");
    }

    private static String expectation(String sql, String key) {
        String prefix = "-- expect " + key + ":";
        return sql.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("corpus file lacks '" + prefix + "'")).substring(prefix.length())
                .strip();
    }

    private static List<String> split(String value, String separator) {
        return value.isBlank() ? List.of() : Arrays.stream(value.split(separator)).map(String::strip).toList();
    }
}
