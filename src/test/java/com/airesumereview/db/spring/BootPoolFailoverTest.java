package com.airesumereview.db.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.Topology;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.reliability.ReliabilityFigures;
import com.airesumereview.db.replication.ReplicaPair;
import com.airesumereview.db.replication.ReplicatedSnapshot;
import com.airesumereview.db.testing.TestUsers;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Boot's own HikariCP pool on a multi-host {@code spring.datasource.url} (primary and streaming standby of real
 * servers): the primary killed, the standby promoted, the old primary started again on the old timeline. The same
 * context (no restart) writes on, through the library and through a {@code JdbcTemplate} on Boot's pool, and none of
 * those writes reach the old primary.
 */
class BootPoolFailoverTest {
    private static final String PROBE_THREAD = "resume-review-db-primary-probe";

    @Test
    void bootsPoolFollowsThePromotedStandbyWithoutARestartAndNeverWritesToTheStalePrimary() throws Exception {
        try (ReplicatedSnapshot pg = ReplicatedSnapshot.start(TestRole.LEAST_PRIVILEGE, ReplicaPair.Mode.ASYNC_STANDBY)) {
            DatabaseUrl app = pg.primaryUrl;
            int oldPrimary = pg.pair.primaryPort();
            int standby = pg.pair.replicaPort();
            String both = "jdbc:postgresql://127.0.0.1:" + oldPrimary + ",127.0.0.1:" + standby + "/" + app.database();
            String server;
            try (HikariDataSource admin = pg.primaryPool()) {
                server = ReliabilityFigures.serverVersion(admin);
            }
            long probesBefore = probeThreads();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            boot(app, both).run(context -> {
                assertThat(context).hasNotFailed();
                ResumeReviewDb db = context.getBean(ResumeReviewDb.class);
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
                db.users().create(TestUsers.newUser());
                Topology before = db.health(Duration.ofSeconds(2)).topology();
                assertThat(before.primary()).as(before.toString()).contains("127.0.0.1:" + oldPrimary);
                assertThat(before.hosts()).as(before.toString()).hasSize(2);

                AtomicLong lastAck = new AtomicLong();
                AtomicBoolean stop = new AtomicBoolean();
                Thread writer = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            db.users().create(TestUsers.newUser());
                            lastAck.accumulateAndGet(System.nanoTime(), Math::max);
                        } catch (ResumeReviewDbException e) {
                            failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                        }
                    }
                }, "boot-pool-writer");
                writer.setDaemon(true);
                writer.start();
                try {
                    Thread.sleep(300);
                    pg.pair.killPrimary();
                    pg.pair.promoteReplica();
                    long promoted = System.nanoTime();
                    long resumeMillis = awaitAckAfter(lastAck, promoted);
                    assertThat(resumeMillis).as("first acknowledged write on Boot's pool after the promotion, ms;"
                            + " write failures: " + failures).isLessThan(1000);

                    // The old primary back on the old timeline, as a primary that takes writes.
                    pg.pair.startPrimary();
                    long staleRowsAtReturn = countUsers(oldPrimary, app.database());
                    Thread.sleep(600);   // the background probe sees it (and refuses it)
                    // Boot's pool replaces its connections (as at maxLifetime): the new ones must not go to the old primary.
                    ((HikariDataSource) context.getBean(DataSource.class)).getHikariPoolMXBean().softEvictConnections();
                    long written = 0;
                    for (int i = 0; i < 20; i++) {
                        db.users().create(TestUsers.newUser());
                        insertThroughBootsPool(jdbc);
                        written += 2;
                    }
                    stop.set(true);
                    writer.join(15_000);
                    long onStale = countUsers(oldPrimary, app.database()) - staleRowsAtReturn;
                    assertThat(onStale).as("writes through Boot's pool that reached the old primary").isZero();

                    Topology after = db.health(Duration.ofSeconds(2)).topology();
                    assertThat(after.primary()).as(after.toString()).contains("127.0.0.1:" + standby);
                    assertThat(after.timeline()).isEqualTo(2);
                    assertThat(after.hosts()).as(after.toString()).anySatisfy(h -> {
                        assertThat(h.address()).isEqualTo("127.0.0.1:" + oldPrimary);
                        assertThat(h.role()).isEqualTo(Topology.Role.REFUSED);
                    });
                    Map<String, Object> details = context.getBean("resumeReviewDbHealthIndicator", HealthIndicator.class)
                            .health().getDetails();
                    assertThat(details).as(details.toString()).containsEntry("primary", "127.0.0.1:" + standby)
                            .containsEntry("timeline", 2L).containsKey("hosts");
                    assertThat(context.getBean(MeterRegistry.class).get("resume_review_db.primary.refused").counter()
                            .count()).isEqualTo(1.0);
                    ReliabilityFigures.record("failover.boot_pool.resume_after_promotion", resumeMillis
                            + " ms (limit 1000 ms), 1 writer, Boot's HikariCP pool", null, server);
                    ReliabilityFigures.record("failover.boot_pool.stale_primary_writes", onStale + " of " + written
                            + " writes (library and JdbcTemplate) reached the old primary back on the old timeline",
                            null, server);
                } finally {
                    stop.set(true);
                }
            });
            // Closing the context closed the locator with Boot's pool: its probe thread is gone.
            for (long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    probeThreads() > probesBefore && System.nanoTime() < until; ) {
                Thread.sleep(20);
            }
            assertThat(probeThreads()).as("primary probe threads after the context closed").isEqualTo(probesBefore);
        }
    }

    /** Boot's JDBC auto-configuration and the library's, on {@code url}, with a meter registry. */
    private static ApplicationContextRunner boot(DatabaseUrl credentials, String url) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class))
                .withConfiguration(AutoConfigurations.of(ResumeReviewDbAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("spring.datasource.url=" + url,
                        "spring.datasource.username=" + credentials.user(),
                        "spring.datasource.password=" + (credentials.password() == null ? "" : credentials.password()),
                        "spring.datasource.hikari.maximum-pool-size=4",
                        "resume-review-db.schema-check=OFF");
    }

    private static void insertThroughBootsPool(JdbcTemplate jdbc) {
        try {
            jdbc.update("insert into users (email, password_hash, first_name, last_name) values (?, ?, 'Boot', 'Pool')",
                    TestUsers.uniqueEmail(), TestUsers.passwordHash());
        } catch (DataAccessException e) {
            throw new AssertionError("a JdbcTemplate write on Boot's pool after the failover failed", e);
        }
    }

    private static long probeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(PROBE_THREAD) && t.isAlive())
                .count();
    }

    private static long awaitAckAfter(AtomicLong lastAck, long since) throws InterruptedException {
        long deadline = since + Duration.ofSeconds(15).toNanos();
        while (lastAck.get() - since < 0) {
            if (System.nanoTime() > deadline) {
                return Long.MAX_VALUE;
            }
            Thread.sleep(5);
        }
        return Math.max(0, (lastAck.get() - since) / 1_000_000);
    }

    private static long countUsers(int port, String database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + "?user=postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM users")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
