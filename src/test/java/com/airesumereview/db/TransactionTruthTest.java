package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.domain.User;
import com.airesumereview.db.testing.LibraryOperations;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One notion of the current transaction: the library's own {@code inTransaction}, jOOQ's {@code dsl().transaction}
 * and a Spring transaction are each the transaction every library call joins, and a library operation of several
 * statements never commits the caller's work on its own.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class TransactionTruthTest {
    /** Every kind of library operation: single statements, several statements, routines, COPY, dsl(), savepoints. */
    private static void everyKindOfOperation(ResumeReviewDb db) {
        LibraryOperations.everyKind(db);
    }

    @Test
    void everyKindOfOperationInsideTheLibrarysTransactionThatThenFailsLeavesNoRow(DataSource dataSource)
            throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            everyKindOfOperation(tx);
            throw new IllegalStateException("the service's own rule failed");
        })).hasMessage("the service's own rule failed");
        assertThat(counts(dataSource)).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
    }

    @Test
    void everyKindOfOperationInsideAJooqTransactionThatThenFailsLeavesNoRow(DataSource dataSource) throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        assertThatThrownBy(() -> db.dsl().transaction(() -> {
            everyKindOfOperation(db);
            throw new IllegalStateException("failed inside dsl().transaction");
        })).hasMessage("failed inside dsl().transaction");
        assertThatThrownBy(() -> db.dsl().transaction(configuration -> {
            everyKindOfOperation(db);
            throw new IllegalStateException("failed inside dsl().transaction(configuration)");
        })).hasMessage("failed inside dsl().transaction(configuration)");
        assertThat(counts(dataSource)).allSatisfy((table, n) -> assertThat(n).as(table).isZero());

        db.dsl().transaction(() -> everyKindOfOperation(db));
        assertThat(counts(dataSource).get("users")).as("committed by jOOQ's transaction").isEqualTo(3);
    }

    @Test
    void everyKindOfOperationInsideASpringTransactionThatThenFailsLeavesNoRowAndSeesJdbcTemplateWrites(
            DataSource dataSource) throws SQLException {
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
        ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(dataSource)
                .transactionManager(manager).schemaCheck(SchemaCheck.OFF).build());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        TransactionTemplate spring = new TransactionTemplate(manager);
        String email = TestUsers.uniqueEmail();

        assertThatThrownBy(() -> spring.executeWithoutResult(status -> {
            jdbc.update("insert into users (email, password_hash, first_name, last_name) values (?, ?, 'Jdbc', 'Template')",
                    email, TestUsers.passwordHash());
            assertThat(db.users().findByEmail(email)).as("the library sees the JdbcTemplate row of the same transaction")
                    .isPresent();
            everyKindOfOperation(db);
            db.dsl().transaction(() -> db.users().create(TestUsers.newUser()));   // a jOOQ transaction: nested too
            throw new IllegalStateException("the @Transactional method throws");
        })).hasMessage("the @Transactional method throws");

        assertThat(counts(dataSource)).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
    }

    @Test
    void theLibrarysInTransactionIsASavepointInsideASpringTransaction(DataSource dataSource) throws SQLException {
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
        ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().dataSource(dataSource)
                .transactionManager(manager).schemaCheck(SchemaCheck.OFF).build());
        new TransactionTemplate(manager).executeWithoutResult(status -> {
            db.users().create(TestUsers.newUser());
            assertThatThrownBy(() -> db.useTransaction(inner -> {
                inner.users().create(TestUsers.newUser());
                throw new IllegalStateException("inner fails");
            })).hasMessage("inner fails");
        });
        assertThat(counts(dataSource).get("users")).as("the outer write committed, the savepoint's rolled back")
                .isEqualTo(1);

        db.useTransaction(tx -> tx.users().create(TestUsers.newUser()));
        assertThat(counts(dataSource).get("users")).as("outside Spring's transactions it starts one of its own")
                .isEqualTo(2);
    }

    @Test
    void aConnectionAlreadyInsideSomeoneElsesTransactionIsJoinedNeverCommitted(DataSource dataSource)
            throws SQLException {
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
        // The obvious one-line glue in a Spring service: the library only sees a transaction-aware proxy.
        ResumeReviewDb db = ResumeReviewDb.create(new TransactionAwareDataSourceProxy(dataSource));
        assertThatThrownBy(() -> new TransactionTemplate(manager).executeWithoutResult(status -> {
            everyKindOfOperation(db);
            throw new IllegalStateException("the @Transactional method throws");
        })).hasMessage("the @Transactional method throws");
        assertThat(counts(dataSource)).allSatisfy((table, n) -> assertThat(n).as(table).isZero());
    }

    @Test
    void aTransactionWhoseConnectionBrokeLeavesTheThreadReadyForTheNextOne(DataSource dataSource) throws SQLException {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        for (int round = 0; round < 3; round++) {
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.users().create(TestUsers.newUser());
                terminate(dataSource, pid(db));
                tx.users().create(TestUsers.newUser());
            })).as("round %d", round).isInstanceOf(DatabaseUnavailableException.class);
            assertThatThrownBy(() -> db.dsl().transaction(() -> {
                terminate(dataSource, pid(db));
                db.users().create(TestUsers.newUser());
            })).as("round %d, jOOQ's context form", round).isInstanceOf(DatabaseUnavailableException.class);
        }
        User after = db.inTransaction(tx -> tx.users().create(TestUsers.newUser()));
        db.dsl().transaction(() -> db.users().create(TestUsers.newUser()));
        assertThat(db.users().findById(after.id())).isPresent();
        assertThat(counts(dataSource).get("users")).as("only the two transactions after the breaks").isEqualTo(2);
    }

    @Test
    void aBeginOrRollbackThatFailsOnABrokenConnectionLeaksNothingAndLeavesTheThreadReady(DataSource dataSource)
            throws SQLException {
        // What a pooler in front of the server produces: the rollback itself fails with a connection error.
        java.util.concurrent.atomic.AtomicBoolean breakRollback = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean breakBegin = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        DataSource flaky = new org.springframework.jdbc.datasource.DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                Connection real = super.getConnection();
                open.incrementAndGet();
                return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("close")) {
                                open.decrementAndGet();
                            }
                            if ((method.getName().equals("rollback") && breakRollback.getAndSet(false))
                                    || (method.getName().equals("setAutoCommit") && Boolean.FALSE.equals(args[0])
                                    && breakBegin.getAndSet(false))) {
                                terminate(dataSource, real.unwrap(org.postgresql.PGConnection.class).getBackendPID());
                                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                            }
                            try {
                                return method.invoke(real, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
        ResumeReviewDb db = ResumeReviewDb.create(flaky);
        for (int round = 0; round < 2; round++) {
            assertThatThrownBy(() -> db.dsl().transaction(() -> {
                db.users().create(TestUsers.newUser());
                breakRollback.set(true);
                throw new IllegalStateException("the work fails, and then its rollback");
            })).as("jOOQ's context form, round %d", round).hasMessage("the work fails, and then its rollback");
            assertThatThrownBy(() -> db.useTransaction(tx -> {
                tx.users().create(TestUsers.newUser());
                breakRollback.set(true);
                throw new IllegalStateException("the work fails, and then its rollback");
            })).as("inTransaction, round %d", round).hasMessage("the work fails, and then its rollback");
            breakBegin.set(true);
            assertThatThrownBy(() -> db.dsl().transaction(() -> db.users().create(TestUsers.newUser())))
                    .as("begin fails, round %d", round).isInstanceOf(DatabaseUnavailableException.class);
            breakBegin.set(true);
            assertThatThrownBy(() -> db.useTransaction(tx -> tx.users().create(TestUsers.newUser())))
                    .as("begin fails, round %d", round).isInstanceOf(DatabaseUnavailableException.class);
        }
        assertThat(open.get()).as("connections not given back after the failures").isZero();
        db.dsl().transaction(() -> db.users().create(TestUsers.newUser()));
        db.useTransaction(tx -> tx.users().create(TestUsers.newUser()));
        assertThat(counts(dataSource).get("users")).as("both transactions after the failed rollbacks committed")
                .isEqualTo(2);
    }

    /** The backend of the calling thread's transaction, asked through dsl(), which joins it. */
    private static int pid(ResumeReviewDb db) {
        return db.dsl().fetchValue(DSL.field("pg_backend_pid()", Integer.class));
    }

    private static void terminate(DataSource dataSource, int pid) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("select pg_terminate_backend(" + pid + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> counts(DataSource dataSource) throws SQLException {
        return LibraryOperations.counts(dataSource);
    }
}
