package com.airesumereview.db.bench;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One fork of the library-versus-JDBC benchmark: a JVM of its own, a fresh snapshot database, one HikariCP pool
 * shared by {@code ResumeReviewDb.create(pool)} and {@link JdbcBaseline}. For every {@link Scenarios scenario}
 * it first checks that both sides send the same SQL (and read the same rows), then runs
 * {@link SteadyStateComparison}; then bulk ingest against COPY. Writes its figures as JSON to the file named by
 * its first argument; {@link LibraryVsJdbcBenchmarkTest} starts the forks and combines them.
 *
 * <p>Settings (system properties, defaults are the rules): {@code bench.warmupCalls} (20000),
 * {@code bench.maxWarmupCalls} (24000), {@code bench.measuredCalls} (5000), {@code bench.batch} (500),
 * {@code bench.bulk.rows} (100000), {@code bench.bulk.runs} (3 per side), {@code bench.synchronousCommit}
 * ({@code off}, see README), {@code bench.only} (scenario names containing this text, or any of several separated by {@code |}), {@code bench.bulk}
 * ({@code false} leaves bulk ingest out), {@code bench.pooler} and {@code bench.roundTrips} ({@link PoolerMode}),
 * {@code bench.selectOne} ({@code true}: time JDBC {@code SELECT 1} before and after the scenarios, for
 * {@link LatencyBenchmarkTest}'s added round trip).
 */
public final class ForkMain {
    private ForkMain() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int fork = Integer.parseInt(args[1]);
        SteadyStateComparison.Settings settings = new SteadyStateComparison.Settings(
                Integer.getInteger("bench.warmupCalls", 20_000), Integer.getInteger("bench.maxWarmupCalls", 24_000),
                Integer.getInteger("bench.measuredCalls", 5_000), Integer.getInteger("bench.batch", 500),
                Double.parseDouble(System.getProperty("bench.tolerance", "0.05")));
        String only = System.getProperty("bench.only", "");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("fork", fork);
        result.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        result.put("jvm_options", ManagementFactory.getRuntimeMXBean().getInputArguments());
        result.put("settings", settings);
        List<Map<String, Object>> rows = new ArrayList<>();
        result.put("scenarios", rows);
        try (PostgresProvisioner server = PostgresProvisioner.start();
             ProvisionedDatabase db = server.createSnapshotDatabase();
             PoolerMode.Pools pools = PoolerMode.fromProperty().open(db, 2, synchronousCommit())) {
            // One thread measures; two connections so a borrowed one is never waited for.
            HikariDataSource pool = pools.timed();
            result.put("pooler", PoolerMode.fromProperty().text);
            result.put("postgresql", BenchData.row(pool, "select version()").get(0));
            result.put("synchronous_commit", BenchData.row(pool, "show synchronous_commit").get(0));
            ResumeReviewDb library = ResumeReviewDb.create(pool);
            JdbcBaseline jdbc = new JdbcBaseline(pool);
            RecordingDataSource recorder = new RecordingDataSource(pools.recorded());
            Progress.line("fork " + fork + ": setting up the data");
            Scenarios.Fixture data = new Scenarios.Fixture(pool, library, settings.maxCalls() + 2, settings.batch(),
                    Scenarios.UPLOADS);
            List<Scenario> timed = Scenarios.all(data, library, jdbc);
            List<Scenario> recorded = Scenarios.all(data, ResumeReviewDb.create(recorder.dataSource()),
                    new JdbcBaseline(recorder.dataSource()));
            SteadyStateComparison harness = new SteadyStateComparison(settings);
            boolean selectOne = Boolean.getBoolean("bench.selectOne");
            if (selectOne) {
                result.put("select_one_before_ms", selectOne(pool, harness, fork, "before"));
            }
            for (int k = 0; k < timed.size(); k++) {
                Scenario s = timed.get(k);
                if (!selected(s.name(), only)) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                rows.add(row);
                row.put("name", s.name());
                row.put("target", s.target().text);
                row.put("target_max_ratio", s.target().maxRatio);
                try {
                    measure(s, recorded.get(k), recorder, harness, settings, row, fork);
                } catch (RuntimeException e) {
                    // One broken scenario (e.g. a changed repository API) must not cost the other scenarios' figures.
                    row.put("error", e.toString());
                    Progress.line("fork " + fork + ": " + s.name() + ": FAILED, not measured: " + e);
                }
            }
            if (selectOne) {
                result.put("select_one_after_ms", selectOne(pool, harness, fork, "after"));
            }
            if (selected("bulk ingest", only) && !"false".equals(System.getProperty("bench.bulk"))) {
                result.put("bulk", bulk(pool, library, fork));
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
    }

    private static void measure(Scenario s, Scenario recorded, RecordingDataSource recorder,
                                SteadyStateComparison harness, SteadyStateComparison.Settings settings,
                                Map<String, Object> row, int fork) {
        SqlCheck check = SqlCheck.of(recorded, recorder, settings.maxCalls());
        row.put("same_sql", check.sameSql());
        row.put("same_result", check.sameResult());
        row.put("sql", check.library());
        if (Boolean.getBoolean("bench.roundTrips")) {
            row.put("library_round_trips", check.libraryRoundTrips());
            row.put("baseline_round_trips", check.baselineRoundTrips());
        }
        if (!check.sameSql()) {
            row.put("baseline_sql", check.baseline());
            Progress.line("fork " + fork + ": " + s.name() + ": NOT MEASURED, the baseline's SQL differs from"
                    + " the library's (see SameSqlTest)");
            return;
        }
        if (!check.sameResult()) {
            throw new IllegalStateException(s.name() + ": library and baseline read different results");
        }
        Progress.line("fork " + fork + ": " + s.name());
        SteadyStateComparison.Outcome o = harness.run(s, 0);
        row.put("library_ms", o.libraryMs());
        row.put("baseline_ms", o.baselineMs());
        row.put("ratio", o.ratio());
        row.put("library_p90_ms", o.libraryP90Ms());
        row.put("baseline_p90_ms", o.baselineP90Ms());
        row.put("library_bytes_per_op", o.libraryBytes());
        row.put("baseline_bytes_per_op", o.baselineBytes());
        row.put("warmup_calls_per_side", o.warmupCalls());
        row.put("measured_calls_per_side", o.measuredCalls());
        row.put("steady", o.steady());
        Progress.line(String.format(Locale.ROOT, "fork %d: %s: library %.4f ms, JDBC %.4f ms, ratio %.2f;"
                        + " %.0f vs %.0f bytes/op; %d warm-up calls per side%s", fork, s.name(), o.libraryMs(),
                o.baselineMs(), o.ratio(), o.libraryBytes(), o.baselineBytes(), o.warmupCalls(),
                o.steady() ? "" : " (no steady state)"));
    }

    /** {@code bench.only}: scenario names containing any of its {@code |}-separated parts (empty: all). */
    static boolean selected(String name, String only) {
        for (String part : only.split("\\|", -1)) {
            if (name.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The steady-state time of the cheapest call with one round trip: hand-written JDBC {@code SELECT 1} taking a
     * connection from the pool, preparing, executing, reading the row and giving the connection back, the way
     * every baseline call does. Timed by the same harness and settings as the scenarios (both of its sides are
     * this call; the figure is the mean of their medians), so that with and without a network delay its
     * difference is what the delay adds to one round trip under the conditions the scenarios are measured in.
     */
    private static double selectOne(HikariDataSource pool, SteadyStateComparison harness, int fork, String when) {
        Scenario.Call call = i -> {
            try (java.sql.Connection c = pool.getConnection();
                 java.sql.PreparedStatement s = c.prepareStatement("SELECT 1");
                 java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("SELECT 1 failed: " + e.getMessage(), e);
            }
        };
        SteadyStateComparison.Outcome o = harness.run(Scenario.reading("SELECT 1", Scenario.Target.SINGLE_ROW, call,
                call), 0);
        double ms = (o.libraryMs() + o.baselineMs()) / 2;
        Progress.line(String.format(Locale.ROOT, "fork %d: SELECT 1 %s the scenarios: %.4f ms (sides %.4f, %.4f)",
                fork, when, ms, o.libraryMs(), o.baselineMs()));
        return ms;
    }

    /**
     * The library's createAll against a hand-written CopyManager COPY of the same rows and columns: warm-up of
     * 3 x 10,000 rows per side, then {@code bench.bulk.runs} runs per side of {@code bench.bulk.rows}, in the
     * order L C C L L C ... so that each side goes first and second equally often.
     */
    private static Map<String, Object> bulk(HikariDataSource pool, ResumeReviewDb library, int fork) {
        int rows = Integer.getInteger("bench.bulk.rows", 100_000);
        int runs = Integer.getInteger("bench.bulk.runs", 3);
        User owner = library.users().create(TestUsers.newUser());
        List<NewFileUpload> uploads = TestUploads.many(owner.id(), rows);
        List<NewFileUpload> warm = uploads.subList(0, Math.min(rows, 10_000));
        Progress.line("fork " + fork + ": bulk ingest warm-up");
        for (int i = 0; i < 3; i++) {
            BenchData.execute(pool, "truncate public.file_uploads");
            library.fileUploads().createAll(warm);
            BenchData.execute(pool, "truncate public.file_uploads");
            BenchData.copyDirectly(pool, warm);
        }
        long[] lib = new long[runs];
        long[] copy = new long[runs];
        int l = 0;
        int c = 0;
        for (int run = 0; run < 2 * runs; run++) {
            boolean libraryTurn = run % 4 == 0 || run % 4 == 3;
            BenchData.execute(pool, "truncate public.file_uploads");
            BenchData.execute(pool, "checkpoint");
            long start = System.nanoTime();
            long written = libraryTurn ? library.fileUploads().createAll(uploads) : BenchData.copyDirectly(pool, uploads);
            long took = System.nanoTime() - start;
            if (written != rows || BenchData.count(pool, "select count(*) from public.file_uploads") != rows) {
                throw new IllegalStateException("bulk ingest wrote " + written + " rows, expected " + rows);
            }
            if (libraryTurn) {
                lib[l++] = took;
            } else {
                copy[c++] = took;
            }
        }
        double libMs = SteadyStateComparison.median(lib) / 1e6;
        double copyMs = SteadyStateComparison.median(copy) / 1e6;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rows", rows);
        r.put("runs_per_side", runs);
        r.put("library_ms", libMs);
        r.put("baseline_ms", copyMs);
        r.put("ratio", libMs / copyMs);
        r.put("library_rows_per_s", rows / (libMs / 1000));
        r.put("copy_rows_per_s", rows / (copyMs / 1000));
        r.put("share_of_copy", copyMs / libMs);
        Progress.line(String.format(Locale.ROOT, "fork %d: bulk ingest: library %.0f ms, COPY %.0f ms per %,d rows"
                + " (%.0f%% of COPY's rows/s)", fork, libMs, copyMs, rows, 100 * copyMs / libMs));
        return r;
    }

    /** What each side sent for two calls of a scenario, through the recorder, outside any timing. */
    record SqlCheck(List<String> library, List<String> baseline, boolean sameResult, long libraryRoundTrips,
                    long baselineRoundTrips) {
        boolean sameSql() {
            return library.equals(baseline);
        }

        /**
         * Two calls per side, so that paths that depend on the previous call (a token issue that displaces an
         * earlier session) are in the comparison; the calls use numbers the timed runs never reach. The round
         * trips are those of each side's second call (read from {@link RoundTripCounter}, 0 when the recorder's
         * pool does not count): the first may include HikariCP's validation of a connection idle for more than
         * 500 ms, the second runs right after it, as calls do in steady state.
         */
        static SqlCheck of(Scenario recorded, RecordingDataSource recorder, int firstUnusedCall) {
            int i = firstUnusedCall;
            Object[] results = new Object[2];
            long[] trips = new long[4];
            List<String> lib = recorder.record(() -> {
                recorded.library().call(i);
                trips[0] = RoundTripCounter.total();
                results[0] = recorded.library().call(i + 1);
                trips[1] = RoundTripCounter.total();
            });
            recorded.afterRound().run();
            List<String> base = recorder.record(() -> {
                recorded.baseline().call(i);
                trips[2] = RoundTripCounter.total();
                results[1] = recorded.baseline().call(i + 1);
                trips[3] = RoundTripCounter.total();
            });
            recorded.afterRound().run();
            return new SqlCheck(lib, base, !recorded.sameResult() || Objects.equals(results[0], results[1]),
                    trips[1] - trips[0], trips[3] - trips[2]);
        }
    }

    /** {@code bench.synchronousCommit} ({@code off} unless set; null when blank: the server's setting stays). */
    private static String synchronousCommit() {
        String synchronousCommit = System.getProperty("bench.synchronousCommit", "off");
        if (synchronousCommit.isBlank()) {
            return null;
        }
        if (!synchronousCommit.matches("[a-z_]+")) {
            throw new IllegalArgumentException("bench.synchronousCommit: expected on, off, local, ..., got "
                    + synchronousCommit);
        }
        return synchronousCommit;
    }
}
