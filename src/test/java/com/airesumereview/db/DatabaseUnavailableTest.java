package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connection failures reach callers as the library's own exception, not as a driver or jOOQ type. */
@ExtendWith(SnapshotDatabaseExtension.class)
class DatabaseUnavailableTest {

    @Test
    void aKilledConnectionInsideATransactionIsReportedAsUnavailable(ProvisionedDatabase database) throws Exception {
        try (ResumeReviewDb db = ResumeReviewDb.connect(config(database, 2))) {
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.users().create(TestUsers.newUser());
                terminateOtherBackends(database);
                tx.users().create(TestUsers.newUser());
            })).isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("SQLSTATE")
                    .satisfies(e -> assertThat(((DatabaseUnavailableException) e).sqlState()).matches("08.*|57P0[123]"));
            // The pool replaces the dead connection; the next unit of work succeeds.
            assertThat(db.users().create(TestUsers.newUser()).id()).isNotNull();
        }
    }

    @Test
    void anExhaustedPoolIsReportedAsUnavailableAfterItsTimeout(ProvisionedDatabase database) throws Exception {
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config(database, 1))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> held = holder.submit(() -> db.useTransaction(tx -> {
                tx.users().create(TestUsers.newUser());
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> db.users().findByEmail("nobody@example.com"))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("no database connection could be obtained");
            release.countDown();
            held.get(10, TimeUnit.SECONDS);
        } finally {
            holder.shutdownNow();
        }
    }

    private static ResumeReviewDbConfig config(ProvisionedDatabase database, int poolSize) {
        return ResumeReviewDbConfig.builder()
                .url(database.url())
                .maximumPoolSize(poolSize)
                .connectionTimeout(Duration.ofMillis(300))
                .applicationName("rrdb-unavailable-test")
                .schemaCheck(SchemaCheck.OFF)
                .build();
    }

    private static void terminateOtherBackends(ProvisionedDatabase database) {
        try (Connection c = database.ownerDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'rrdb-unavailable-test' AND pid <> pg_backend_pid()");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
