package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class AuditCommandTest {
    private static final String SECRET = "S3cret-Pw-42";

    @Test
    void cleanDatabaseExitsZeroWithPerTableCountsAndCleanVerdict(ProvisionedDatabase db) {
        ResumeReviewDb lib = ResumeReviewDb.create(db.dataSource());
        User user = lib.users().create(TestUsers.newUser());
        lib.fileUploads().create(TestUploads.pdf(user.id()));

        Cli.Run run = Cli.run("audit", "--url", Cli.url(db));

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).startsWith("Audit of " + db.jdbcUrl() + " (read-only")
                .containsSubsequence("  table                   rows read     failed",
                        "  users                           1          0",
                        "  file_uploads                    1          0",
                        "  prompts                         3          0",
                        "  total                           5          0")
                .endsWith("verdict: CLEAN - all 5 rows of 8 tables read into the domain model\n");
        assertThat(run.err()).contains("users: done, 1 rows read", "schema_migrations: done, 0 rows read");
    }

    @Test
    void unmappableRowExitsOneNamingItsTableKeyAndValue(ProvisionedDatabase db) throws SQLException {
        VerifyCommandTest.execute(db, "ALTER TABLE users DROP CONSTRAINT users_role_check, ADD CONSTRAINT"
                + " users_role_check CHECK (role IN ('consultant', 'admin', 'reviewer'))");
        VerifyCommandTest.execute(db, "INSERT INTO users (id, email, password_hash, first_name, last_name, role)"
                + " VALUES ('00000000-0000-4000-8000-00000000000a', 'r@example.com', '" + TestUsers.PASSWORD_HASH + "',"
                + " 'Rita', 'Review', 'reviewer')");

        Cli.Run run = Cli.run("audit", "--url", Cli.url(db));

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.FINDING);
        assertThat(run.out()).contains("  users                           1          1",
                "users 00000000-0000-4000-8000-00000000000a: IllegalArgumentException: users.role: 'reviewer' is not"
                        + " one of consultant, admin")
                .endsWith("verdict: FAILED - 1 of 4 rows cannot be read by the library\n");
    }

    @Test
    void jsonFormatPutsOnlyTheReportOnStdout(ProvisionedDatabase db) throws Exception {
        VerifyCommandTest.execute(db, "ALTER TABLE users DROP CONSTRAINT users_role_check");
        VerifyCommandTest.execute(db, "INSERT INTO users (email, password_hash, first_name, last_name, role)"
                + " VALUES ('r@example.com', 'h', 'R', 'R', 'reviewer')");

        Cli.Run run = Cli.run("audit", "--url", Cli.url(db), "--format", "json");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.FINDING);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("clean").asBoolean(true)).isFalse();
        assertThat(json.path("failedRows").asLong()).isEqualTo(1);
        assertThat(json.path("database").asText()).isEqualTo(db.jdbcUrl());
        assertThat(json.path("tables").get(0).path("table").asText()).isEqualTo("users");
        assertThat(json.path("tables").get(0).path("failures").get(0).path("reason").asText()).contains("'reviewer'");
        assertThat(run.err()).contains("users: done, 1 rows read, 1 failed");
    }

    @Test
    void progressLinesComeEveryNRowsOnStderr(ProvisionedDatabase db) {
        ResumeReviewDb lib = ResumeReviewDb.create(db.dataSource());
        User user = lib.users().create(TestUsers.newUser());
        lib.fileUploads().createAll(TestUploads.many(user.id(), 250));

        Cli.Run run = Cli.run("audit", "--url", Cli.url(db), "--progress-every", "100");

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.err()).containsSubsequence("file_uploads: 100 rows read", "file_uploads: 200 rows read",
                "file_uploads: done, 250 rows read");
        assertThat(run.out()).doesNotContain("rows read\n");
    }

    @Test
    void passwordAppearsNowhere(ProvisionedDatabase db) {
        Cli.Run answers = Cli.run("audit", "--url", Cli.url(db, SECRET));
        Cli.Run env = Cli.run(Map.of("PGPASSWORD", SECRET), "audit", "--url", Cli.url(db), "--format", "json");
        Cli.Run unreachable = Cli.run("audit", "--url", "postgresql://app:" + SECRET + "@127.0.0.1:1/prod");

        assertThat(answers.exitCode()).as("%s", answers).isZero();
        assertThat(env.exitCode()).as("%s", env).isZero();
        assertThat(unreachable.exitCode()).isEqualTo(Main.ERROR);
        assertThat(unreachable.err()).isEqualTo("error: cannot connect to jdbc:postgresql://127.0.0.1:1/prod:"
                + " Connection refused\n");
        for (Cli.Run run : new Cli.Run[] {answers, env, unreachable}) {
            assertThat(run.all()).as("%s", run).doesNotContain(SECRET);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(Cli.run("audit").err()).isEqualTo("error: Missing required option: '--url=URL'"
                + " (see resume-review-db audit --help)\n");
        Cli.Run list = Cli.run("audit", "--url", "jdbc:postgresql://127.0.0.1:1/x", "--list", "-1");
        assertThat(list.exitCode()).isEqualTo(Main.ERROR);
        assertThat(list.err()).startsWith("error: --list must be 0..10000").hasLineCount(1);
        assertThat(Cli.run("audit", "--url", "jdbc:postgresql://h/db", "--format", "xml").exitCode())
                .isEqualTo(Main.ERROR);
    }

    @Test
    void helpNamesTheExitCodes() {
        Cli.Run run = Cli.run("audit", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: resume-review-db audit", "--format", "--list", "--progress-every",
                "Exit codes:", "  0   every row reads", "  1   at least one row cannot be mapped", "  2   usage error");
        assertThat(Cli.run("--help").out()).contains("audit", "demo");
    }
}
