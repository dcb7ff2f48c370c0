package com.airesumereview.db.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.DatabaseOperationException;
import com.airesumereview.db.Pooler;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.reliability.ReliabilityFigures;
import com.airesumereview.db.testing.LibraryOperations;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jooq.impl.DSL;

/**
 * The library behind a real transaction-pooling PgBouncer (Debian's 1.18), with the plain URL to PgBouncer and
 * {@code pooler(TRANSACTION)}: every kind of operation, the statement timeout, and 16 threads of mixed operations
 * with every answer and every acknowledged write checked. Without the setting, start-up fails with a
 * {@link ConfigurationException} that names it.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class PgBouncerTest {

    private static ResumeReviewDbConfig.Builder through(PgBouncer bouncer, ProvisionedDatabase database) {
        return ResumeReviewDbConfig.builder().url(bouncer.through(database.url())).pooler(Pooler.TRANSACTION);
    }

    @Test
    void everyKindOfOperationRunsThroughATransactionPoolingPgBouncer(ProvisionedDatabase database) throws Exception {
        try (PgBouncer bouncer = PgBouncer.transactionPooling(database.url());
                ResumeReviewDb db = ResumeReviewDb.connect(through(bouncer, database).maximumPoolSize(3)
                        .schemaCheck(SchemaCheck.FAIL).build())) {
            Map<String, Long> before = LibraryOperations.counts(database.ownerDataSource());
            // more rounds than pgJDBC's prepareThreshold (5), so a server-side prepare would have happened by now
            int rounds = 8;
            for (int i = 0; i < rounds; i++) {
                LibraryOperations.everyKind(db);
                db.useTransaction(LibraryOperations::everyKind);
            }
            Map<String, Long> after = LibraryOperations.counts(database.ownerDataSource());
            // everyKind writes three users (create, nested, dsl), four uploads (one, then three by COPY), one result
            assertThat(after.get("users") - before.get("users")).isEqualTo(2L * rounds * 3);
            assertThat(after.get("refresh_tokens") - before.get("refresh_tokens")).isEqualTo(2L * rounds);
            assertThat(after.get("file_uploads") - before.get("file_uploads")).isEqualTo(2L * rounds * 4);
            assertThat(after.get("analysis_results") - before.get("analysis_results")).isEqualTo(2L * rounds);
            assertThat(db.verifySchema().verdict().name()).isNotEqualTo("BREAKING");
            assertThat(db.health(Duration.ofSeconds(5)).up()).isTrue();
        }
    }

    @Test
    void withoutThePoolerSettingStartUpFailsNamingItAndTheFix(ProvisionedDatabase database) {
        try (PgBouncer bouncer = PgBouncer.transactionPooling(database.url())) {
            assertThatThrownBy(() -> ResumeReviewDb.connect(ResumeReviewDbConfig.builder()
                    .url(bouncer.through(database.url())).schemaCheck(SchemaCheck.OFF).build()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("unsupported startup parameter: options")
                    .hasMessageContaining("pooler(Pooler.TRANSACTION)")
                    .hasMessageContaining("DATABASE_POOLER=transaction")
                    .satisfies(e -> assertThat(((ConfigurationException) e).setting()).isEqualTo("pooler"));
        }
    }

    @Test
    void aCallersPoolMustNotPrepareOnTheServerAndThenGetsTheTimeoutToo(ProvisionedDatabase database) {
        try (PgBouncer bouncer = PgBouncer.transactionPooling(database.url())) {
            org.postgresql.ds.PGSimpleDataSource preparing = new org.postgresql.ds.PGSimpleDataSource();
            preparing.setURL(bouncer.through(database.url()).jdbcUrl());
            preparing.setUser(database.url().user());
            preparing.setPassword(database.url().password());
            assertThatThrownBy(() -> ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(preparing)
                    .pooler(Pooler.TRANSACTION).schemaCheck(SchemaCheck.OFF).build()))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.setting()).isEqualTo("pooler"))
                    .hasMessageContaining("prepareThreshold=0");

            preparing.setPrepareThreshold(0);
            try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(preparing)
                    .pooler(Pooler.TRANSACTION).statementTimeout(Duration.ofSeconds(1)).schemaCheck(SchemaCheck.OFF)
                    .build())) {
                for (int i = 0; i < 6; i++) {
                    LibraryOperations.everyKind(db);
                }
                long start = System.nanoTime();
                assertThatThrownBy(() -> db.dsl().select(DSL.field("pg_sleep(4)")).fetch())
                        .isInstanceOf(DatabaseOperationException.class).hasMessageContaining("57014");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    /**
     * The schema check leaves no session state on PgBouncer's server connections: every server connection still runs
     * other clients' transactions at the server's default isolation afterwards (a session-level isolation set by one
     * client would make another client's compare-and-sets fail with serialization errors).
     */
    @Test
    void theSchemaCheckLeavesNoSessionStateOnTheServerConnections(ProvisionedDatabase database) throws Exception {
        int serverConnections = 3;
        try (PgBouncer bouncer = PgBouncer.start(database.url(), "transaction",
                List.of("default_pool_size = " + serverConnections));
                ResumeReviewDb db = ResumeReviewDb.connect(through(bouncer, database).maximumPoolSize(4)
                        .schemaCheck(SchemaCheck.OFF).build())) {
            for (int i = 0; i < 6; i++) {
                assertThat(db.verifySchema().verdict().name()).isNotEqualTo("BREAKING");
            }
            // Hold one transaction per server connection at once, so each of them answers.
            List<Connection> holders = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < serverConnections; i++) {
                    Connection c = java.sql.DriverManager.getConnection(bouncer.through(database.url()).jdbcUrl()
                            + "?prepareThreshold=0", database.url().user(), database.url().password());
                    holders.add(c);
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                            "select current_setting('transaction_isolation'), pg_backend_pid()")) {
                        rs.next();
                        assertThat(rs.getString(1)).as("isolation on server backend %d", rs.getInt(2))
                                .isEqualTo("read committed");
                    }
                }
            } finally {
                for (Connection c : holders) {
                    c.close();
                }
            }
        }
    }

    @Test
    void behindASessionPoolingPgBouncerTheServerAppliesTheTimeoutSetOncePerConnection(ProvisionedDatabase database)
            throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(database.url(), "session", List.of());
                ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder()
                        .url(bouncer.through(database.url())).pooler(Pooler.SESSION).maximumPoolSize(2)
                        .statementTimeout(Duration.ofMillis(700)).schemaCheck(SchemaCheck.OFF).build())) {
            for (int i = 0; i < 6; i++) {
                LibraryOperations.everyKind(db);
            }
            assertThat(db.dsl().fetchValue("select current_setting('statement_timeout')")).isEqualTo("700ms");
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.dsl().select(DSL.field("pg_sleep(4)")).fetch())
                    .isInstanceOf(DatabaseOperationException.class).hasMessageContaining("57014");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void theStatementTimeoutIsInForceThroughPgBouncer(ProvisionedDatabase database) throws Exception {
        try (PgBouncer bouncer = PgBouncer.transactionPooling(database.url());
                ResumeReviewDb db = ResumeReviewDb.connect(through(bouncer, database).maximumPoolSize(2)
                        .statementTimeout(Duration.ofMillis(800)).schemaCheck(SchemaCheck.OFF).build())) {
            User user = db.users().create(TestUsers.newUser());
            FileUpload upload = db.fileUploads().create(TestUploads.pdf(user.id()));
            // A repository statement blocked by another session's row lock is cancelled by the driver's timeout.
            try (Connection locker = database.ownerDataSource().getConnection()) {
                locker.setAutoCommit(false);
                try (PreparedStatement lock = locker.prepareStatement("select 1 from file_uploads where id = ? for update")) {
                    lock.setObject(1, upload.id());
                    lock.executeQuery().close();
                }
                long start = System.nanoTime();
                assertThatThrownBy(() -> db.fileUploads().startValidating(upload.id()))
                        .isInstanceOf(DatabaseOperationException.class).hasMessageContaining("57014");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                locker.rollback();
            }
            // A statement jOOQ runs itself (dsl()) gets the driver's timeout too, in whole seconds (here 1 s).
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.dsl().select(DSL.field("pg_sleep(4)")).fetch())
                    .isInstanceOf(DatabaseOperationException.class).hasMessageContaining("57014");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            // and the connections are fine afterwards
            assertThat(db.fileUploads().startValidating(upload.id()).status().literal()).isEqualTo("validating");
        }
    }

    @Test
    void sixteenThreadsOfMixedOperationsThroughPgBouncerFailNothing(ProvisionedDatabase database) throws Exception {
        mixedThroughPgBouncer(database, Duration.ofSeconds(3), "pgbouncer.transaction_3s");
    }

    @Test
    @Tag("slow")
    void sixteenThreadsOfMixedOperationsForTwentySecondsThroughPgBouncerFailNothing(ProvisionedDatabase database)
            throws Exception {
        mixedThroughPgBouncer(database, Duration.ofSeconds(20), "pgbouncer.transaction_20s");
    }

    /**
     * The failure: PgBouncer told to ignore {@code options}, the library not told about the pooler. Statements
     * fail (the driver's server-side prepared statements are on other server connections), but each failure is a
     * named exception that says to set {@code pooler}, never a schema mismatch, and no thread stays stuck (most
     * operations still succeed). Acknowledged writes are not checked here: with this mismatch a statement can run
     * with another client's prepared statement, which no library can detect; only the setting prevents it.
     */
    @Test
    void aPoolerTheLibraryIsNotToldAboutFailsOnlyWithNamedExceptionsAndLosesNoAcknowledgedWrite(
            ProvisionedDatabase database) throws Exception {
        long seed = System.nanoTime();
        try (PgBouncer bouncer = PgBouncer.start(database.url(), "transaction",
                List.of("ignore_startup_parameters = options"));
                ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder()
                        .url(bouncer.through(database.url())).maximumPoolSize(16).schemaCheck(SchemaCheck.OFF).build())) {
            MixedWorkload.Result r = MixedWorkload.run(db, database.ownerDataSource(), 16, Duration.ofSeconds(4), seed);
            System.out.printf("misconfigured pooler (seed %d): %d operations, %d failed %s, %d in the last second,"
                    + " %d wrong, %d missing%n", seed, r.operations(), r.failed(), r.failureTypes(), r.failedInLastSecond(),
                    r.wrong(), r.missing());
            assertThat(r.failed()).as("the mismatch shows (seed %d)", seed).isPositive();
            assertThat(r.failureTypes()).as("failure types, first: %s", r.firstFailures())
                    .containsKey("ConfigurationException").doesNotContainKey("MissingSchemaObjectException");
            assertThat(r.failureTypes().keySet()).as("only the library's named exceptions").allSatisfy(type ->
                    assertThat(Class.forName("com.airesumereview.db." + type))
                            .isAssignableTo(com.airesumereview.db.ResumeReviewDbException.class));
            // Before broken connections were evicted, 80-90% failed and nearly every operation of the last second:
            // connections went back to the pool with autocommit off and every later transaction on them was stuck.
            assertThat(r.failed()).as("failed of %d operations", r.operations()).isLessThan(r.operations() / 2);
        }
    }

    private static void mixedThroughPgBouncer(ProvisionedDatabase database, Duration duration, String figure)
            throws Exception {
        long seed = System.nanoTime();
        try (PgBouncer bouncer = PgBouncer.transactionPooling(database.url());
                ResumeReviewDb db = ResumeReviewDb.connect(through(bouncer, database).maximumPoolSize(16)
                        .schemaCheck(SchemaCheck.OFF).build())) {
            MixedWorkload.Result r = MixedWorkload.run(db, database.ownerDataSource(), 16, duration, seed);
            assertThat(r.firstFailures()).as("first failures (seed %d)", seed).isEmpty();
            assertThat(r.failed()).isZero();
            assertThat(r.wrong()).isZero();
            assertThat(r.missing()).as("acknowledged writes missing afterwards").isZero();
            assertThat(r.operations()).isGreaterThan(100);
            ReliabilityFigures.record(figure, "16 threads, " + duration.toSeconds() + " s: " + r.operations()
                    + " operations, 0 failed, 0 wrong, 0 acknowledged writes missing", seed,
                    ReliabilityFigures.serverVersion(database.ownerDataSource()) + ", PgBouncer 1.18 pool_mode=transaction");
        }
    }
}
