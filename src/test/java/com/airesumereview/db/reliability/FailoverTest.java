package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ConsistencyLostException;
import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.Health;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.Topology;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.internal.PrimaryLocator;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.replication.ReplicaPair;
import com.airesumereview.db.replication.ReplicatedSnapshot;
import com.airesumereview.db.testing.RecordingLogger;
import com.airesumereview.db.testing.TestUsers;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A primary failover on real servers, through the public API, as the least-privilege role: a primary and a streaming
 * standby ({@code initdb}, {@code pg_basebackup -R}), writers running, the primary killed
 * ({@code pg_ctl stop -m immediate}), the standby promoted, the old primary started again (it comes back as a
 * primary on the old timeline, diverged), the pool refreshed and a new instance started with the same hosts.
 */
class FailoverTest {
    private static final int WRITERS = 4;
    /** Why writes failed during the current run, with counts: shown when an assertion about the run fails. */
    private static final java.util.Map<String, Integer> FAILURES = new ConcurrentHashMap<>();

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** Synchronous standby: writes resume on the promoted standby within 1 s, none acknowledged is lost, none reaches the old primary. */
    @Test
    void writesMoveToThePromotedStandbyLoseNothingWithASynchronousStandbyAndNeverReachTheStalePrimary() throws Exception {
        Run run = failover(ReplicaPair.Mode.SYNC_STANDBY, Duration.ofMillis(1000));
        assertThat(run.resumeMillis).as("first acknowledged write after the promotion, ms").isLessThan(1000);
        assertThat(run.lost).as("acknowledged writes missing on the promoted server (synchronous standby)").isZero();
        assertThat(run.onStalePrimary).as("writes that reached the old primary after it came back").isZero();
        ReliabilityFigures.record("failover.sync.resume_after_promotion", run.resumeMillis + " ms (limit 1000 ms), "
                + WRITERS + " writers", null, run.server);
        ReliabilityFigures.record("failover.sync.acknowledged_lost", run.lost + " of " + run.acknowledged
                + " acknowledged writes", null, run.server);
        ReliabilityFigures.record("failover.stale_primary_writes", run.onStalePrimary + " writes reached the old primary"
                + " back on the old timeline (" + run.afterReturn + " acknowledged on the new primary meanwhile, a new"
                + " instance included)", null, run.server);
    }

    /** Asynchronous standby under load: the same, and how many acknowledged writes the promotion lost. */
    @Tag("slow")
    @Test
    void asynchronousStandbyLosesTheLastAcknowledgedWritesAndStillNeverWritesToTheStalePrimary() throws Exception {
        repeat(ReplicaPair.Mode.ASYNC_STANDBY, "async", "synchronous_commit on");
    }

    /** {@code synchronous_commit = off}: a commit returns before its WAL is written, so a crash loses more. */
    @Tag("slow")
    @Test
    void withSynchronousCommitOffACrashLosesTheWritesOfTheLastWalWriterRounds() throws Exception {
        repeat(ReplicaPair.Mode.COMMIT_OFF, "commit_off", "synchronous_commit off");
    }

    private void repeat(ReplicaPair.Mode mode, String name, String setting) throws Exception {
        List<String> figures = new ArrayList<>();
        String server = null;
        long maxResume = 0;
        for (int repeat = 1; repeat <= Integer.getInteger("failover.repeats", 3); repeat++) {
            Run run = failover(mode, Duration.ofSeconds(5));
            server = run.server;
            assertThat(run.resumeMillis).as("first acknowledged write after the promotion, ms").isLessThan(1000);
            assertThat(run.onStalePrimary).as("writes that reached the old primary after it came back").isZero();
            maxResume = Math.max(maxResume, run.resumeMillis);
            figures.add(run.lost + " of " + run.acknowledged);
        }
        ReliabilityFigures.record("failover." + name + ".acknowledged_lost", String.join(", ", figures)
                + " acknowledged writes lost (" + figures.size() + " runs, " + WRITERS + " writers, asynchronous standby, " + setting + ")",
                null, server);
        ReliabilityFigures.record("failover." + name + ".resume_after_promotion", "at most " + maxResume
                + " ms in " + figures.size() + " runs (limit 1000 ms)", null, server);
    }

    private record Run(long resumeMillis, long acknowledged, long lost, long onStalePrimary, long afterReturn, String server) {
    }

    private Run failover(ReplicaPair.Mode mode, Duration loadBeforeKill) throws Exception {
        boolean synchronous = mode == ReplicaPair.Mode.SYNC_STANDBY;
        FAILURES.clear();
        try (ReplicatedSnapshot pg = ReplicatedSnapshot.start(TestRole.LEAST_PRIVILEGE, mode)) {
            DatabaseUrl app = pg.primaryUrl;
            String server;
            try (HikariDataSource admin = pg.primaryPool()) {
                server = ReliabilityFigures.serverVersion(admin);
            }
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            // The first instance: url(primary) + readReplica(standby), as the service had it.
            ResumeReviewDbConfig config = ResumeReviewDbConfig.builder().url(app).readReplica(pg.replicaUrl)
                    .schemaCheck(SchemaCheck.OFF).meterRegistry(meters).build();
            Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicLong lastAckNanos = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            try (ResumeReviewDb db = ResumeReviewDb.connect(config)) {
                Health before = db.health(Duration.ofSeconds(2));
                assertThat(before.topology().writesCanBeLostAtFailover()).as(before.topology().toString()).isEqualTo(!synchronous);
                // The standby listed first: writes go to the host that is the primary.
                DatabaseUrl standbyFirst = DatabaseUrl.of("postgresql://127.0.0.1:" + pg.pair.replicaPort() + ",127.0.0.1:"
                        + pg.pair.primaryPort() + "/" + app.database(), app.user(), app.password());
                try (ResumeReviewDb listed = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(standbyFirst)
                        .schemaCheck(SchemaCheck.OFF).build())) {
                    acknowledged.add(listed.users().create(TestUsers.newUser()).id());
                    assertThat(listed.health(Duration.ofSeconds(2)).topology().primary()).contains("127.0.0.1:" + pg.pair.primaryPort());
                }
                List<Thread> writers = startWriters(db, acknowledged, lastAckNanos, stop);
                Thread.sleep(loadBeforeKill.toMillis());
                User mine = db.users().create(TestUsers.newUser());
                acknowledged.add(mine.id());
                String token = db.consistencyToken();
                Thread.sleep(400);   // the standby replays it and the probes see that
                pg.pair.killPrimary();
                pg.pair.promoteReplica();
                long promoted = System.nanoTime();
                long resumeMillis = awaitAckAfter(lastAckNanos, promoted);
                assertThat(resumeMillis).as("first acknowledged write after the promotion, ms; write failures: " + FAILURES)
                        .isLessThan(15_000);
                // Read-your-writes across the failover: this instance saw how far the standby had replayed before
                // its promotion, so the token is honoured (with an asynchronous standby it may be refused instead).
                try {
                    assertThat(db.readingAfter(token, () -> db.users().findById(mine.id()))).as("token taken before the failover").isPresent();
                } catch (ConsistencyLostException e) {
                    assertThat(synchronous).as("refused with a synchronous standby: " + e.getMessage()).isFalse();
                }

                // The old primary comes back on the old timeline; made to take writes as a plain primary would.
                pg.pair.startPrimary();
                resetSynchronousStandbys(pg.pair.primaryPort());
                long staleRowsAtReturn = countUsers(pg.pair.primaryPort(), app.database());
                int ackedAtReturn = acknowledged.size();
                Thread.sleep(600);   // the background probe sees the old primary (and refuses it)

                // A new instance with no memory, the same hosts as one multi-host URL, the old primary listed first.
                DatabaseUrl both = DatabaseUrl.of("jdbc:postgresql://127.0.0.1:" + pg.pair.primaryPort() + ",127.0.0.1:"
                        + pg.pair.replicaPort() + "/" + app.database(), app.user(), app.password());
                try (ResumeReviewDb fresh = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(both)
                        .schemaCheck(SchemaCheck.OFF).build())) {
                    for (int i = 0; i < 20; i++) {
                        acknowledged.add(fresh.users().create(TestUsers.newUser()).id());
                    }
                    // No memory of the old timeline's fork: the old token is refused, never answered without its write.
                    assertThatThrownBy(() -> fresh.readingAfter(token, () -> fresh.users().findById(mine.id())))
                            .isInstanceOf(ConsistencyLostException.class).hasMessageContaining("timeline 2");
                    Topology seen = fresh.health(Duration.ofSeconds(2)).topology();
                    assertThat(seen.primary()).as(seen.toString()).contains("127.0.0.1:" + pg.pair.replicaPort());
                    assertThat(seen.hosts()).as(seen.toString()).anySatisfy(h -> {
                        assertThat(h.address()).isEqualTo("127.0.0.1:" + pg.pair.primaryPort());
                        assertThat(h.role()).isEqualTo(Topology.Role.REFUSED);
                    });
                }
                assertRefusedOnceWhileSeenAgainAndAgain(both, pg.pair.primaryPort());
                stop.set(true);
                for (Thread t : writers) {
                    t.join(15_000);
                }
                Topology after = db.health(Duration.ofSeconds(2)).topology();
                assertThat(after.primary()).as(after.toString()).contains("127.0.0.1:" + pg.pair.replicaPort());
                assertThat(after.timeline()).isEqualTo(2);
                assertThat(after.hosts()).as(after.toString()).anySatisfy(h -> assertThat(h.role()).isEqualTo(Topology.Role.REFUSED));
                assertThat(meters.get("resume_review_db.primary.refused").counter().count()).isEqualTo(1.0);
                long onStale = countUsers(pg.pair.primaryPort(), app.database()) - staleRowsAtReturn;
                long found = countIds(pg.pair.replicaPort(), app.database(), acknowledged);

                // Only the stale primary left: refused for reads and writes, and health says why.
                long staleRowsBeforeOutage = countUsers(pg.pair.primaryPort(), app.database());
                pg.pair.killReplica();
                Health alone = db.health(Duration.ofSeconds(2));
                for (long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                        alone.topology().primary().isPresent() && System.nanoTime() < until; ) {
                    Thread.sleep(50);   // the background look notices the new primary is gone
                    alone = db.health(Duration.ofSeconds(2));
                }
                assertThat(alone.up()).as(alone.toString()).isFalse();
                assertThat(alone.topology().primary()).as(alone.toString()).isEmpty();
                assertThat(alone.reason()).get().asString().contains("no usable primary").contains("REFUSED");
                assertThat(alone.topology().hosts()).as(alone.toString()).anySatisfy(h -> {
                    assertThat(h.address()).isEqualTo("127.0.0.1:" + pg.pair.primaryPort());
                    assertThat(h.role()).isEqualTo(Topology.Role.REFUSED);
                    assertThat(h.detail()).contains("stale primary");
                });
                assertThat(countUsers(pg.pair.primaryPort(), app.database())).isEqualTo(staleRowsBeforeOutage);

                return new Run(resumeMillis, acknowledged.size(), acknowledged.size() - found, onStale,
                        acknowledged.size() - ackedAtReturn, server);
            } finally {
                stop.set(true);
            }
        }
    }

    /** A locator looking every 50 ms for half a second: one ERROR line and one count for the stale host, not ten. */
    private static void assertRefusedOnceWhileSeenAgainAndAgain(DatabaseUrl both, int stalePort) throws Exception {
        RecordingLogger log = new RecordingLogger();
        AtomicLong refusals = new AtomicLong();
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", both.user());
        if (both.password() != null) {
            props.setProperty("password", both.password());
        }
        List<String> urls = both.hosts().stream().map(h -> both.onHost(h).jdbcUrl()).toList();
        try (PrimaryLocator locator = new PrimaryLocator(both.hosts(), urls, props, Duration.ofSeconds(2),
                Duration.ofMillis(50), log, refusals::incrementAndGet)) {
            locator.getConnection().close();
            Thread.sleep(500);
        }
        assertThat(log.lines()).as(log.lines().toString()).filteredOn(l -> l.message().contains("refusing database host"))
                .hasSize(1).allSatisfy(l -> {
                    assertThat(l.level()).isEqualTo(org.slf4j.event.Level.ERROR);
                    assertThat(l.message()).contains("127.0.0.1:" + stalePort).contains("timeline 1").contains("timeline 2");
                });
        assertThat(refusals.get()).isEqualTo(1);
    }

    private static List<Thread> startWriters(ResumeReviewDb db, Set<UUID> acknowledged, AtomicLong lastAckNanos,
                                             AtomicBoolean stop) {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        User u = db.users().create(TestUsers.newUser());
                        acknowledged.add(u.id());
                        lastAckNanos.accumulateAndGet(System.nanoTime(), Math::max);
                    } catch (ResumeReviewDbException e) {
                        // a write during the failover may fail; only acknowledged ones are counted
                        FAILURES.merge(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), 1, Integer::sum);
                    }
                }
            }, "failover-writer-" + w);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
        return writers;
    }

    private static long awaitAckAfter(AtomicLong lastAckNanos, long since) throws InterruptedException {
        long deadline = since + Duration.ofSeconds(15).toNanos();
        while (lastAckNanos.get() - since < 0) {
            if (System.nanoTime() > deadline) {
                return Long.MAX_VALUE;
            }
            Thread.sleep(5);
        }
        return Math.max(0, (lastAckNanos.get() - since) / 1_000_000);
    }

    private static Connection admin(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
    }

    private static void resetSynchronousStandbys(int port) throws SQLException {
        try (Connection c = admin(port, "postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM RESET synchronous_standby_names");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static long countUsers(int port, String database) throws SQLException {
        try (Connection c = admin(port, database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM users")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long countIds(int port, String database, Set<UUID> ids) throws SQLException {
        try (Connection c = admin(port, database);
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM users WHERE id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
