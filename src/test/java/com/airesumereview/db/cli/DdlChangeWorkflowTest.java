package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.airesumereview.db.inspection.Difference;
import com.airesumereview.db.inspection.Impact;
import com.airesumereview.db.inspection.ObjectKind;
import com.airesumereview.db.inspection.SchemaComparison;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.SchemaSnapshot;
import com.airesumereview.db.testing.ProjectLayout;
import com.airesumereview.db.verification.VerificationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data engineer's workflow end to end, through the command line: a copy of production gets a DDL change,
 * {@code verify} reports it, {@code snapshot} captures it, and the captured file rebuilds exactly that structure.
 */
class DdlChangeWorkflowTest {
    private static final String[] CHANGE = {
        "ALTER TABLE public.prompts ADD COLUMN locale character varying(10)",
        "ALTER TABLE public.users DROP CONSTRAINT users_role_check,"
                + " ADD CONSTRAINT users_role_check CHECK (role IN ('consultant', 'admin', 'reviewer'))",
        "CREATE TABLE public.review_assignments ("
                + " id uuid DEFAULT public.uuid_generate_v4() PRIMARY KEY,"
                + " analysis_request_id uuid NOT NULL REFERENCES public.analysis_requests(id) ON DELETE CASCADE,"
                + " reviewer_id uuid NOT NULL REFERENCES public.users(id),"
                + " assigned_at timestamp with time zone DEFAULT now() NOT NULL)",
        "CREATE INDEX idx_prompts_locale ON public.prompts (locale)",
    };

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

    @Test
    void verifyReportsEachChangeInItsGroupAndTheSnapshotRebuildsTheChangedStructure(@TempDir Path dir)
            throws Exception {
        try (ProvisionedDatabase production = postgres.createDatabase()) {
            restoreProductionDump(production);
            Cli.Run before = Cli.run("verify", "--url", Cli.url(production));
            assertThat(before.exitCode()).as("the copy of production matches the snapshot before the change: %s", before)
                    .isZero();

            execute(production, CHANGE);

            Cli.Run text = Cli.run("verify", "--url", Cli.url(production));
            assertThat(text.exitCode()).as("%s", text).isEqualTo(Main.FINDING);
            assertThat(text.out()).containsSubsequence(
                    "Breaking changes (1)", "  constraint:", "    users.users_role_check definition:", "'reviewer'",
                    "Additions (3)", "  table:", "    review_assignments added:",
                    "  column:", "    prompts.locale added:", "  index:", "    prompts.idx_prompts_locale added:",
                    "verdict: BREAKING - 1 breaking, 0 compatible changes, 3 additions");

            Cli.Run json = Cli.run("verify", "--url", Cli.url(production), "--format", "json");
            VerificationReport report = new ObjectMapper().readValue(json.out(), VerificationReport.class);
            assertThat(report.differences())
                    .extracting(Difference::kind, Difference::name, Difference::impact)
                    .containsExactlyInAnyOrder(
                            tuple(ObjectKind.CONSTRAINT, "users.users_role_check", Impact.BREAKING),
                            tuple(ObjectKind.TABLE, "review_assignments", Impact.ADDITION),
                            tuple(ObjectKind.COLUMN, "prompts.locale", Impact.ADDITION),
                            tuple(ObjectKind.INDEX, "prompts.idx_prompts_locale", Impact.ADDITION));

            Path file = dir.resolve("V1__snapshot.sql");
            Cli.Run snapshot = Cli.run("snapshot", "--url", Cli.url(production), "--out", file.toString());
            assertThat(snapshot.exitCode()).as("%s", snapshot).isZero();
            assertThat(Files.readString(file)).contains("'reviewer'", "locale character varying(10)",
                    "CREATE TABLE public.review_assignments", "CREATE INDEX idx_prompts_locale");

            try (ProvisionedDatabase rebuilt = postgres.createDatabase()) {
                rebuilt.applySnapshot(SchemaSnapshot.directory(dir));

                assertThat(SchemaComparison.compare(
                        SchemaInspector.forPublicSchema().inspect(production.dataSource()),
                        SchemaInspector.forPublicSchema().inspect(rebuilt.dataSource())).differences())
                        .as("structure built from the captured file compared with the changed source").isEmpty();
            }
        }
    }

    private static void restoreProductionDump(ProvisionedDatabase db) throws Exception {
        // pgJDBC runs the whole script; the dump's set_config calls die with the connection.
        execute(db, Files.readString(ProjectLayout.productionDump(), StandardCharsets.UTF_8));
    }

    private static void execute(ProvisionedDatabase db, String... sql) throws Exception {
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
