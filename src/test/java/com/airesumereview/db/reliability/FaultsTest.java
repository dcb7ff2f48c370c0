package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.provisioning.SchemaSnapshot;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
 * A crash under load. Sixteen writers create uploads and analysis requests and complete analyses through
 * {@link ResumeReviewDb#connect} (HikariCP, 1 s connection timeout) on a dedicated embedded PostgreSQL with
 * {@code synchronous_commit = on}, {@code fsync = on} and {@code full_page_writes = on} (the zonky default is
 * {@code synchronous_commit = off}, which would make "acknowledged" mean nothing after a crash). The postmaster
 * and every one of its processes are killed with SIGKILL at once: no shutdown checkpoint, no flush. The server is
 * started again on the same data directory and port, so it runs WAL crash recovery (checked in its log).
 *
 * <p>Afterwards, per table: every write the library acknowledged is in the database, and every row in the
 * database was either acknowledged or in flight when it failed (a commit whose answer the crash swallowed is
 * "in doubt": it may or may not be there, and the library said so with {@link DatabaseUnavailableException}).
 * No analysis is completed without its result and no result exists without its completed request. Every
 * failure a writer saw is {@link DatabaseUnavailableException}. The pool serves writes again within 5 s of the
 * server being back.
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
                .setPGStartupWait(Duration.ofSeconds(120))
                .setServerConfig("timezone", "UTC")
                .setServerConfig("max_connections", "100")
                // Durability as production has it: a commit is acknowledged only once its WAL is on disk.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                // The server's own log, read after the restart for the crash-recovery lines.
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", dataDirectory.resolve("log").toString())
                .setServerConfig("log_filename", "postgresql.log")
                .start();
    }

    /** What one writer does in one step, keyed by something the database keeps, so the outcome can be looked up. */
    private record Attempt(String table, String key) {
    }

    @Test
    void acknowledgedWritesSurviveASigkillCrashOfThePostmasterAndAllBackends() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = start(port);
        String admin = "jdbc:postgresql://localhost:" + port + "/postgres";
        execute(admin, "CREATE DATABASE " + DATABASE);
        String check = "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
        String url = check + "?user=postgres";
        org.postgresql.ds.PGSimpleDataSource owner = new org.postgresql.ds.PGSimpleDataSource();
        owner.setURL(check);
        owner.setUser("postgres");
        SchemaSnapshot.bundled().applyTo(owner);
        String serverVersion = ReliabilityFigures.serverVersion(owner);

        ResumeReviewDb db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(url)
                .maximumPoolSize(WRITERS).connectionTimeout(Duration.ofSeconds(1)).schemaCheck(SchemaCheck.OFF).build());
        assertThat(db.dsl().fetchValue("SHOW synchronous_commit")).as("synchronous_commit seen by the library")
                .isEqualTo("on");
        assertThat(db.dsl().fetchValue("SHOW fsync")).isEqualTo("on");
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            users.add(db.users().create(TestUsers.newUser()).id());
        }

        Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
        Map<String, Set<String>> inDoubt = new ConcurrentHashMap<>();
        for (String table : List.of("file_uploads", "analysis_requests", "completions")) {
            acknowledged.put(table, ConcurrentHashMap.newKeySet());
            inDoubt.put(table, ConcurrentHashMap.newKeySet());
        }
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
                    Attempt attempt = null;
                    try {
                        switch (step++ % 3) {
                            case 0 -> {
                                NewFileUpload upload = TestUploads.pdf(user);
                                attempt = new Attempt("file_uploads", upload.filename());
                                db.fileUploads().create(upload);
                            }
                            case 1 -> {
                                NewAnalysisRequest request = TestAnalyses.newRequest(user);
                                attempt = new Attempt("analysis_requests", request.filePath());
                                db.analyses().create(request);
                            }
                            default -> {
                                Optional<AnalysisRequest> claimed = db.analyses().claimNextPending();
                                if (claimed.isPresent()) {
                                    attempt = new Attempt("completions", claimed.get().id().toString());
                                    db.analyses().complete(claimed.get().id(), TestAnalyses.newResult());
                                }
                            }
                        }
                        if (attempt != null) {
                            acknowledged.get(attempt.table()).add(attempt.key());
                        }
                        long now = System.nanoTime();
                        if (now > serverBackAt.get()) {
                            firstAckAfterBack.accumulateAndGet(now, Math::min);
                        }
                    } catch (RuntimeException e) {
                        failures.merge(e.getClass().getName(), 1L, Long::sum);
                        if (attempt != null) {
                            inDoubt.get(attempt.table()).add(attempt.key());
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }));
        }

        Thread.sleep(3_000);
        assertThat(failures).as("no failure before the crash").isEmpty();
        Crash crash = killEverything(dataDirectory.resolve("pgdata"), DATABASE);
        int acknowledgedBeforeCrash = total(acknowledged);
        server.close(); // its pg_ctl stop finds no server (logged); releases the data directory lock
        server = null;
        Thread.sleep(2_000);
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
        Map<String, Set<String>> found = new TreeMap<>();
        found.put("file_uploads", strings(check, "SELECT filename FROM file_uploads"));
        found.put("analysis_requests", strings(check, "SELECT file_path FROM analysis_requests"));
        found.put("completions", strings(check, "SELECT r.id::text FROM analysis_requests r WHERE r.status = 'completed'"
                + " AND EXISTS (SELECT 1 FROM analysis_results x WHERE x.request_id = r.id)"));
        long completedWithoutResult = count(check, "SELECT count(*) FROM analysis_requests r WHERE r.status = 'completed'"
                + " AND NOT EXISTS (SELECT 1 FROM analysis_results x WHERE x.request_id = r.id)");
        long resultWithoutCompletion = count(check, "SELECT count(*) FROM analysis_results x WHERE NOT EXISTS"
                + " (SELECT 1 FROM analysis_requests r WHERE r.id = x.request_id AND r.status = 'completed')");
        String log = Files.readString(dataDirectory.resolve("log").resolve("postgresql.log"), StandardCharsets.UTF_8);

        System.out.printf("[reliability] faults: %s, %d writers, synchronous_commit on; SIGKILL of postmaster %d and %d"
                        + " processes, %d of them client backends of %s; acknowledged before the crash %d;"
                        + " failures by type %s%n", serverVersion, WRITERS, crash.postmaster(), crash.processes(),
                crash.backends(), DATABASE, acknowledgedBeforeCrash, new TreeMap<>(failures));
        List<String> perTable = new ArrayList<>();
        for (String table : found.keySet()) {
            Set<String> ack = acknowledged.get(table);
            Set<String> extra = new HashSet<>(found.get(table));
            extra.removeAll(ack);
            perTable.add(String.format("%s: acknowledged %d, found %d of them; found but not acknowledged %d"
                    + " (calls that failed and may have committed: %d)", table, ack.size(),
                    intersect(ack, found.get(table)), extra.size(), inDoubt.get(table).size()));
        }
        perTable.forEach(line -> System.out.println("[reliability] faults: " + line));
        System.out.printf("[reliability] faults: completed without result %d, result without completed request %d;"
                        + " first acknowledged write %d ms after the server was back; recovery in log: %s%n",
                completedWithoutResult, resultWithoutCompletion, recoveryMs, recoveryLines(log));

        // The crash was a crash: every process gone, and the restart replayed WAL.
        assertThat(crash.backends()).as("client backends of %s SIGKILLed (the pool's connections)", DATABASE)
                .isEqualTo(WRITERS);
        assertThat(log).as("server log after restart").contains("database system was interrupted")
                .contains("redo starts at").contains("redo done at");
        // What the callers saw.
        assertThat(failures).as("the crash was felt by the writers").isNotEmpty();
        assertThat(failures.keySet()).as("type of every failure during the outage")
                .containsOnly(DatabaseUnavailableException.class.getName());
        // What the database kept.
        for (String table : found.keySet()) {
            Set<String> ack = acknowledged.get(table);
            assertThat(found.get(table)).as("%s: every acknowledged write is there", table).containsAll(ack);
            Set<String> unacknowledged = new HashSet<>(found.get(table));
            unacknowledged.removeAll(ack);
            assertThat(inDoubt.get(table)).as("%s: every row found but not acknowledged was a call that failed", table)
                    .containsAll(unacknowledged);
        }
        assertThat(completedWithoutResult).as("completed analyses without a result").isZero();
        assertThat(resultWithoutCompletion).as("results without a completed analysis").isZero();
        assertThat(recoveryMs).as("ms from server back to the first acknowledged write").isBetween(0L, 5_000L);
        assertThat(total(acknowledged)).as("writes acknowledged after the restart").isGreaterThan(acknowledgedBeforeCrash);

        long unavailable = failures.getOrDefault(DatabaseUnavailableException.class.getName(), 0L);
        ReliabilityFigures.record("faults.crash", String.format("SIGKILL of the postmaster and all %d of its processes"
                        + " under %d writers, synchronous_commit on; %d client backends killed; WAL redo at restart",
                crash.processes(), WRITERS, crash.backends()), null, serverVersion);
        ReliabilityFigures.record("faults.acknowledged_vs_found", String.join("; ", perTable), null, serverVersion);
        ReliabilityFigures.record("faults.half_written_units", String.format("completed without result %d, result"
                + " without completion %d", completedWithoutResult, resultWithoutCompletion), null, serverVersion);
        ReliabilityFigures.record("faults.failures_during_outage", String.format("%d, all DatabaseUnavailableException",
                unavailable), null, serverVersion);
        ReliabilityFigures.record("faults.first_write_after_restart", recoveryMs + " ms (limit 5000 ms)", null,
                serverVersion);
    }

    private record Crash(long postmaster, int processes, int backends) {
    }

    /**
     * SIGKILLs the postmaster named in {@code postmaster.pid} and every process under it, and waits until all are
     * gone. Counts the client backends of {@code database} (process title {@code postgres: <user> <database> ...}).
     */
    private static Crash killEverything(Path pgdata, String database) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postmaster " + pid));
        List<ProcessHandle> children = postmaster.descendants().toList();
        int backends = 0;
        for (ProcessHandle child : children) {
            String title = title(child.pid());
            if (title.startsWith("postgres: ") && title.split(" ").length > 2 && title.split(" ")[2].equals(database)) {
                backends++;
            }
        }
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<ProcessHandle> all = new ArrayList<>(children);
        all.add(postmaster);
        for (ProcessHandle p : all) {
            while (p.isAlive()) {
                assertThat(System.nanoTime()).as("process %d still alive after SIGKILL", p.pid()).isLessThan(deadline);
                Thread.sleep(10);
            }
        }
        return new Crash(pid, children.size(), backends);
    }

    private static String title(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String recoveryLines(String log) {
        return log.lines().filter(l -> l.contains("interrupted") || l.contains("redo ")).map(l -> l.replaceAll(
                "^.*(LOG|FATAL):\\s*", "")).toList().toString();
    }

    private static int total(Map<String, Set<String>> sets) {
        return sets.values().stream().mapToInt(Set::size).sum();
    }

    private static int intersect(Set<String> acknowledged, Set<String> found) {
        return (int) acknowledged.stream().filter(found::contains).count();
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Set<String> strings(String url, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
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
