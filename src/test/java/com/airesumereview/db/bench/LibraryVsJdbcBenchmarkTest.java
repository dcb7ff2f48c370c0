package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The library against hand-written JDBC sending the same SQL, and bulk ingest against COPY:
 * {@code mvn -B verify -Pbench -DskipITs} (README, section Benchmarks).
 *
 * <p>Starts {@code bench.forks} (3) JVMs one after another, each running {@link ForkMain} on a fresh database,
 * and combines them: per scenario the median over forks of each side's median, the median of the per-fork
 * ratios and their spread (min..max). Writes {@code target/bench/summary.json} and {@code summary.md}; each
 * fork's own figures stay in {@code target/bench/forks/}. With {@code -Dbench.jfr=true} the first fork runs
 * under Java Flight Recorder and {@link FlightProfile} writes {@code target/bench/profile.md}.
 *
 * <p>Targets are reported, never asserted: a missed target is a row saying MISSED. The only assertions are that
 * every fork finished and that both sides sent the same SQL.
 */
@Tag("bench")
class LibraryVsJdbcBenchmarkTest {
    private static final int FORKS = Integer.getInteger("bench.forks", 3);
    /** The same fixed heap in every fork, so that no fork sizes its heap differently. */
    private static final List<String> FORK_JVM = List.of("-Xms1g", "-Xmx1g");
    private static final double BULK_TARGET = 0.90;

    @Test
    void libraryAgainstSameSqlJdbc() throws Exception {
        Progress.reset();
        Path dir = Progress.DIR;
        Path forkDir = dir.resolve("forks");
        Files.createDirectories(forkDir);
        BenchReport report = new BenchReport();
        String loadBefore = Progress.loadAverage();
        Instant started = Instant.now();
        report.machine("commit", Progress.gitCommit());
        report.machine("processors (nproc)", Runtime.getRuntime().availableProcessors());
        report.machine("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        report.machine("fork JVM options", String.join(" ", FORK_JVM));
        report.machine("forks", FORKS);
        report.machine("settings", benchProperties());
        report.machine("load average (1, 5, 15 min) at start", loadBefore);
        boolean jfr = Boolean.getBoolean("bench.jfr");

        List<JsonNode> forks = new ArrayList<>();
        for (int f = 1; f <= FORKS; f++) {
            Path out = forkDir.resolve("fork-" + f + ".json");
            Files.deleteIfExists(out);
            List<String> jvm = new ArrayList<>(FORK_JVM);
            benchProperties().forEach((k, v) -> jvm.add("-D" + k + "=" + v));
            jvm.add("-D" + ProjectLayout.PROPERTY + "=" + ProjectLayout.projectDir());
            jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            if (jfr && f == 1) {
                jvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("fork-1.jfr") + ",settings="
                        + FlightProfile.settingsFile(dir) + ",dumponexit=true");
            }
            Progress.line("fork " + f + " of " + FORKS + " starts");
            SeparateJvm.Outcome run = SeparateJvm.run(jvm, ForkMain.class.getName(),
                    List.of(out.toString(), String.valueOf(f)), Map.of(), 3600);
            assertThat(run.exitCode()).as("fork %d exit code; stderr: %s", f, run.stderrTail()).isZero();
            forks.add(new ObjectMapper().readTree(out.toFile()));
        }
        JsonNode first = forks.get(0);
        report.machine("PostgreSQL", first.path("postgresql").asText());
        report.machine("synchronous_commit during the run", first.path("synchronous_commit").asText());
        report.machine("load average (1, 5, 15 min) at end", Progress.loadAverage());
        report.machine("duration", Duration.between(started, Instant.now()).toSeconds() + " s");

        List<String> differentSql = new ArrayList<>();
        Map<String, List<JsonNode>> byName = new LinkedHashMap<>();
        for (JsonNode fork : forks) {
            for (JsonNode row : fork.path("scenarios")) {
                byName.computeIfAbsent(row.path("name").asText(), k -> new ArrayList<>()).add(row);
            }
        }
        List<String> failed = new ArrayList<>();
        byName.forEach((name, rows) -> {
            String error = rows.stream().map(r -> r.path("error").asText(null)).filter(e -> e != null).findFirst()
                    .orElse(null);
            if (error != null) {
                failed.add(name);
                report.add(new BenchReport.Row(name, null, null, null, "ms/op (median)", "JDBC, same SQL",
                        rows.get(0).path("target").asText(), "skipped", "failed, not measured: " + error));
                return;
            }
            if (rows.stream().anyMatch(r -> !r.path("same_sql").asBoolean())) {
                differentSql.add(name);
                report.add(new BenchReport.Row(name, null, null, null, "ms/op (median)", "JDBC, same SQL",
                        rows.get(0).path("target").asText(), "skipped", "not measured: the baseline's SQL differs from"
                        + " the library's; update JdbcBaseline (SameSqlTest prints both)"));
                return;
            }
            report.add(combined(name, rows));
            List<String> sql = new ArrayList<>();
            rows.get(0).path("sql").forEach(n -> sql.add(n.asText()));
            report.sql(name, String.join("\n          ", sql), "the same, checked in every fork before timing");
        });
        List<JsonNode> bulk = forks.stream().map(f -> f.path("bulk")).filter(b -> !b.isMissingNode()).toList();
        if (!bulk.isEmpty()) {
            report.add(bulkRow(bulk));
        }
        report.write(dir, "summary", "Benchmark: resume-review-db vs hand-written JDBC (same SQL) and COPY",
                "Per scenario: each side's median per fork (library and JDBC interleaved in one JVM on one HikariCP"
                        + " pool, after a steady-state warm-up), then the median over " + FORKS + " forks; ratio ="
                        + " median of the per-fork ratios, spread = min..max of them.");
        if (jfr) {
            FlightProfile.write(dir.resolve("fork-1.jfr"), byName, dir.resolve("profile.md"), Progress.gitCommit());
        }
        assertThat(differentSql).as("scenarios whose baseline SQL differs from the library's").isEmpty();
        assertThat(failed).as("scenarios that failed (see target/bench/progress.log)").isEmpty();
    }

    private static BenchReport.Row combined(String name, List<JsonNode> rows) {
        double lib = median(rows, "library_ms");
        double base = median(rows, "baseline_ms");
        double ratio = median(rows, "ratio");
        double min = rows.stream().mapToDouble(r -> r.path("ratio").asDouble()).min().orElseThrow();
        double max = rows.stream().mapToDouble(r -> r.path("ratio").asDouble()).max().orElseThrow();
        double target = rows.get(0).path("target_max_ratio").asDouble();
        double libBytes = median(rows, "library_bytes_per_op");
        double baseBytes = median(rows, "baseline_bytes_per_op");
        boolean steady = rows.stream().allMatch(r -> r.path("steady").asBoolean());
        int warm = rows.stream().mapToInt(r -> r.path("warmup_calls_per_side").asInt()).min().orElseThrow();
        int measured = rows.get(0).path("measured_calls_per_side").asInt();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("ratio_min", round(min));
        extra.put("ratio_max", round(max));
        extra.put("forks", rows.size());
        extra.put("ratios_per_fork", rows.stream().map(r -> round(r.path("ratio").asDouble())).toList());
        extra.put("library_p90_ms", round(median(rows, "library_p90_ms")));
        extra.put("baseline_p90_ms", round(median(rows, "baseline_p90_ms")));
        extra.put("library_bytes_per_op", Math.round(libBytes));
        extra.put("baseline_bytes_per_op", Math.round(baseBytes));
        extra.put("warmup_calls_per_side_min", warm);
        extra.put("measured_calls_per_side", measured);
        extra.put("steady_state_in_every_fork", steady);
        extra.put("met_in_every_fork", max <= target);
        extra.put("sql", rows.get(0).path("sql"));
        String detail = String.format(Locale.ROOT, "ratio per fork %s..%s over %d forks; allocation %,d vs %,d bytes/op;"
                        + " >= %,d warm-up + %,d timed calls per side and fork%s", BenchReport.fmt(min),
                BenchReport.fmt(max), rows.size(), Math.round(libBytes), Math.round(baseBytes), warm, measured,
                steady ? "" : "; steady state NOT reached in every fork");
        return new BenchReport.Row(name, lib, base, ratio, "ms/op (median)", "JDBC PreparedStatement, same SQL",
                "ratio " + rows.get(0).path("target").asText(), BenchReport.status(ratio <= target), detail, extra);
    }

    private static BenchReport.Row bulkRow(List<JsonNode> forks) {
        int rows = forks.get(0).path("rows").asInt();
        double[] shares = forks.stream().mapToDouble(f -> f.path("share_of_copy").asDouble()).toArray();
        double share = median(shares);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("ratio_min", round(forks.stream().mapToDouble(f -> f.path("ratio").asDouble()).min().orElseThrow()));
        extra.put("ratio_max", round(forks.stream().mapToDouble(f -> f.path("ratio").asDouble()).max().orElseThrow()));
        extra.put("forks", forks.size());
        extra.put("library_rows_per_s", Math.round(median(forks, "library_rows_per_s")));
        extra.put("copy_rows_per_s", Math.round(median(forks, "copy_rows_per_s")));
        extra.put("share_of_copy", round(share));
        extra.put("share_of_copy_min", round(Arrays.stream(shares).min().orElseThrow()));
        extra.put("share_of_copy_max", round(Arrays.stream(shares).max().orElseThrow()));
        extra.put("runs_per_side_and_fork", forks.get(0).path("runs_per_side").asInt());
        String name = String.format(Locale.ROOT, "bulk ingest: %,d uploads, createAll vs COPY", rows);
        return new BenchReport.Row(name, median(forks, "library_ms"), median(forks, "baseline_ms"),
                median(forks, "ratio"), String.format(Locale.ROOT, "ms per %,d rows (median)", rows),
                "CopyManager COPY, same rows and columns", ">= 90% of COPY's rows/s",
                BenchReport.status(share >= BULK_TARGET), String.format(Locale.ROOT,
                "library %,d rows/s = %.0f%% of COPY's %,d rows/s (per fork %.0f%%..%.0f%%)",
                Math.round(median(forks, "library_rows_per_s")), 100 * share,
                Math.round(median(forks, "copy_rows_per_s")), 100 * Arrays.stream(shares).min().orElseThrow(),
                100 * Arrays.stream(shares).max().orElseThrow()), extra);
    }

    private static double median(List<JsonNode> rows, String field) {
        return median(rows.stream().mapToDouble(r -> r.path(field).asDouble()).toArray());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    /** The bench.* system properties given to this run; they are passed on to every fork. */
    private static Map<String, String> benchProperties() {
        Map<String, String> out = new java.util.TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("bench.") && !k.equals("bench.forks") && !k.equals("bench.jfr"))
                .forEach(k -> out.put(k, System.getProperty(k)));
        return out;
    }
}
