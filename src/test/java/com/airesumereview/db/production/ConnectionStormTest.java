package com.airesumereview.db.production;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.provisioning.SchemaSnapshot;
import com.airesumereview.db.reliability.ReliabilityFigures;
import com.airesumereview.db.spring.ResumeReviewDbAutoConfiguration;
import com.airesumereview.db.testing.TestUsers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A storm of callers on a small pool while the server goes away and comes back (a server of the test's own,
 * stopped with a fast shutdown and started again): during the outage every caller waits at most the connection
 * timeout and gets {@link DatabaseUnavailableException}, nothing else; once the server accepts connections again
 * every caller is served within 1 s. Before the pool retried the server itself, HikariCP's adder slept up to 5 s
 * between attempts (doubling from 10 ms), and service resumed up to that long after the server was back.
 */
class ConnectionStormTest {
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(1);
    /** Scheduling slack on two shared cores, on top of the connection timeout, for a caller's longest failed wait. */
    private static final Duration WAIT_SLACK = Duration.ofMillis(700);

    @Test
    void fiftyCallersOnAPoolOfTenAreServedWithinOneSecondOfTheServersReturn() throws Exception {
        storm(50, Duration.ofSeconds(3), Duration.ofSeconds(1), 1, "storm.50_threads_3s_outage");
    }

    @Test
    void closingDuringAnOutageEndsTheRetryingAtOnce() throws Exception {
        try (ThrowawayServer server = ThrowawayServer.start()) {
            ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(server.url("postgres"))
                    .maximumPoolSize(2).connectionTimeout(Duration.ofSeconds(10)).schemaCheck(SchemaCheck.OFF).build());
            assertThat(db.health(Duration.ofSeconds(2)).up()).isTrue();
            server.stop();
            // the pool's connections are dead: the adder now retries the server in the background
            assertThat(db.health(Duration.ofSeconds(2)).up()).isFalse();
            Thread.sleep(300);
            long start = System.nanoTime();
            db.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close during an outage")
                    .isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    @Tag("slow")
    void twoHundredCallersAreServedWithinOneSecondOfTheServersReturnAfterTenSecondsInThreeOfThree() throws Exception {
        storm(200, Duration.ofSeconds(10), Duration.ofSeconds(10), 3, "storm.200_threads_10s_outage");
    }

    /** Spring Boot's own HikariCP pool (the library's connection settings put on it) takes the same storm. */
    @Test
    void fiftyCallersOnBootsOwnPoolAreServedWithinOneSecondOfTheServersReturn() throws Exception {
        storm(50, Duration.ofSeconds(3), Duration.ofSeconds(1), 1, "storm.boot_pool.50_threads_3s_outage",
                (url, connectionTimeout, body) -> new ApplicationContextRunner()
                        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                                ResumeReviewDbAutoConfiguration.class))
                        .withPropertyValues("spring.datasource.url=" + url.jdbcUrl(),
                                "spring.datasource.username=" + url.user(),
                                "spring.datasource.hikari.maximum-pool-size=10",
                                "spring.datasource.hikari.connection-timeout=" + connectionTimeout.toMillis(),
                                "resume-review-db.schema-check=OFF")
                        .run(context -> {
                            assertThat(context).hasNotFailed();
                            body.accept(context.getBean(ResumeReviewDb.class));
                        }));
    }

    /** Boot closing its pool during an outage ends the retrying under it first, so shut-down is not held up. */
    @Test
    void closingBootsContextDuringAnOutageEndsTheRetryingAtOnce() throws Exception {
        try (ThrowawayServer server = ThrowawayServer.start()) {
            DatabaseUrl url = server.url("postgres");
            long[] closeNanos = {0};
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                            ResumeReviewDbAutoConfiguration.class))
                    .withPropertyValues("spring.datasource.url=" + url.jdbcUrl(), "spring.datasource.username=" + url.user(),
                            "spring.datasource.hikari.maximum-pool-size=2",
                            "spring.datasource.hikari.connection-timeout=10000", "resume-review-db.schema-check=OFF")
                    .run(context -> {
                        ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
                        assertThat(db.health(Duration.ofSeconds(2)).up()).isTrue();
                        server.stop();
                        // the pool's connections are dead: the adder now retries the server in the background
                        assertThat(db.health(Duration.ofSeconds(2)).up()).isFalse();
                        Thread.sleep(300);
                        long start = System.nanoTime();
                        context.close();
                        closeNanos[0] = System.nanoTime() - start;
                    });
            assertThat(Duration.ofNanos(closeNanos[0])).as("Boot's context closed during an outage")
                    .isLessThan(Duration.ofSeconds(3));
        }
    }

    /** Runs {@code body} on a library instance with a pool of 10 on {@code url}, closed afterwards. */
    private interface Instance {
        void with(DatabaseUrl url, Duration connectionTimeout, Body body) throws Exception;
    }

    private interface Body {
        void accept(ResumeReviewDb db) throws Exception;
    }

    /** The library's own pool, from the URL. */
    private static void libraryPool(DatabaseUrl url, Duration connectionTimeout, Body body) throws Exception {
        try (ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(url)
                .maximumPoolSize(10).connectionTimeout(connectionTimeout).schemaCheck(SchemaCheck.OFF).build())) {
            body.accept(db);
        }
    }

    private static void storm(int threads, Duration outage, Duration connectionTimeout, int repeats, String figure)
            throws Exception {
        storm(threads, outage, connectionTimeout, repeats, figure, ConnectionStormTest::libraryPool);
    }

    private static void storm(int threads, Duration outage, Duration connectionTimeout, int repeats, String figure,
                              Instance instance) throws Exception {
        try (ThrowawayServer server = ThrowawayServer.start()) {
            server.sql("CREATE DATABASE storm");
            PGSimpleDataSource owner = new PGSimpleDataSource();
            owner.setURL(server.url("storm").jdbcUrl());
            owner.setUser("postgres");
            SchemaSnapshot.bundled().applyTo(owner);
            String version = ReliabilityFigures.serverVersion(owner);
            instance.with(server.url("storm"), connectionTimeout, db -> {
                User user = db.users().create(TestUsers.newUser());
                AtomicLongArray lastServed = new AtomicLongArray(threads);
                AtomicLong unavailable = new AtomicLong();
                AtomicLong longestFailedWait = new AtomicLong();
                List<String> others = Collections.synchronizedList(new ArrayList<>());
                ExecutorService callers = Executors.newFixedThreadPool(threads);
                List<Long> servedAfter = new ArrayList<>();
                try {
                    for (int t = 0; t < threads; t++) {
                        int me = t;
                        callers.submit(() -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                long start = System.nanoTime();
                                try {
                                    assertThat(db.users().findById(user.id())).isPresent();
                                    lastServed.set(me, System.nanoTime());
                                } catch (DatabaseUnavailableException e) {
                                    unavailable.incrementAndGet();
                                    longestFailedWait.accumulateAndGet(System.nanoTime() - start, Math::max);
                                } catch (RuntimeException | AssertionError e) {
                                    if (Thread.currentThread().isInterrupted()) {
                                        return;
                                    }
                                    others.add(e.getClass().getName() + ": " + e.getMessage());
                                }
                            }
                        });
                    }
                    for (int repeat = 1; repeat <= repeats; repeat++) {
                        long steady = System.nanoTime();
                        Thread.sleep(1000);
                        assertServedSince(lastServed, steady, "before outage " + repeat);
                        server.stop();
                        Thread.sleep(outage.toMillis());
                        server.startInBackground();
                        long accepting = server.awaitAccepting();
                        long deadline = accepting + TimeUnit.SECONDS.toNanos(30);
                        while (!allServedSince(lastServed, accepting) && System.nanoTime() < deadline) {
                            Thread.sleep(5);
                        }
                        long last = 0;
                        for (int t = 0; t < threads; t++) {
                            last = Math.max(last, lastServedAfter(lastServed, t, accepting));
                        }
                        servedAfter.add(TimeUnit.NANOSECONDS.toMillis(last - accepting));
                    }
                } finally {
                    callers.shutdownNow();
                    callers.awaitTermination(30, TimeUnit.SECONDS);
                }
                assertThat(others).as("failures other than DatabaseUnavailableException").isEmpty();
                assertThat(unavailable.get()).as("callers told the database is unavailable during the outage").isPositive();
                assertThat(Duration.ofNanos(longestFailedWait.get())).as("longest wait of a failed caller")
                        .isLessThanOrEqualTo(connectionTimeout.plus(WAIT_SLACK));
                assertThat(servedAfter).as("ms from the server accepting connections to the last of %d callers served,"
                        + " per repeat", threads).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(SERVED_WITHIN.toMillis()));
                ReliabilityFigures.record(figure, threads + " threads, pool of 10, " + outage.toSeconds() + " s outage, "
                        + "connection timeout " + connectionTimeout.toSeconds() + " s: last caller served "
                        + servedAfter + " ms after the server accepted connections again (" + repeats + " of " + repeats
                        + " within 1 s); longest failed wait " + TimeUnit.NANOSECONDS.toMillis(longestFailedWait.get())
                        + " ms, all DatabaseUnavailableException", null, version);
            });
        }
    }

    private static long lastServedAfter(AtomicLongArray lastServed, int t, long since) {
        long v = lastServed.get(t);
        return v > since ? v : Long.MAX_VALUE;
    }

    private static boolean allServedSince(AtomicLongArray lastServed, long since) {
        for (int t = 0; t < lastServed.length(); t++) {
            if (lastServed.get(t) <= since) {
                return false;
            }
        }
        return true;
    }

    private static void assertServedSince(AtomicLongArray lastServed, long since, String when) {
        assertThat(allServedSince(lastServed, since)).as("every caller served %s", when).isTrue();
    }
}
