package com.airesumereview.db.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ReplicaReadCounts;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.internal.ReplicaRouter;
import com.airesumereview.db.internal.ReplicaRouter.State;
import com.airesumereview.db.internal.WalPosition;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.testing.RecordingLogger;
import com.airesumereview.db.testing.TestUsers;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link ReplicaRouter} driven directly with data sources on a real primary and streaming replica
 * ({@link ReplicaPair}). Each read's connection says where it ran ({@code pg_is_in_recovery()}) and whether it
 * sees the caller's write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaRouterTest {
    private ReplicatedSnapshot pg;
    private HikariDataSource primary;
    private HikariDataSource replica;
    private ResumeReviewDb writer;
    private ReplicaRouter router;
    private RecordingLogger log;

    @BeforeAll
    void startPair() {
        pg = ReplicatedSnapshot.start(TestRole.OWNER);
        primary = pg.primaryPool();
        writer = ResumeReviewDb.create(primary);
    }

    @AfterAll
    void stopPair() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void newRouter() {
        replica = pg.replicaPool();
        log = new RecordingLogger();
        router = new ReplicaRouter(primary, List.of(new ReplicaRouter.Replica("replica", replica, replica)),
                Duration.ofSeconds(1), ReplicaRouter.DEFAULT_PROBE_INTERVAL, log);
        await("replica serving", Duration.ofSeconds(10), () -> router.states().get("replica") == State.SERVING);
    }

    @AfterEach
    void closeRouter() {
        router.close();
        pg.pair.resumeReplay();
        pg.pair.applyDelay(Duration.ZERO);
    }

    @Test
    void readWithoutEarlierWriteRunsOnTheReplica() throws SQLException {
        try (Connection c = router.readConnection()) {
            assertThat(ReplicatedSnapshot.onReplica(c)).as("read without earlier write ran on the replica").isTrue();
        }
        assertThat(router.counts().replicaReads()).isEqualTo(1);
        assertThat(replica.isClosed()).isFalse();
        router.close();
        assertThat(replica.isClosed()).as("the router closes the replica pool it owns").isTrue();
    }

    @Test
    void writerReadsItsWriteFromThePrimaryWhileReplayIsPausedAndFromTheReplicaOnceReplayed() throws SQLException {
        pg.pair.pauseReplay();
        UUID id = writer.users().create(TestUsers.newUser()).id();
        router.written();
        try (Connection c = router.readConnection()) {
            assertThat(ReplicatedSnapshot.onReplica(c)).as("replica has not replayed the write: primary").isFalse();
            assertThat(ReplicatedSnapshot.seesUser(c, id)).isTrue();
        }
        try (Connection c = pg.replicaPool().getConnection()) {
            assertThat(ReplicatedSnapshot.seesUser(c, id)).as("precondition: the paused replica lacks the row").isFalse();
        }
        pg.pair.resumeReplay();
        awaitRead("writer's read back on the replica", id, true);
    }

    @Test
    void tokenCarriesTheWriteToAnotherThreadWhileReplayIsPaused() throws Exception {
        pg.pair.pauseReplay();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            UUID id = writer.users().create(TestUsers.newUser()).id();
            router.written();
            String token = router.consistencyToken();
            assertThat(token).startsWith("rrdb2.").doesNotContain("/");

            // Another thread that did not write: without the token it may read the (paused) replica,
            // with it the read goes where the write is.
            Future<Boolean[]> withToken = other.submit(() -> router.readingAfter(token, () -> {
                try (Connection c = router.readConnection()) {
                    return new Boolean[] {ReplicatedSnapshot.onReplica(c), ReplicatedSnapshot.seesUser(c, id)};
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertThat(withToken.get()).as("{on replica, sees write} with the token").containsExactly(false, true);

            pg.pair.resumeReplay();
            pg.pair.awaitReplayed();
            Future<Boolean> onReplicaLater = other.submit(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline) {
                    Boolean result = router.readingAfter(token, () -> {
                        try (Connection c = router.readConnection()) {
                            boolean replicaRead = ReplicatedSnapshot.onReplica(c);
                            assertThat(ReplicatedSnapshot.seesUser(c, id)).isTrue();
                            return replicaRead ? Boolean.TRUE : null;
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    if (result != null) {
                        return true;
                    }
                    Thread.sleep(20);
                }
                return false;
            });
            assertThat(onReplicaLater.get()).as("token holder reads the replica once it replayed the write").isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void writerReadsItsWriteWhileReplayIsDelayedAndReadersWithoutWritesLeaveTheLaggingReplica() throws Exception {
        pg.pair.applyDelay(Duration.ofSeconds(5));
        UUID id = writer.users().create(TestUsers.newUser()).id();
        router.written();
        String token = router.consistencyToken();
        long writtenAt = System.nanoTime();
        try (Connection c = router.readConnection()) {
            assertThat(ReplicatedSnapshot.seesUser(c, id)).isTrue();
            assertThat(ReplicatedSnapshot.onReplica(c)).isFalse();
        }
        // A second thread with the token, and the writer itself, never miss the row during the delay.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            while (System.nanoTime() - writtenAt < Duration.ofMillis(2500).toNanos()) {
                try (Connection c = router.readConnection()) {
                    assertThat(ReplicatedSnapshot.seesUser(c, id)).as("writer during the apply delay").isTrue();
                }
                assertThat(other.submit(() -> router.readingAfter(token, () -> {
                    try (Connection c = router.readConnection()) {
                        return ReplicatedSnapshot.seesUser(c, id);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                })).get()).as("token holder during the apply delay").isTrue();
                Thread.sleep(50);
            }
            // Replay is more than 1 s behind the primary's last commit: a read with no write leaves the replica.
            await("replica lagging", Duration.ofSeconds(5), () -> router.states().get("replica") == State.LAGGING);
            Future<Boolean> plainRead = other.submit(() -> {
                try (Connection c = router.readConnection()) {
                    return ReplicatedSnapshot.onReplica(c);
                }
            });
            assertThat(plainRead.get()).as("read without a write while the replica lags > 1 s").isFalse();
        } finally {
            other.shutdownNow();
        }
        awaitRead("writer back on the replica after the delay", id, true);
        assertThat(log.count("-> LAGGING")).as(log.lines().toString()).isEqualTo(1);
    }

    @Test
    void cachedReplayPositionNeverServesAReadBehindTheCallersWrite() throws Exception {
        // Reads at random moments right after a write, racing replay and the probe: every read must see the write,
        // and both destinations must actually be exercised, else the test proves nothing.
        int stale = 0;
        int replicaReads = 0;
        int primaryReads = 0;
        for (int i = 0; i < 300; i++) {
            UUID id = writer.users().create(TestUsers.newUser()).id();
            router.written();
            long pause = ThreadLocalRandom.current().nextLong(0, 120);
            if (pause > 0) {
                Thread.sleep(pause);
            }
            try (Connection c = router.readConnection()) {
                if (ReplicatedSnapshot.onReplica(c)) {
                    replicaReads++;
                } else {
                    primaryReads++;
                }
                if (!ReplicatedSnapshot.seesUser(c, id)) {
                    stale++;
                }
            }
        }
        assertThat(stale).as("stale reads (replica reads %d, primary reads %d)", replicaReads, primaryReads).isZero();
        assertThat(replicaReads).as("reads served by the replica").isGreaterThan(10);
        assertThat(primaryReads).as("reads sent to the primary").isGreaterThan(10);
    }

    @Test
    void tokenOfAnotherClusterNeverReadsThisReplica() throws SQLException {
        String mine = router.consistencyToken();
        WalPosition position = WalPosition.fromToken(mine);
        String foreign = new WalPosition(position.systemId() + 1, 0).token();
        Boolean onReplica = router.readingAfter(foreign, () -> {
            try (Connection c = router.readConnection()) {
                return ReplicatedSnapshot.onReplica(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(onReplica).as("a token from a rebuilt or other cluster reads the primary").isFalse();
        assertThatThrownBy(() -> router.readingAfter("not-a-token", () -> 1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("consistencyToken");
    }

    @Test
    void replicaOfAnotherClusterServesNoRead() throws SQLException {
        String server = System.getenv("RESUME_REVIEW_DB_SERVER_URL");
        Assumptions.assumeTrue(server != null && !server.isBlank(),
                "needs RESUME_REVIEW_DB_SERVER_URL: a second cluster to play a rebuilt primary");
        DatabaseUrl url = DatabaseUrl.parse(server);
        PGSimpleDataSource otherCluster = new PGSimpleDataSource();
        otherCluster.setURL(url.jdbcUrl());
        if (url.user() != null) {
            otherCluster.setUser(url.user());
        }
        if (url.password() != null) {
            otherCluster.setPassword(url.password());
        }
        RecordingLogger foreignLog = new RecordingLogger();
        try (ReplicaRouter foreign = new ReplicaRouter(otherCluster,
                List.of(new ReplicaRouter.Replica("replica", pg.replicaPool(), null)), Duration.ofSeconds(1),
                ReplicaRouter.DEFAULT_PROBE_INTERVAL, foreignLog)) {
            await("replica seen as another cluster's", Duration.ofSeconds(10),
                    () -> foreign.states().get("replica") == State.FOREIGN);
            try (Connection c = foreign.readConnection()) {
                assertThat(ReplicatedSnapshot.onReplica(c)).as("read with a replica of another cluster").isFalse();
            }
            assertThat(foreign.counts().replicaReads()).isZero();
            assertThat(foreignLog.count("-> FOREIGN")).as(foreignLog.lines().toString()).isEqualTo(1);
        }
    }

    @Test
    void killedReplicaSendsReadsToThePrimaryWithOneLogLineAndServesAgainAfterRestart() throws Exception {
        pg.pair.killReplica();
        try {
            for (int i = 0; i < 50; i++) {
                assertThat(readOnReplicaWithRetry()).as("read %d with the replica down", i).isFalse();
            }
            await("replica down", Duration.ofSeconds(10), () -> router.states().get("replica") == State.DOWN);
            Thread.sleep(500);   // several failed probes: still one line
        } finally {
            pg.pair.startReplica();
        }
        await("replica serving again", Duration.ofSeconds(30), () -> router.states().get("replica") == State.SERVING);
        assertThat(readOnReplicaWithRetry()).isTrue();
        assertThat(log.count("-> DOWN")).as(log.lines().toString()).isEqualTo(1);
        assertThat(log.count("-> SERVING")).as(log.lines().toString()).isEqualTo(1);
        ReplicaReadCounts counts = router.counts();
        assertThat(counts.primaryReadsUnavailable()).isGreaterThanOrEqualTo(1);
        assertThat(counts.replicaStateChanges()).isGreaterThanOrEqualTo(2);
    }

    /** The engine's protocol: on a broken replica connection, ask the router and read again. */
    private boolean readOnReplicaWithRetry() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = router.readConnection()) {
                return ReplicatedSnapshot.onReplica(c);
            } catch (SQLException e) {
                if (attempt >= 3 || !router.readFailed(e)) {
                    throw e;
                }
            }
        }
    }

    private void awaitRead(String what, UUID id, boolean onReplica) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try (Connection c = router.readConnection()) {
                assertThat(ReplicatedSnapshot.seesUser(c, id)).as("%s: the read sees the write", what).isTrue();
                if (ReplicatedSnapshot.onReplica(c) == onReplica) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            sleep(20);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for: %s", timeout, what).isLessThan(deadline);
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
