package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.internal.PrimaryLocator;
import com.airesumereview.db.production.ThrowawayServer;
import com.airesumereview.db.replication.ReplicaPair;
import com.airesumereview.db.testing.RecordingLogger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * The stale-primary check's second rule, on real servers: a host that claims to be a primary on the timeline the
 * locator already knows, but behind the WAL it has seen flushed there, is refused for reads and writes. The
 * sequence: a standby stops, the primary goes on writing (and the locator sees it), the primary dies, and the old
 * standby is started as a primary without a promotion, so it stays on timeline 1 with an older history. And the
 * third rule: once the locator knows its cluster, a primary of another cluster (system identifier) is refused.
 */
class BehindPrimaryTest {

    @Test
    void aPrimaryOnTheKnownTimelineBehindWhatWasFlushedIsRefusedWithOneErrorAndOneCount() throws Exception {
        try (ReplicaPair pair = ReplicaPair.start()) {
            List<String> hosts = List.of("127.0.0.1:" + pair.primaryPort(), "127.0.0.1:" + pair.replicaPort());
            List<String> urls = hosts.stream().map(h -> "jdbc:postgresql://" + h + "/postgres").toList();
            Properties props = new Properties();
            props.setProperty("user", "postgres");
            props.setProperty("connectTimeout", "2");
            RecordingLogger log = new RecordingLogger();
            AtomicLong refusals = new AtomicLong();
            // No background probe: every decision below comes from the getConnection calls of this test.
            try (PrimaryLocator locator = new PrimaryLocator(hosts, urls, props, Duration.ofSeconds(2), Duration.ZERO,
                    log, refusals::incrementAndGet)) {
                locator.getConnection().close();

                pair.killReplica();
                try (Connection c = locator.getConnection(); Statement s = c.createStatement()) {
                    // WAL the stopped standby never received; the locator sees it flushed on its next check.
                    s.execute("CREATE TABLE written_after_the_standby_stopped AS SELECT generate_series(1, 20000) AS n");
                }
                locator.getConnection().close();
                assertThat(locator.timeline()).isEqualTo(1);

                pair.killPrimary();
                pair.startReplicaAsPrimaryOnItsTimeline();
                assertThat(pair.isPrimary(pair.replicaPort())).as("the old standby runs as a primary").isTrue();
                assertThat(pair.timelineOn(pair.replicaPort())).as("without a promotion it stays on timeline 1")
                        .isEqualTo(1);
                assertThat(hasTable(pair.replicaPort())).as("it lacks what the primary wrote after it stopped")
                        .isFalse();

                assertThatThrownBy(locator::getConnection).isInstanceOf(SQLException.class);
                assertThatThrownBy(locator::getConnection).as("asked again: still refused")
                        .isInstanceOf(SQLException.class);

                assertThat(locator.states()).anySatisfy(state -> {
                    assertThat(state.host()).isEqualTo(hosts.get(1));
                    assertThat(state.role()).isEqualTo(PrimaryLocator.Role.REFUSED);
                });
            }
            assertThat(log.lines()).as(log.lines().toString())
                    .filteredOn(l -> l.message().contains("refusing database host")).hasSize(1)
                    .allSatisfy(l -> {
                        assertThat(l.level()).isEqualTo(Level.ERROR);
                        assertThat(l.message()).contains(hosts.get(1)).contains("timeline 1").contains("behind");
                    });
            assertThat(refusals.get()).isEqualTo(1);
        }
    }

    @Test
    void aPrimaryOfAnotherClusterIsRefusedOnceTheClusterIsKnown() throws Exception {
        try (ThrowawayServer ours = ThrowawayServer.start(); ThrowawayServer other = ThrowawayServer.start()) {
            DatabaseUrl a = ours.url("postgres");
            DatabaseUrl b = other.url("postgres");
            List<String> hosts = List.of(a.hosts().get(0), b.hosts().get(0));
            List<String> urls = List.of(a.jdbcUrl(), b.jdbcUrl());
            Properties props = new Properties();
            props.setProperty("user", a.user());
            RecordingLogger log = new RecordingLogger();
            AtomicLong refusals = new AtomicLong();
            try (PrimaryLocator locator = new PrimaryLocator(hosts, urls, props, Duration.ofSeconds(2), Duration.ZERO,
                    log, refusals::incrementAndGet)) {
                locator.getConnection().close();
                String known = locator.primary();
                // The known cluster's server goes away; the only primary left belongs to another cluster.
                (known.equals(hosts.get(0)) ? ours : other).stop();
                assertThatThrownBy(locator::getConnection).isInstanceOf(SQLException.class);
                String stranger = known.equals(hosts.get(0)) ? hosts.get(1) : hosts.get(0);
                assertThat(locator.states()).anySatisfy(state -> {
                    assertThat(state.host()).isEqualTo(stranger);
                    assertThat(state.role()).isEqualTo(PrimaryLocator.Role.REFUSED);
                });
            }
            assertThat(log.lines()).as(log.lines().toString())
                    .filteredOn(l -> l.message().contains("refusing database host")).hasSize(1)
                    .allSatisfy(l -> assertThat(l.message()).contains("another cluster"));
            assertThat(refusals.get()).isEqualTo(1);
        }
    }

    private static boolean hasTable(int port) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT to_regclass('written_after_the_standby_stopped') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
