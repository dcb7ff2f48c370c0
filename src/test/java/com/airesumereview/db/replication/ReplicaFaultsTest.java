package com.airesumereview.db.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.ReplicaReadCounts;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.testing.TestPrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The replica killed ({@code pg_ctl stop -m immediate}) and restarted under load through the public API:
 * 8 reader threads and 2 writers that read back each of their writes. Callers see no error and writers no stale
 * read; the replica serves again after the restart. About a minute: a load run, so tagged slow
 * ({@code mvn -B verify -Pslow}).
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaFaultsTest {
    private ReplicatedSnapshot pg;
    private ResumeReviewDb db;

    @BeforeAll
    void start() {
        pg = ReplicatedSnapshot.start(TestRole.OWNER);
        db = ResumeReviewDb.create(pg.primaryPool(), pg.pool(pg.replicaUrl, "test-replica", 12));
    }

    @AfterAll
    void stop() {
        if (db != null) {
            db.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    @Order(1)
    void replicaKilledAndRestartedUnderLoadCostsCallersNothing() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        AtomicLong staleReads = new AtomicLong();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        db.prompts().listActiveByType(PromptType.SYSTEM);
                        db.schemaMigrations().list();
                        reads.addAndGet(2);
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
            }));
        }
        for (int i = 0; i < 2; i++) {
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        Prompt p = db.prompts().create(TestPrompts.newPrompt());
                        writes.incrementAndGet();
                        if (db.prompts().findActiveByName(p.name()).isEmpty()) {
                            staleReads.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
            }));
        }
        try {
            Thread.sleep(3000);
            long replicaReadsBeforeKill = db.replicaReadCounts().replicaReads();
            assertThat(replicaReadsBeforeKill).as("replica serves reads before the kill").isPositive();

            pg.pair.killReplica();
            Thread.sleep(4000);
            ReplicaReadCounts whileDown = db.replicaReadCounts();
            pg.pair.startReplica();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (db.replicaReadCounts().replicaReads() < whileDown.replicaReads() + 100) {
                assertThat(System.nanoTime()).as("replica serves again within 20 s of its restart").isLessThan(deadline);
                Thread.sleep(100);
            }
            Thread.sleep(2000);
            assertThat(whileDown.primaryReadsUnavailable()).as("reads sent to the primary while the replica was down")
                    .isPositive();
        } finally {
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> w : workers) {
            w.get();
        }
        ReplicaReadCounts counts = db.replicaReadCounts();
        System.out.printf("replica kill/restart under load: %d reads, %d writes, %d errors, %d stale; %s%n",
                reads.get(), writes.get(), errors.size(), staleReads.get(), counts);
        assertThat(errors).as("errors seen by callers").isEmpty();
        assertThat(staleReads.get()).as("writers that did not see their own write").isZero();
        assertThat(writes.get()).as("writes during the run").isGreaterThan(20);
    }

    @Test
    @Order(2)
    void primaryDownIsDatabaseUnavailableForWritesAndForReadsNoReplicaMayServe() throws Exception {
        db.prompts().create(TestPrompts.newPrompt());
        pg.pair.awaitReplayed();
        pg.pair.killPrimary();
        try {
            assertThatThrownBy(() -> db.prompts().create(TestPrompts.newPrompt()))
                    .isInstanceOf(DatabaseUnavailableException.class);
            // Without its primary the replica's data ages; past the 1 s limit a read with no write has nowhere to go.
            Thread.sleep(1500);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    db.schemaMigrations().list();
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            reader.start();
            reader.join();
            assertThat(failure.get()).as("read with the primary down and the replica too stale")
                    .isInstanceOf(DatabaseUnavailableException.class);
        } finally {
            pg.pair.startPrimary();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                db.prompts().create(TestPrompts.newPrompt());
                break;
            } catch (DatabaseUnavailableException e) {
                assertThat(System.nanoTime()).as("primary accepts writes again").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** Last: it ends the pair's replication. A promoted replica forks its own history and serves no read. */
    @Test
    @Order(3)
    void promotedReplicaServesNoReadNotEvenToATokenItHasReplayed() throws Exception {
        Prompt p = db.prompts().create(TestPrompts.newPrompt());
        String token = db.consistencyToken();
        pg.pair.awaitReplayed();
        pg.pair.promoteReplica();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long before;
        do {
            Thread.sleep(100);   // the probe's next round sees pg_is_in_recovery() = false
            before = db.replicaReadCounts().replicaReads();
            Thread reader = new Thread(() -> db.readingAfter(token, () -> db.prompts().findActiveByName(p.name())));
            reader.start();
            reader.join();
        } while (db.replicaReadCounts().replicaReads() > before && System.nanoTime() < deadline);
        // From now on nothing reaches the promoted server: neither a token holder nor a plain read.
        long replicaReads = db.replicaReadCounts().replicaReads();
        for (int i = 0; i < 50; i++) {
            assertThat(db.readingAfter(token, () -> db.prompts().findActiveByName(p.name()))).isPresent();
            db.schemaMigrations().list();
        }
        assertThat(db.replicaReadCounts().replicaReads()).as("reads on the promoted replica").isEqualTo(replicaReads);
        assertThat(db.replicaReadCounts().primaryReadsUnavailable()).isPositive();
    }
}
