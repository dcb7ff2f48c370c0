package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.provisioning.SchemaSnapshot;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixteen writers create uploads and complete analyses through {@link ResumeReviewDb#connect} (HikariCP, 1 s
 * connection timeout) while every backend is killed and, later, the server is restarted. Uses its own embedded
 * PostgreSQL 15 (fixed data directory and port, stopped and started again), never the shared server.
 *
 * <p>Afterwards: every write the library acknowledged is in the database; no analysis is completed without
 * its result and no result exists without its completed request; the pool served writes again within 5 s of
 * the server being back. Prints acknowledged and found counts and the recovery time.
 */
@Tag("slow")
class FaultsTest {
    private static final int WRITERS = 16;
    private static final String DATABASE = "faults";

    @TempDir
    Path dataDirectory;

    private EmbeddedPostgres server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory.resolve("pgdata"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("timezone", "UTC")
                .setServerConfig("max_connections", "100")
                .start();
    }

    @Test
    void acknowledgedWritesSurviveKilledConnectionsAndARestart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = start(port);
        String admin = "jdbc:postgresql://localhost:" + port + "/postgres";
        execute(admin, "CREATE DATABASE " + DATABASE);
        String url = "jdbc:postgresql://localhost:" + port + "/" + DATABASE + "?user=postgres";
        org.postgresql.ds.PGSimpleDataSource owner = new org.postgresql.ds.PGSimpleDataSource();
        owner.setURL("jdbc:postgresql://localhost:" + port + "/" + DATABASE);
        owner.setUser("postgres");
        SchemaSnapshot.bundled().applyTo(owner);

        ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(url)
                .maximumPoolSize(WRITERS).connectionTimeout(Duration.ofSeconds(1)).schemaCheck(SchemaCheck.OFF).build());
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            users.add(db.users().create(TestUsers.newUser()).id());
        }

        Set<UUID> ackUploads = ConcurrentHashMap.newKeySet();
        Set<UUID> ackRequests = ConcurrentHashMap.newKeySet();
        Set<UUID> ackCompleted = ConcurrentHashMap.newKeySet();
        Map<String, Long> failures = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong serverBackAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAckAfterBack = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            UUID user = users.get(w);
            writers.add(pool.submit(() -> {
                int step = 0;
                while (running.get()) {
                    try {
                        switch (step++ % 3) {
                            case 0 -> ackUploads.add(db.fileUploads().create(TestUploads.pdf(user)).id());
                            case 1 -> ackRequests.add(db.analyses().create(TestAnalyses.newRequest(user)).id());
                            default -> {
                                Optional<AnalysisRequest> claimed = db.analyses().claimNextPending();
                                if (claimed.isPresent()) {
                                    ackCompleted.add(db.analyses().complete(claimed.get().id(), TestAnalyses.newResult())
                                            .request().id());
                                }
                            }
                        }
                        long now = System.nanoTime();
                        if (now > serverBackAt.get()) {
                            firstAckAfterBack.accumulateAndGet(now, Math::min);
                        }
                    } catch (RuntimeException e) {
                        // Every failure a caller sees must be one of the library's own exceptions.
                        failures.merge((e instanceof com.airesumereview.db.ResumeReviewDbException ? "" : "UNEXPECTED ")
                                + e.getClass().getName(), 1L, Long::sum);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }));
        }

        Thread.sleep(2_000);
        int killed = terminateBackends("jdbc:postgresql://localhost:" + port + "/" + DATABASE);
        Thread.sleep(2_000);
        int acknowledgedBeforeRestart = ackUploads.size() + ackRequests.size() + ackCompleted.size();
        server.close();
        server = null;
        Thread.sleep(1_500);
        server = start(port);
        serverBackAt.set(System.nanoTime());
        Thread.sleep(6_000);
        running.set(false);
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        db.close();

        long recoveryMs = firstAckAfterBack.get() == Long.MAX_VALUE ? -1
                : TimeUnit.NANOSECONDS.toMillis(firstAckAfterBack.get() - serverBackAt.get());
        String check = "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
        Set<UUID> foundUploads = ids(check, "SELECT id FROM file_uploads");
        Set<UUID> foundRequests = ids(check, "SELECT id FROM analysis_requests");
        Set<UUID> foundCompleted = ids(check, "SELECT r.id FROM analysis_requests r WHERE r.status = 'completed'"
                + " AND EXISTS (SELECT 1 FROM analysis_results x WHERE x.request_id = r.id)");
        long completedWithoutResult = count(check, "SELECT count(*) FROM analysis_requests r WHERE r.status = 'completed'"
                + " AND NOT EXISTS (SELECT 1 FROM analysis_results x WHERE x.request_id = r.id)");
        long resultWithoutCompletion = count(check, "SELECT count(*) FROM analysis_results x WHERE NOT EXISTS"
                + " (SELECT 1 FROM analysis_requests r WHERE r.id = x.request_id AND r.status = 'completed')");

        System.out.printf("[reliability] faults: %d writers; backends killed: %d; acknowledged before restart: %d;"
                        + " failures by type: %s%n", WRITERS, killed, acknowledgedBeforeRestart, new TreeMap<>(failures));
        System.out.printf("[reliability] faults: uploads acknowledged %d, found %d (of %d rows); requests acknowledged %d,"
                        + " found %d (of %d rows); completions acknowledged %d, found completed with result %d (of %d)%n",
                ackUploads.size(), intersect(ackUploads, foundUploads), foundUploads.size(), ackRequests.size(),
                intersect(ackRequests, foundRequests), foundRequests.size(), ackCompleted.size(),
                intersect(ackCompleted, foundCompleted), foundCompleted.size());
        System.out.printf("[reliability] faults: completed without result %d, result without completed request %d;"
                + " first acknowledged write %d ms after the server was back%n", completedWithoutResult,
                resultWithoutCompletion, recoveryMs);

        assertThat(killed).as("backends terminated").isGreaterThan(0);
        assertThat(failures).as("the faults were felt by the writers").isNotEmpty();
        assertThat(failures.keySet()).as("failures by type during the outage: every one is a library exception")
                .noneMatch(type -> type.startsWith("UNEXPECTED "));
        assertThat(foundUploads).containsAll(ackUploads);
        assertThat(foundRequests).containsAll(ackRequests);
        assertThat(foundCompleted).containsAll(ackCompleted);
        assertThat(completedWithoutResult).isZero();
        assertThat(resultWithoutCompletion).isZero();
        assertThat(recoveryMs).as("ms from server back to the first acknowledged write").isBetween(0L, 5_000L);
        assertThat(ackUploads.size() + ackRequests.size() + ackCompleted.size())
                .as("writes acknowledged after the restart").isGreaterThan(acknowledgedBeforeRestart);
    }

    private static int intersect(Set<UUID> acknowledged, Set<UUID> found) {
        return (int) acknowledged.stream().filter(found::contains).count();
    }

    private static int terminateBackends(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Set<UUID> ids(String url, String sql) throws SQLException {
        Set<UUID> out = new java.util.HashSet<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getObject(1, UUID.class));
            }
        }
        return out;
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
