package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@link ForkMain} in {@code forks} JVMs one after another with the run's {@code bench.*} properties plus
 * {@code extra}, for the benchmark classes that vary how a fork reaches its server (added latency, a pooler);
 * each fork's JSON stays in {@code target/bench/<label>/fork-N.json}.
 */
final class ForkRuns {
    /** The same fixed heap in every fork, as in the library-versus-JDBC benchmark. */
    static final List<String> FORK_JVM = List.of("-Xms1g", "-Xmx1g");

    private ForkRuns() {
    }

    static List<JsonNode> run(String label, int forks, Map<String, String> extra)
            throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (int f = 1; f <= forks; f++) {
            out.add(runOne(label, f, forks, extra));
        }
        return out;
    }

    /** Fork {@code f} of {@code forks} alone (for benchmarks that alternate two kinds of fork). */
    static JsonNode runOne(String label, int f, int forks, Map<String, String> extra)
            throws IOException, InterruptedException {
        Path dir = Progress.DIR.resolve(label);
        Files.createDirectories(dir);
        Path file = dir.resolve("fork-" + f + ".json");
        Files.deleteIfExists(file);
        List<String> jvm = new ArrayList<>(FORK_JVM);
        Map<String, String> props = new TreeMap<>(benchProperties());
        props.putAll(extra);
        props.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        jvm.add("-D" + ProjectLayout.PROPERTY + "=" + ProjectLayout.projectDir());
        jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        Progress.line(label + ": fork " + f + " of " + forks + " starts");
        SeparateJvm.Outcome run = SeparateJvm.run(jvm, ForkMain.class.getName(),
                List.of(file.toString(), String.valueOf(f)), Map.of(), 3600);
        assertThat(run.exitCode()).as("%s fork %d exit code; stderr: %s", label, f, run.stderrTail()).isZero();
        return new ObjectMapper().readTree(file.toFile());
    }

    /** The forks' rows by scenario name, in the order of the first fork. */
    static Map<String, List<JsonNode>> byScenario(List<JsonNode> forks) {
        Map<String, List<JsonNode>> byName = new LinkedHashMap<>();
        for (JsonNode fork : forks) {
            for (JsonNode row : fork.path("scenarios")) {
                byName.computeIfAbsent(row.path("name").asText(), k -> new ArrayList<>()).add(row);
            }
        }
        return byName;
    }

    /** The first error or not-same-SQL reason among a scenario's rows, or null when every fork measured it. */
    static String notMeasured(List<JsonNode> rows) {
        for (JsonNode r : rows) {
            if (r.hasNonNull("error")) {
                return "failed, not measured: " + r.path("error").asText();
            }
            if (!r.path("same_sql").asBoolean()) {
                return "not measured: the baseline's SQL differs from the library's";
            }
        }
        return null;
    }

    static double[] values(List<JsonNode> rows, String field) {
        return rows.stream().mapToDouble(r -> r.path(field).asDouble()).toArray();
    }

    static double median(double[] values) {
        return LibraryVsJdbcBenchmarkTest.median(values);
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    /** The bench.* system properties of this run, passed on to every fork (not the ones only the parent reads). */
    static Map<String, String> benchProperties() {
        Map<String, String> out = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("bench.") && !k.equals("bench.forks") && !k.equals("bench.jfr")
                        && !k.equals("bench.latency") && !k.equals("bench.poolers"))
                .forEach(k -> out.put(k, System.getProperty(k)));
        return out;
    }
}
