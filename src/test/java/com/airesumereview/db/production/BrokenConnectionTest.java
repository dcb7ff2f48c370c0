package com.airesumereview.db.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection whose server process dies inside a transaction (a PgBouncer restart, a failover, an operator's
 * {@code pg_terminate_backend}) fails that transaction with {@link DatabaseUnavailableException} and nothing else:
 * the pool drops the connection, the thread is unbound, and the next transaction on this thread and on every other
 * thread succeeds.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class BrokenConnectionTest {

    @Test
    void aBackendKilledInsideATransactionFailsOnlyThatTransaction(ProvisionedDatabase database) throws Exception {
        int poolSize = 4;
        try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(database.url())
                .maximumPoolSize(poolSize).schemaCheck(SchemaCheck.OFF).build())) {
            for (int round = 0; round < poolSize * 2; round++) {
                assertThatThrownBy(() -> db.useTransaction(tx -> {
                    tx.users().create(TestUsers.newUser());
                    terminate(database, pid(tx));
                    tx.users().create(TestUsers.newUser());
                })).as("round %d", round).isInstanceOf(DatabaseUnavailableException.class);
            }
            // the same thread, then every connection of the pool from other threads at once
            User same = db.inTransaction(tx -> tx.users().create(TestUsers.newUser()));
            assertThat(db.users().findById(same.id())).isPresent();
            ExecutorService threads = Executors.newFixedThreadPool(poolSize * 2);
            try {
                List<Future<User>> others = new ArrayList<>();
                for (int i = 0; i < poolSize * 4; i++) {
                    others.add(threads.submit(() -> db.inTransaction(tx -> tx.users().create(TestUsers.newUser()))));
                }
                for (Future<User> f : others) {
                    assertThat(db.users().findById(f.get(30, TimeUnit.SECONDS).id())).isPresent();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aBackendKilledJustBeforeCommitIsUnavailableAndTheThreadRecovers(ProvisionedDatabase database) {
        try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(database.url())
                .maximumPoolSize(2).schemaCheck(SchemaCheck.OFF).build())) {
            for (int round = 0; round < 4; round++) {
                assertThatThrownBy(() -> db.useTransaction(tx -> {
                    tx.users().create(TestUsers.newUser());
                    terminate(database, pid(tx));   // the commit is the next thing to touch the connection
                })).as("round %d", round).isInstanceOf(DatabaseUnavailableException.class);
            }
            User after = db.inTransaction(tx -> tx.users().create(TestUsers.newUser()));
            assertThat(db.users().findById(after.id())).isPresent();
        }
    }

    private static int pid(ResumeReviewDb tx) {
        return tx.dsl().fetchValue(org.jooq.impl.DSL.field("pg_backend_pid()", Integer.class));
    }

    private static void terminate(ProvisionedDatabase database, int pid) {
        try (Connection c = database.ownerDataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_terminate_backend(" + pid + ", 5000)")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("backend %d terminated", pid).isTrue();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
