package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.production.PgBouncer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a transaction pooler costs, over the main benchmark's scenarios (library and same-SQL JDBC on one external
 * HikariCP pool, {@code ResumeReviewDb.create(pool)}):
 * {@code mvn -B verify -Pbench -DskipITs -Dtest.groups=bench-pooler} (docs/benchmarks.md). The library's own
 * {@code pooler(TRANSACTION)} setting is measured by {@link PoolerCostBenchmarkTest} on two calls.
 *
 * <p>For each {@link PoolerMode} (all three unless {@code bench.poolers} names some, comma-separated: direct,
 * no-server-prepares, pgbouncer-transaction) runs {@code bench.forks} (3) forks of {@link ForkMain} and reports per
 * scenario the library's median over forks, the spread (min..max of the forks' medians) and the ratio to the
 * direct mode's median. JDBC is measured alongside in each mode (same SQL, same pool) and shown for reference.
 * {@code synchronous_commit} is set on the database in every mode, since a session {@code SET} does not follow
 * PgBouncer's server connections. Writes {@code target/bench/pooler.md} and {@code .json}. Informational: the
 * issue asks for the cost to be measured, not for a target.
 */
@Tag("bench")
@Tag("bench-pooler")
class PoolerScenariosBenchmarkTest {
    private static final int FORKS = Integer.getInteger("bench.forks", 3);

    @Test
    void libraryDirectWithoutServerPreparesAndThroughPgBouncer() throws Exception {
        Progress.reset();
        List<PoolerMode> modes = modes(System.getProperty("bench.poolers", ""));
        BenchReport report = new BenchReport();
        Instant started = Instant.now();
        report.machine("commit", Progress.gitCommit());
        report.machine("processors (nproc)", Runtime.getRuntime().availableProcessors());
        report.machine("load average (1, 5, 15 min) at start", Progress.loadAverage());
        report.machine("forks per mode", FORKS);
        report.machine("PgBouncer", PgBouncer.BINARY + " (pool_mode=transaction, the test helper's settings)");
        Map<PoolerMode, Map<String, List<JsonNode>>> byMode = new LinkedHashMap<>();
        for (PoolerMode mode : modes) {
            List<JsonNode> forks = ForkRuns.run("pooler-" + mode.property(), FORKS,
                    Map.of(PoolerMode.PROPERTY, mode.property(), "bench.bulk", "false"));
            byMode.put(mode, ForkRuns.byScenario(forks));
        }
        report.machine("load average (1, 5, 15 min) at end", Progress.loadAverage());
        report.machine("duration", Duration.between(started, Instant.now()).toSeconds() + " s");

        List<String> failed = new ArrayList<>();
        Map<String, List<JsonNode>> reference = byMode.values().iterator().next();
        for (String name : reference.keySet()) {
            Double direct = null;
            for (Map.Entry<PoolerMode, Map<String, List<JsonNode>>> e : byMode.entrySet()) {
                List<JsonNode> rows = e.getValue().getOrDefault(name, List.of());
                String label = name + " - " + e.getKey().text;
                String reason = rows.isEmpty() ? "not run in this mode" : ForkRuns.notMeasured(rows);
                if (reason != null) {
                    failed.add(label);
                    report.add(new BenchReport.Row(label, null, null, null, "ms/op (median)", null, null, "skipped",
                            reason));
                    continue;
                }
                double[] lib = ForkRuns.values(rows, "library_ms");
                double median = ForkRuns.median(lib);
                if (e.getKey() == PoolerMode.DIRECT) {
                    direct = median;
                }
                double jdbc = ForkRuns.median(ForkRuns.values(rows, "baseline_ms"));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("mode", e.getKey().property());
                extra.put("library_ms_per_fork", Arrays.stream(lib).map(ForkRuns::round).boxed().toList());
                extra.put("library_ms_min", ForkRuns.round(ForkRuns.min(lib)));
                extra.put("library_ms_max", ForkRuns.round(ForkRuns.max(lib)));
                extra.put("jdbc_same_mode_ms", ForkRuns.round(jdbc));
                extra.put("forks", rows.size());
                String detail = String.format(Locale.ROOT, "library per fork %s..%s ms over %d forks; JDBC in this"
                                + " mode %s ms", BenchReport.fmt(ForkRuns.min(lib)), BenchReport.fmt(ForkRuns.max(lib)),
                        rows.size(), BenchReport.fmt(jdbc));
                report.add(new BenchReport.Row(label, median, direct, direct == null ? null : median / direct,
                        "ms/op (median)", "library, direct (pgJDBC defaults)", null, "info", detail, extra));
            }
        }
        report.write(Progress.DIR, "pooler", "Benchmark: the library direct, without server-side prepares, and"
                + " through a transaction-pooling PgBouncer", "Per scenario and mode: the library's median over "
                + FORKS + " forks of each fork's median (after the same steady-state warm-up as the main"
                + " benchmark); ratio = this mode's median / the direct mode's median.");
        assertThat(failed).as("scenarios that failed in some mode (see target/bench/progress.log)").isEmpty();
    }

    private static List<PoolerMode> modes(String property) {
        if (property.isBlank()) {
            return List.of(PoolerMode.values());
        }
        List<PoolerMode> out = new ArrayList<>();
        for (String p : property.split(",")) {
            String v = p.trim();
            out.add(Arrays.stream(PoolerMode.values()).filter(m -> m.property().equals(v)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("bench.poolers: expected direct,"
                            + " no-server-prepares or pgbouncer-transaction, got " + v)));
        }
        return out;
    }
}
