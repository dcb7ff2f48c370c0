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
             Connection c = DriverManager.getConnection(db.url().jdbcUrl()
                     + (db.url().jdbcUrl().contains("?") ? "&" : "?") + "sslmode=disable&socketFactory="
                     + RoundTripCounter.CLASS, db.url().user(), db.url().password())) {
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
