package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.ProjectLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code review} through the command line, as a CI job runs it: exit codes, text and JSON. The throwaway database is
 * created on the server named by RESUME_REVIEW_DB_SERVER_URL when it is set (through --server), else on embedded
 * PostgreSQL.
 */
class ReviewCommandTest {
    private static PostgresProvisioner postgres;
    private static ProvisionedDatabase live;

    @BeforeAll
    static void provision() {
        postgres = PostgresProvisioner.start();
        live = postgres.createSnapshotDatabase();
    }

    @AfterAll
    static void release() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static Cli.Run review(String... args) {
        List<String> all = new ArrayList<>(List.of("review"));
        all.addAll(List.of(args));
        String server = System.getenv("RESUME_REVIEW_DB_SERVER_URL");
        if (server != null && !server.isBlank()) {
            all.addAll(List.of("--server", server));
        }
        return Cli.run(all.toArray(String[]::new));
    }

    private static String corpus(String file) {
        return ProjectLayout.projectDir().resolve("src/test/resources/ddl-review").resolve(file).toString();
    }

    @Test
    void theRoleRewriteExitsOneNamingTheEnumTheValueTheWritersAndTheCsvRow() {
        Cli.Run run = review("--ddl", corpus("role-vocabulary-rewrite.sql"));

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.FINDING);
        assertThat(run.out()).contains("BREAKING   CONSTRAINT users.users_role_check",
                "enum com.airesumereview.db.generated.vocabulary.UserRole: [consultant, admin] ->",
                "removed consultant", "values that disappear: consultant",
                "written by: users.changeRole, users.create",
                "field-mapping.csv line 7: User,role,users,role,direct,enum UserRole from users_role_check",
                "What to do next");
    }

    @Test
    void jsonCarriesEveryVerdictFieldAndTheLiveTableSizes() throws Exception {
        Cli.Run run = review("--ddl", corpus("hazard-index-without-concurrently.sql"), "--format", "json",
                "--url", Cli.url(live));

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.FINDING);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.fieldNames()).toIterable().contains("file", "statements", "breaking", "blocking", "verdict",
                "changes", "dataRewrites", "plans", "hazards", "sizesFrom", "nextSteps");
        assertThat(json.get("blocking").asBoolean()).isTrue();
        assertThat(json.get("breaking").asBoolean()).isFalse();
        JsonNode hazard = json.get("hazards").get(0);
        assertThat(hazard.get("kind").asText()).isEqualTo("INDEX_WITHOUT_CONCURRENTLY");
        assertThat(hazard.get("table").asText()).isEqualTo("users");
        assertThat(hazard.get("bytes").asLong()).as("pg_total_relation_size of the live users table").isPositive();
        assertThat(hazard.get("saferForm").asText()).contains("CREATE INDEX CONCURRENTLY");
        assertThat(json.get("sizesFrom").asText()).contains(live.name());
    }

    @Test
    void aPurelyAdditiveChangeExitsZero() {
        Cli.Run run = review("--ddl", corpus("additive-nullable-column.sql"));

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.OK);
        assertThat(run.out()).contains("SAFE: 1 change (0 breaking), 0 hazards");
    }

    @Test
    void aStatementPostgresqlRejectsExitsTwoNamingStatementAndLine() {
        Cli.Run run = review("--ddl", corpus("add-constraint-if-not-exists.sql"));

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.ERROR);
        assertThat(run.err()).contains("error: add-constraint-if-not-exists.sql: statement 2 (line 7)",
                "ADD CONSTRAINT IF NOT EXISTS", "syntax error at or near \"NOT\"");
        assertThat(run.all()).doesNotContain("Exception", "\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badInputExitsTwoWithAClearMessage(@TempDir Path dir) throws Exception {
        Path binary = dir.resolve("change.sql");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});

        Cli.Run empty = review("--ddl", corpus("empty.sql"));
        Cli.Run notText = review("--ddl", binary.toString());
        Cli.Run missing = review("--ddl", dir.resolve("nowhere.sql").toString());

        assertThat(empty.exitCode()).isEqualTo(Main.ERROR);
        assertThat(empty.err()).contains("empty.sql holds no SQL statement");
        assertThat(notText.exitCode()).isEqualTo(Main.ERROR);
        assertThat(notText.err()).contains("is not SQL text");
        assertThat(missing.exitCode()).isEqualTo(Main.ERROR);
        assertThat(missing.err()).contains("--ddl:", "is not a readable file");
    }
}
