package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.inspection.Difference;
import com.airesumereview.db.inspection.Impact;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.RecordingLogger;
import com.airesumereview.db.verification.Verdict;
import com.airesumereview.db.verification.VerificationReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** {@link ResumeReviewDb#connect(ResumeReviewDbConfig)} against snapshot copies, one drifted on purpose per test. */
class SchemaCheckAtStartupTest {
    private static final String BREAKING_DDL = "ALTER TABLE public.users ALTER COLUMN email TYPE text";
    private static final String ADDITION_DDL = "ALTER TABLE public.prompts ADD COLUMN locale varchar(10)";

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
    void failModeRefusesBreakingDriftWithTheReportAndClosesItsPool() throws SQLException {
        try (ProvisionedDatabase db = drifted(BREAKING_DDL)) {
            String application = "check-" + UUID.randomUUID().toString().substring(0, 8);

            assertThatThrownBy(() -> ResumeReviewDb.connect(config(db, SchemaCheck.FAIL, application)))
                    .isInstanceOfSatisfying(SchemaCheckFailedException.class, e -> {
                        assertThat(e.report().verdict()).isEqualTo(Verdict.BREAKING);
                        assertThat(e.report().drift().breaking()).extracting(Difference::name)
                                .containsExactly("users.email");
                        assertThat(e.report().database()).isEqualTo(db.jdbcUrl());
                    })
                    .hasMessageContaining("schemaCheck=FAIL")
                    .hasMessageContaining("users.email type: snapshot expects 'character varying(255)', database has 'text'");
            assertThat(connectionsAfterServerCatchesUp(db, application))
                    .as("connections left open by the refused pool").isZero();
        }
    }

    @Test
    void failModeStartsWhenTheDatabaseOnlyHasAdditions() throws SQLException {
        try (ProvisionedDatabase db = drifted(ADDITION_DDL);
             ResumeReviewDb rrdb = ResumeReviewDb.connect(config(db, SchemaCheck.FAIL, "check-fail-additions"))) {
            VerificationReport report = rrdb.verifySchema();

            assertThat(report.verdict()).isEqualTo(Verdict.COMPATIBLE);
            assertThat(report.drift().additions()).extracting(Difference::name).containsExactly("prompts.locale");
        }
    }

    @Test
    void warnModeStartsDespiteBreakingDrift() throws SQLException {
        try (ProvisionedDatabase db = drifted(BREAKING_DDL);
             ResumeReviewDb rrdb = ResumeReviewDb.connect(config(db, SchemaCheck.WARN, "check-warn"))) {
            assertThat(rrdb.verifySchema().verdict()).isEqualTo(Verdict.BREAKING);
            assertThat(rrdb.schemaMigrations()).isNotNull();
        }
    }

    @Test
    void offModeStartsDespiteBreakingDrift() throws SQLException {
        try (ProvisionedDatabase db = drifted(BREAKING_DDL)) {
            try (ResumeReviewDb rrdb = ResumeReviewDb.connect(config(db, SchemaCheck.OFF, "check-off"))) {
                assertThat(rrdb.verifySchema().verdict()).as("the drift is there, OFF just does not look")
                        .isEqualTo(Verdict.BREAKING);
            }
        }
    }

    @Test
    void defaultModeIsWarn() {
        assertThat(ResumeReviewDbConfig.builder().url("jdbc:postgresql://localhost/x").build().schemaCheck())
                .isEqualTo(SchemaCheck.WARN);
    }

    @Test
    void warnModeLogsTheReportAsWarningWhenTheDatabaseDiffers() throws SQLException {
        try (ProvisionedDatabase db = drifted(BREAKING_DDL, ADDITION_DDL);
             ResumeReviewDb rrdb = ResumeReviewDb.connect(config(db, SchemaCheck.OFF, "check-log"))) {
            RecordingLogger log = new RecordingLogger();

            StartupSchemaCheck.run(SchemaCheck.WARN, rrdb::verifySchema, log);

            assertThat(log.lines()).singleElement().satisfies(line -> {
                assertThat(line.level()).isEqualTo(Level.WARN);
                assertThat(line.message()).contains("Breaking changes (1)", "users.email type:",
                        "Additions (1)", "prompts.locale added", "verdict: BREAKING");
            });
        }
    }

    @Test
    void warnModeLogsOneInfoLineWhenTheDatabaseMatches() {
        try (ProvisionedDatabase db = postgres.createSnapshotDatabase();
             ResumeReviewDb rrdb = ResumeReviewDb.connect(config(db, SchemaCheck.OFF, "check-clean"))) {
            RecordingLogger log = new RecordingLogger();

            StartupSchemaCheck.run(SchemaCheck.WARN, rrdb::verifySchema, log);

            assertThat(log.lines()).singleElement().satisfies(line -> {
                assertThat(line.level()).isEqualTo(Level.INFO);
                assertThat(line.message()).contains("verdict: MATCHES");
            });
        }
    }

    @Test
    void warnModeStartsWhenTheCheckItselfFailsButFailModeDoesNot() {
        RecordingLogger log = new RecordingLogger();
        RuntimeException broken = new com.airesumereview.db.inspection.InspectionException("permission denied for pg_catalog");

        StartupSchemaCheck.run(SchemaCheck.WARN, () -> { throw broken; }, log);

        assertThat(log.lines()).singleElement().extracting(RecordingLogger.Line::message).asString()
                .contains("could not run", "permission denied");
        assertThatThrownBy(() -> StartupSchemaCheck.run(SchemaCheck.FAIL, () -> { throw broken; }, log))
                .isSameAs(broken);
    }

    @Test
    void createWithDataSourceRunsNoCheckButVerifiesOnRequest() throws SQLException {
        try (ProvisionedDatabase db = drifted(BREAKING_DDL)) {
            ResumeReviewDb rrdb = ResumeReviewDb.create(db.dataSource());

            VerificationReport report = rrdb.verifySchema();

            assertThat(report.drift().breaking()).extracting(Difference::impact).containsExactly(Impact.BREAKING);
            assertThat(report.database()).isEqualTo(db.jdbcUrl());
        }
    }

    private static ResumeReviewDbConfig config(ProvisionedDatabase db, SchemaCheck mode, String application) {
        return ResumeReviewDbConfig.builder().url(db.url()).maximumPoolSize(2).schemaCheck(mode)
                .applicationName(application).build();
    }

    private static ProvisionedDatabase drifted(String... ddl) throws SQLException {
        ProvisionedDatabase db = postgres.createSnapshotDatabase();
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.execute(sql);
            }
        }
        return db;
    }

    // A backend leaves pg_stat_activity a moment after its client closed the socket.
    private static int connectionsAfterServerCatchesUp(ProvisionedDatabase db, String application) throws SQLException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int open = connectionsOf(db, application);
        while (open > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            open = connectionsOf(db, application);
        }
        return open;
    }

    private static int connectionsOf(ProvisionedDatabase db, String application) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            query.setString(1, application);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
