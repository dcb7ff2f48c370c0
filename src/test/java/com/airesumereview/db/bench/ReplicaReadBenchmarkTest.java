package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.internal.ReplicaRouter;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.replication.ReplicatedSnapshot;
import com.airesumereview.db.testing.TestPrompts;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Read throughput with the primary alone versus primary plus one streaming replica, and the cost of the routing
 * decision per read: {@code mvn -B verify -Pbench -Dtest=ReplicaReadBenchmarkTest}
 * (settings: {@code -Dbench.replica.seconds=5 -Dbench.replica.threads=8}).
 *
 * <p>Honest limits: both servers are started by the test on the same machine, so primary and replica share the
 * same cores (two on the project's machines) with each other and with the JVM driving the load. The replica adds
 * no CPU here, only a second server process and WAL replay; the figure says what routing costs and whether it
 * keeps throughput, not what a replica on its own hardware would add.
 */
@Tag("bench")
class ReplicaReadBenchmarkTest {
    private static final int SECONDS = Integer.getInteger("bench.replica.seconds", 5);
    private static final int THREADS = Integer.getInteger("bench.replica.threads", 8);
    private static final int ROUNDS = 2;

    @Test
    void readThroughputPrimaryAloneVersusPrimaryPlusReplicaAndRoutingCost() throws Exception {
        try (ReplicatedSnapshot pg = ReplicatedSnapshot.start(TestRole.OWNER)) {
            HikariDataSource primary = pg.pool(pg.primaryUrl, "bench-primary", THREADS);
            HikariDataSource replica = pg.pool(pg.replicaUrl, "bench-replica", THREADS);
            List<String> names = new ArrayList<>();
            try (ResumeReviewDb seed = ResumeReviewDb.create(primary)) {
                for (int i = 0; i < 500; i++) {
                    Prompt p = seed.prompts().create(TestPrompts.newPrompt());
                    names.add(p.name());
                }
            }
            pg.pair.awaitReplayed();

            double[] alone = new double[ROUNDS];
            double[] withReplica = new double[ROUNDS];
            long replicaReads = 0;
            long totalReads = 0;
            for (int round = 0; round < ROUNDS; round++) {
                try (ResumeReviewDb db = ResumeReviewDb.create(primary)) {
                    alone[round] = readsPerSecond(db, names);
                }
                try (ResumeReviewDb db = ResumeReviewDb.create(primary, replica)) {
                    Thread.sleep(300);   // first probes
                    withReplica[round] = readsPerSecond(db, names);
                    replicaReads += db.replicaReadCounts().replicaReads();
                    totalReads += db.replicaReadCounts().replicaReads() + db.replicaReadCounts().primaryReads();
                }
            }

            // The routing decision alone: taking and returning a replica connection through the router versus
            // straight from the same pool, one thread, no statement.
            long direct;
            long routed;
            try (ReplicaRouter router = new ReplicaRouter(primary, List.of(new ReplicaRouter.Replica("bench", replica, null)),
                    Duration.ofSeconds(1), ReplicaRouter.DEFAULT_PROBE_INTERVAL)) {
                Thread.sleep(300);
                int n = 200_000;
                nanosPerConnection(replica::getConnection, n);          // warm-up
                nanosPerConnection(router::readConnection, n);
                direct = nanosPerConnection(replica::getConnection, n);
                routed = nanosPerConnection(router::readConnection, n);
                assertThat(router.counts().replicaReads()).as("the router served from the replica").isGreaterThan(n);
            }

            String report = String.format(Locale.ROOT,
                    "Replica read benchmark (%d threads, %d s per run, %d rounds interleaved; primary and replica on the"
                            + " same %d cores as this JVM)%n"
                            + "  findActiveByName, primary alone:      %s reads/s%n"
                            + "  findActiveByName, primary + replica:  %s reads/s (%.0f%% of reads served by the replica)%n"
                            + "  connection via router:  %d ns/read; straight from the pool: %d ns/read; routing decision: %d ns%n",
                    THREADS, SECONDS, ROUNDS, Runtime.getRuntime().availableProcessors(),
                    rounds(alone), rounds(withReplica), 100.0 * replicaReads / Math.max(1, totalReads),
                    routed, direct, routed - direct);
            System.out.print(report);
            assertThat(replicaReads).as("reads served by the replica").isPositive();
        }
    }

    private static String rounds(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(String.format(Locale.ROOT, "%,.0f", v));
        }
        return String.join(" / ", parts);
    }

    private static double readsPerSecond(ResumeReviewDb db, List<String> names) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Long>> counts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            counts.add(pool.submit(() -> {
                long n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (running.get()) {
                    if (db.prompts().findActiveByName(names.get(random.nextInt(names.size()))).isEmpty()) {
                        throw new IllegalStateException("seeded prompt not found");
                    }
                    n++;
                }
                return n;
            }));
        }
        long start = System.nanoTime();
        Thread.sleep(SECONDS * 1000L);
        running.set(false);
        long total = 0;
        for (Future<Long> f : counts) {
            total += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return total / seconds;
    }

    @FunctionalInterface
    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private static long nanosPerConnection(ConnectionSource source, int n) throws SQLException {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Connection c = source.get()) {
                if (c == null) {
                    throw new IllegalStateException("no connection");
                }
            }
        }
        return (System.nanoTime() - start) / n;
    }
}
