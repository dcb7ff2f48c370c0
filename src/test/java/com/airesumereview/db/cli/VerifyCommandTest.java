package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class VerifyCommandTest {
    private static final String SECRET = "S3cret-Pw-42";

    @Test
    void snapshotCopyExitsZeroWithMatchesVerdict(ProvisionedDatabase db) {
        Cli.Run run = Cli.run("verify", "--url", Cli.url(db));

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out()).endsWith("verdict: MATCHES - " + db.jdbcUrl() + " matches the bundled snapshot\n");
        assertThat(run.err()).contains("connected to " + db.jdbcUrl());
    }

    @Test
    void driftedDatabaseExitsOneWithBreakingChangesAndAdditionsInSeparateSections(ProvisionedDatabase db)
            throws SQLException {
        execute(db, "ALTER TABLE public.users ALTER COLUMN email TYPE text",
                "ALTER TABLE public.prompts ADD COLUMN locale varchar(10)");

        Cli.Run run = Cli.run("verify", "--url", db.jdbcUrl(), "--user", "postgres");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.FINDING);
        assertThat(run.out()).containsSubsequence("Breaking changes (1)", "  column:",
                "    users.email type: snapshot expects 'character varying(255)', database has 'text'",
                "Additions (1)", "  column:", "    prompts.locale added: snapshot has none, database has",
                "verdict: BREAKING - 1 breaking, 0 compatible changes, 1 addition");
    }

    @Test
    void failOnBreakingExitsZeroWhenTheDatabaseOnlyHasAdditions(ProvisionedDatabase db) throws SQLException {
        execute(db, "ALTER TABLE public.prompts ADD COLUMN locale varchar(10)");

        Cli.Run any = Cli.run("verify", "--url", Cli.url(db));
        Cli.Run breaking = Cli.run("verify", "--url", Cli.url(db), "--fail-on", "breaking");

        assertThat(any.exitCode()).as("%s", any).isEqualTo(Main.FINDING);
        assertThat(breaking.exitCode()).as("%s", breaking).isZero();
        assertThat(breaking.out()).contains("verdict: COMPATIBLE");
    }

    @Test
    void jsonFormatPutsOnlyJsonOnStdout(ProvisionedDatabase db) throws Exception {
        execute(db, "ALTER TABLE public.users ALTER COLUMN email TYPE text");

        Cli.Run run = Cli.run("verify", "--url", Cli.url(db), "--format", "json");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.FINDING);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("verdict").asText()).isEqualTo("BREAKING");
        assertThat(json.path("database").asText()).isEqualTo(db.jdbcUrl());
        assertThat(json.path("differences").get(0).path("name").asText()).isEqualTo("users.email");
        assertThat(json.path("differences").get(0).path("impact").asText()).isEqualTo("BREAKING");
        assertThat(run.err()).as("progress goes to stderr").isNotBlank();
    }

    @Test
    void unreachableServerGivesOneLineErrorAndExitTwo() {
        Cli.Run run = Cli.run("verify", "--url", "jdbc:postgresql://127.0.0.1:1/x");

        assertThat(run.exitCode()).isEqualTo(Main.ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: cannot connect to jdbc:postgresql://127.0.0.1:1/x: Connection refused\n");
    }

    @Test
    void wrongArgumentsGiveOneLineErrorAndExitTwo() {
        assertThat(Cli.run("verify")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(Main.ERROR);
            assertThat(run.err()).isEqualTo("error: Missing required option: '--url=URL'"
                    + " (see resume-review-db verify --help)\n");
        });
        assertThat(Cli.run("verify", "--url", "mysql://h/db")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(Main.ERROR);
            assertThat(run.err()).startsWith("error: database URL must start with").hasLineCount(1);
        });
        assertThat(Cli.run("verify", "--url", "jdbc:postgresql://h/db", "--format", "xml")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(Main.ERROR);
            assertThat(run.err()).contains("--format").hasLineCount(1);
        });
        assertThat(Cli.run("frobnicate")).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(Main.ERROR);
            assertThat(run.err()).hasLineCount(1);
        });
    }

    @Test
    void passwordAppearsNowhereWhenTheServerIsUnreachable() {
        Cli.Run inUrl = Cli.run("verify", "--url", "postgresql://app:" + SECRET + "@127.0.0.1:1/prod");
        Cli.Run inQuery = Cli.run("verify", "--url", "jdbc:postgresql://127.0.0.1:1/prod?user=app&password=" + SECRET);
        Cli.Run option = Cli.run("verify", "--url", "postgresql://app@127.0.0.1:1/prod", "--password", SECRET);
        Cli.Run env = Cli.run(Map.of("PGPASSWORD", SECRET), "verify", "--url", "postgresql://app@127.0.0.1:1/prod");
        Cli.Run misspelt = Cli.run("verify", "--url", "postgresql://app@127.0.0.1:1/prod", "--pasword", SECRET);
        Cli.Run misspeltJoined = Cli.run("snapshot", "--url", "postgresql://app@127.0.0.1:1/prod",
                "--pasword=" + SECRET, "--out", "x.sql");

        for (Cli.Run run : new Cli.Run[] {inUrl, inQuery, option, env, misspelt, misspeltJoined}) {
            assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.ERROR);
            assertThat(run.all()).as("%s", run).doesNotContain(SECRET).hasLineCount(1);
        }
        assertThat(misspelt.err()).contains("unknown option '--pasword'");
    }

    @Test
    void passwordAppearsNowhereWhenTheServerAnswers(ProvisionedDatabase db) throws SQLException {
        execute(db, "ALTER TABLE public.prompts ADD COLUMN locale varchar(10)");

        Cli.Run text = Cli.run("verify", "--url", Cli.url(db, SECRET));
        Cli.Run json = Cli.run(Map.of("PGPASSWORD", SECRET), "verify", "--url", Cli.url(db), "--format", "json");
        Cli.Run option = Cli.run("verify", "--url", Cli.url(db), "--password", SECRET);

        for (Cli.Run run : new Cli.Run[] {text, json, option}) {
            assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.FINDING);
            assertThat(run.all()).as("%s", run).contains("prompts.locale").doesNotContain(SECRET);
        }
    }

    @Test
    void everyCommandHasHelpNamingItsExitCodes() {
        for (String command : new String[] {"verify", "snapshot", "codegen"}) {
            Cli.Run run = Cli.run(command, "--help");
            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.out()).as(command).contains("Usage: resume-review-db " + command, "Exit codes:",
                    "  0   ", "  2   usage error");
        }
        assertThat(Cli.run("verify", "--help").out()).contains("  1   differences found", "additions");
        assertThat(Cli.run("--help").out()).contains("verify", "snapshot", "codegen", "Exit codes");
    }

    @Test
    void versionNamesTheLibrary() {
        Cli.Run run = Cli.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("resume-review-db ").contains("jOOQ 3.19");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Run run = Cli.run();

        assertThat(run.exitCode()).isEqualTo(Main.ERROR);
        assertThat(run.err()).startsWith("error: name a command");
    }

    static void execute(ProvisionedDatabase db, String... ddl) throws SQLException {
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.execute(sql);
            }
        }
    }
}
