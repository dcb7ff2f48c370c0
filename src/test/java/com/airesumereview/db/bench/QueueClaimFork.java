package com.airesumereview.db.bench;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.TestAnalyses;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * One fork of the queue benchmark: a JVM of its own, a fresh snapshot database, one HikariCP pool shared by
 * {@code ResumeReviewDb.create(pool)} and {@link JdbcBaseline#claimPending} (the library's claim statement sent by
 * hand, with the low-water mark kept by hand). {@link QueueClaimBenchmarkTest} starts the forks and combines them.
 *
 * <p>For each history (1,000 completed requests, then 1,000,000) the fork loads the history and, newer than it,
 * {@code 2 x (warm-up + timed) + 10,000} pending requests; then it claims {@code bench.queue.warmupClaims} (20,000)
 * per side and times {@code bench.queue.timedClaims} (2,000) per side, the two sides interleaved call by call, so
 * the timed claims run with 14,000 down to 10,000 requests pending. The library's claims include its low-water
 * probe (once a second), the baseline's do not. On the large history it then records PostgreSQL's own execution
 * time of the claim and of the probe (EXPLAIN ANALYZE, rolled back) and the previous claim statement, and drains
 * {@code bench.queue.drain} (3,000) requests with 4, 8, 4 and 8 workers (claim, then complete with a result),
 * counting duplicates and requests left behind in the database. {@code synchronous_commit} is the server's own
 * (every claim is a commit, as in production).
 */
public final class QueueClaimFork {
    static final int PENDING = 10_000;
    static final int SMALL_HISTORY = 1_000;
    static final int LARGE_HISTORY = Integer.getInteger("bench.queue.history", 1_000_000);
    static final int WARM_UP = Integer.getInteger("bench.queue.warmupClaims", 20_000);
    static final int TIMED = Integer.getInteger("bench.queue.timedClaims", 2_000);
    static final int DRAIN = Integer.getInteger("bench.queue.drain", 3_000);
    /**
     * The low-water probe's shape (AnalysisRepository), for EXPLAIN ANALYZE; the claim's server time is measured on
     * the library's own claim statement ({@link JdbcBaseline#CLAIM_PENDING}, checked by SameSqlTest).
     */
    static final String PROBE = "SELECT min(pending.created_at) FROM (SELECT created_at FROM analysis_requests"
            + " WHERE status = 'pending' OFFSET 0) pending";
    static final String OLD_CLAIM = "SELECT id FROM analysis_requests WHERE status = 'pending'"
            + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED";

    private QueueClaimFork() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int fork = Integer.parseInt(args[1]);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("fork", fork);
        result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        result.put("warm_up_claims_per_side", WARM_UP);
        result.put("timed_claims_per_side", TIMED);
        try (PostgresProvisioner server = PostgresProvisioner.start();
             ProvisionedDatabase database = server.createSnapshotDatabase();
             HikariDataSource pool = BenchData.pool(database, "queue-bench", 10, null)) {
            // Ten connections: eight drain workers, and two spare so that a borrowed one is never waited for.
            DataSource owner = database.ownerDataSource();
            result.put("postgresql", BenchData.row(pool, "select version()").get(0));
            result.put("synchronous_commit", BenchData.row(pool, "show synchronous_commit").get(0));
            UUID user = UUID.fromString(String.valueOf(BenchData.row(owner, "INSERT INTO users (email, password_hash,"
                    + " first_name, last_name) VALUES ('queue-bench@example.com', 'x', 'Queue', 'Bench') RETURNING id")
                    .get(0)));
            ResumeReviewDb library = ResumeReviewDb.create(pool);
            JdbcBaseline jdbc = new JdbcBaseline(pool);

            List<Map<String, Object>> histories = new ArrayList<>();
            result.put("claims", histories);
            for (int history : new int[] {SMALL_HISTORY, LARGE_HISTORY}) {
                BenchData.execute(owner, "TRUNCATE analysis_requests CASCADE");
                Progress.line("queue fork " + fork + ": loading " + history + " completed + " + loadedPending()
                        + " pending");
                load(owner, user, history, loadedPending());
                Progress.line("queue fork " + fork + ": " + WARM_UP + " warm-up + " + TIMED + " timed claims per side");
                histories.add(claims(library, jdbc, history));
                Progress.line("queue fork " + fork + ": " + histories.get(histories.size() - 1));
            }
            Object mark = BenchData.row(owner, PROBE).get(0);
            result.put("server_time_claim", serverTime(owner, JdbcBaseline.CLAIM_PENDING, mark));
            result.put("server_time_probe", serverTime(owner, PROBE));
            result.put("previous_claim_statement", oldClaimShape(owner));

            List<Map<String, Object>> drains = new ArrayList<>();
            result.put("drains", drains);
            for (int workers : new int[] {4, 8, 4, 8}) {
                BenchData.execute(owner, "DELETE FROM analysis_requests WHERE status <> 'completed'");
                BenchData.execute(owner, "TRUNCATE analysis_results");
                insertPending(owner, user, DRAIN);
                BenchData.execute(owner, "VACUUM ANALYZE analysis_requests");
                Progress.line("queue fork " + fork + ": " + workers + " workers drain " + DRAIN);
                drains.add(drain(library, owner, workers));
                Progress.line("queue fork " + fork + ": " + drains.get(drains.size() - 1));
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    }

    static int loadedPending() {
        return 2 * (WARM_UP + TIMED) + PENDING;
    }

    /** Warm-up, then timed claims; both sides interleaved call by call on one pool. */
    private static Map<String, Object> claims(ResumeReviewDb library, JdbcBaseline jdbc, int history) {
        Instant[] mark = {Instant.EPOCH};
        for (int i = 0; i < WARM_UP; i++) {
            library.analyses().claimNextPending().orElseThrow();
            claimByHand(jdbc, mark);
        }
        long[] lib = new long[TIMED];
        long[] base = new long[TIMED];
        for (int i = 0; i < TIMED; i++) {
            long start = System.nanoTime();
            Optional<AnalysisRequest> a = library.analyses().claimNextPending();
            long middle = System.nanoTime();
            AnalysisRequest b = claimByHand(jdbc, mark);
            long end = System.nanoTime();
            if (a.isEmpty() || b == null) {
                throw new IllegalStateException("claim " + i + " found no pending request");
            }
            lib[i] = middle - start;
            base[i] = end - middle;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("completed_history", history);
        row.put("pending_while_timed", (PENDING + 2 * TIMED) + " down to " + PENDING);
        row.put("library", percentiles(lib));
        row.put("jdbc_same_claim_statement", percentiles(base));
        return row;
    }

    /** The baseline's claim, keeping the low-water mark by hand: raised to each claimed request's created_at. */
    private static AnalysisRequest claimByHand(JdbcBaseline jdbc, Instant[] mark) {
        AnalysisRequest claimed = jdbc.claimPending(mark[0]).orElse(null);
        if (claimed != null && claimed.createdAt().isAfter(mark[0])) {
            mark[0] = claimed.createdAt();
        }
        return claimed;
    }

    private static Map<String, Object> percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("p50_ms", ms(sorted[sorted.length / 2]));
        p.put("p90_ms", ms(sorted[sorted.length * 9 / 10]));
        p.put("p99_ms", ms(sorted[sorted.length * 99 / 100]));
        return p;
    }

    /** Median and p90 of PostgreSQL's own "Execution Time" of {@code sql} with {@code binds}, 50 runs each rolled back. */
    private static Map<String, Object> serverTime(DataSource owner, String sql, Object... binds) throws Exception {
        int runs = 50;
        double[] ms = new double[runs];
        ObjectMapper json = new ObjectMapper();
        try (Connection c = owner.getConnection();
             PreparedStatement s = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
            c.setAutoCommit(false);
            for (int k = 0; k < binds.length; k++) {
                s.setObject(k + 1, binds[k]);
            }
            for (int i = 0; i < runs; i++) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    ms[i] = json.readTree(rs.getString(1)).get(0).get("Execution Time").asDouble();
                }
                c.rollback();
            }
        }
        Arrays.sort(ms);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sql", sql);
        s.put("p50_ms", round(ms[runs / 2]));
        s.put("p90_ms", round(ms[runs * 9 / 10]));
        s.put("runs", runs);
        return s;
    }

    /** The statement claims used before: a walk of idx_analysis_requests_created_at from the oldest row. */
    private static Map<String, Object> oldClaimShape(DataSource owner) throws SQLException {
        int runs = 5;
        long[] nanos = new long[runs];
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = s.executeQuery(OLD_CLAIM)) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the previous claim statement found no pending request");
                    }
                }
                nanos[i] = System.nanoTime() - start;
                c.rollback();
            }
        }
        Arrays.sort(nanos);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sql", OLD_CLAIM);
        s.put("p50_ms", ms(nanos[runs / 2]));
        s.put("runs", runs);
        return s;
    }

    /** {@code workers} threads claim and complete until nothing is pending; counted again in the database. */
    private static Map<String, Object> drain(ResumeReviewDb db, DataSource owner, int workers) throws Exception {
        NewAnalysisResult result = TestAnalyses.minimalResult();
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(workers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            futures.add(threads.submit(() -> {
                go.await();
                long twice = 0;
                Optional<AnalysisRequest> next;
                while ((next = db.analyses().claimNextPending()).isPresent()) {
                    if (!seen.add(next.get().id())) {
                        twice++;
                    }
                    db.analyses().complete(next.get().id(), result);
                }
                return twice;
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        long twice = 0;
        for (Future<Long> f : futures) {
            twice += f.get();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        threads.shutdown();
        List<Object> counts = BenchData.row(owner, "SELECT count(*), count(DISTINCT request_id) FROM analysis_results");
        long results = ((Number) counts.get(0)).longValue();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("workers", workers);
        s.put("requests", DRAIN);
        s.put("millis", millis);
        s.put("requests_per_second", round(DRAIN / (millis / 1000.0)));
        s.put("claimed_twice_by_workers", twice);
        s.put("results_in_database", results);
        s.put("duplicate_results_in_database", results - ((Number) counts.get(1)).longValue());
        s.put("left_behind_in_database", BenchData.count(owner,
                "SELECT count(*) FROM analysis_requests WHERE status <> 'completed'"));
        return s;
    }

    /** {@code completed} old completed requests, then {@code pending} newer pending ones; VACUUM ANALYZE. */
    private static void load(DataSource owner, UUID user, int completed, int pending) {
        BenchData.execute(owner, "INSERT INTO analysis_requests (user_id, original_filename, file_path,"
                + " file_size_bytes, mime_type, status, created_at, updated_at, completed_at)"
                + " SELECT '" + user + "', 'resume-' || g || '.pdf', 'uploads/done/' || g || '.pdf', 123456,"
                + " 'application/pdf', 'completed', t, t, t + interval '30 seconds'"
                + " FROM generate_series(1, " + completed + ") g, LATERAL (SELECT now() - interval '40 days'"
                + " + g * interval '1 second' AS t) x");
        insertPending(owner, user, pending);
        BenchData.execute(owner, "VACUUM ANALYZE analysis_requests");
    }

    /** Pending requests created in the last two hours, newer than any completed one, 100 ms apart. */
    private static void insertPending(DataSource owner, UUID user, int pending) {
        BenchData.execute(owner, "INSERT INTO analysis_requests (user_id, original_filename, file_path,"
                + " file_size_bytes, mime_type, status, created_at)"
                + " SELECT '" + user + "', 'resume-' || g || '.pdf', 'uploads/new/' || g || '.pdf', 123456,"
                + " 'application/pdf', 'pending', now() - interval '2 hours' + g * interval '100 milliseconds'"
                + " FROM generate_series(1, " + pending + ") g");
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

}
