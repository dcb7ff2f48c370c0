package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The latency benchmark's round-trip count, against what pgJDBC actually waits for. */
class RoundTripCounterTest {

    @Test
    void countsOneRoundTripPerStatementAndCommitWithBeginRidingOnTheFirstStatement() throws SQLException {
        try (PostgresProvisioner server = PostgresProvisioner.start();
             ProvisionedDatabase db = server.createDatabase();
             Connection c = counted(db)) {
            long before = RoundTripCounter.total();
            select(c, 1);
            long autoCommitSelect = RoundTripCounter.total() - before;

            before = RoundTripCounter.total();
            c.setAutoCommit(false);
            select(c, 2);
            select(c, 3);
            c.commit();
            c.setAutoCommit(true);
            long transaction = RoundTripCounter.total() - before;

            assertThat(autoCommitSelect).as("one statement in autocommit").isEqualTo(1);
            // BEGIN is written together with the first statement, so it costs no wait of its own.
            assertThat(transaction).as("BEGIN + 2 statements + COMMIT").isEqualTo(3);
        }
    }

    @Test
    void statementsJoinedInOnePreparedStatementAreOneRoundTripAndOneImplicitTransaction() throws SQLException {
        try (PostgresProvisioner server = PostgresProvisioner.start();
             ProvisionedDatabase db = server.createDatabase();
             Connection c = counted(db)) {
            try (PreparedStatement p = c.prepareStatement("create table pipelined (n int primary key)")) {
                p.execute();
            }
            // What the engine's Pipeline sends: texts joined by ';', one execute, results read one after another.
            long before = RoundTripCounter.total();
            try (PreparedStatement p = c.prepareStatement(
                    "insert into pipelined values (?); insert into pipelined values (?); select count(*) from pipelined")) {
                p.setInt(1, 1);
                p.setInt(2, 2);
                p.execute();
                assertThat(p.getUpdateCount()).isEqualTo(1);
                p.getMoreResults();
                assertThat(p.getUpdateCount()).isEqualTo(1);
                assertThat(p.getMoreResults()).isTrue();
                try (ResultSet rs = p.getResultSet()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("the third statement sees the first two").isEqualTo(2);
                }
            }
            assertThat(RoundTripCounter.total() - before).as("three statements joined, autocommit").isEqualTo(1);

            // The third fails: the server undoes the first two, as one implicit transaction ends at the Sync.
            try (PreparedStatement p = c.prepareStatement(
                    "insert into pipelined values (?); insert into pipelined values (?); select 1 / 0")) {
                p.setInt(1, 3);
                p.setInt(2, 4);
                org.assertj.core.api.Assertions.assertThatThrownBy(p::execute).isInstanceOf(SQLException.class);
            }
            try (PreparedStatement p = c.prepareStatement("select count(*) from pipelined");
                 ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("rows after a pipeline whose last statement failed").isEqualTo(2);
            }
        }
    }

    /** A connection whose round trips {@link RoundTripCounter} counts (no TLS handshake on it). */
    private static Connection counted(ProvisionedDatabase db) throws SQLException {
        return DriverManager.getConnection(db.url().jdbcUrl() + (db.url().jdbcUrl().contains("?") ? "&" : "?")
                + "sslmode=disable&socketFactory=" + RoundTripCounter.CLASS, db.url().user(), db.url().password());
    }

    private static void select(Connection c, int value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select ?::int + 1")) {
            p.setInt(1, value);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(value + 1);
            }
        }
    }
}
