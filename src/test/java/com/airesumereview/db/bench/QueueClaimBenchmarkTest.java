package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The queue's targets from issue 9, section 4: {@code mvn -B verify -Pbench -DskipITs -Dtest=QueueClaimBenchmarkTest}
 * (README, Benchmarks). Starts {@code bench.forks} (3) JVMs one after another, each running {@link QueueClaimFork}
 * on a fresh snapshot database, and combines them: each figure is the median over the forks with its spread
 * (min..max). Writes {@code target/bench/queue.json} and {@code queue.md}; each fork's own figures stay in
 * {@code target/bench/queue-forks/}.
 *
 * <p>Targets are reported, never asserted. The assertions check that every fork finished and that the work was
 * correct: no request claimed twice, none with two results, none left behind, counted in the database.
 */
@Tag("bench")
class QueueClaimBenchmarkTest {
    private static final int FORKS = Integer.getInteger("bench.forks", 3);
    private static final List<String> FORK_JVM = List.of("-Xms1g", "-Xmx1g");

    @Test
    void claimsStayCheapBehindAMillionCompletedRequests() throws Exception {
        Path forkDir = Progress.DIR.resolve("queue-forks");
        Files.createDirectories(forkDir);
        String loadBefore = Progress.loadAverage();
        Instant started = Instant.now();
        List<JsonNode> forks = new ArrayList<>();
        for (int f = 1; f <= FORKS; f++) {
            Path out = forkDir.resolve("fork-" + f + ".json");
            Files.deleteIfExists(out);
            List<String> jvm = new ArrayList<>(FORK_JVM);
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench."))
                    .forEach(k -> jvm.add("-D" + k + "=" + System.getProperty(k)));
            jvm.add("-D" + ProjectLayout.PROPERTY + "=" + ProjectLayout.projectDir());
            jvm.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            Progress.line("queue fork " + f + " of " + FORKS + " starts");
            SeparateJvm.Outcome run = SeparateJvm.run(jvm, QueueClaimFork.class.getName(),
                    List.of(out.toString(), String.valueOf(f)), Map.of(), 3600);
            assertThat(run.exitCode()).as("queue fork %d exit code; stderr: %s", f, run.stderrTail()).isZero();
            forks.add(new ObjectMapper().readTree(out.toFile()));
        }

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode summary = json.createObjectNode();
        ObjectNode machine = summary.putObject("machine");
        machine.put("commit", Progress.gitCommit());
        machine.put("processors", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("postgresql", forks.get(0).path("postgresql").asText());
        machine.put("synchronous_commit", forks.get(0).path("synchronous_commit").asText());
        machine.put("forks", FORKS);
        machine.put("warm_up_claims_per_side", QueueClaimFork.WARM_UP);
        machine.put("timed_claims_per_side", QueueClaimFork.TIMED);
        machine.put("load_average_at_start", loadBefore);
        machine.put("load_average_at_end", Progress.loadAverage());
        machine.put("finished", Instant.now().toString());
        machine.put("duration_seconds", Duration.between(started, Instant.now()).toSeconds());
        ArrayNode rows = summary.putArray("figures");

        Figure smallLib = figure(forks, f -> claims(f, 0).path("library").path("p50_ms").asDouble());
        Figure largeLib = figure(forks, f -> claims(f, 1).path("library").path("p50_ms").asDouble());
        Figure largeJdbc = figure(forks, f -> claims(f, 1).path("jdbc_same_claim_statement").path("p50_ms").asDouble());
        Figure largeLibP90 = figure(forks, f -> claims(f, 1).path("library").path("p90_ms").asDouble());
        Figure ratio = figure(forks, f -> claims(f, 1).path("library").path("p50_ms").asDouble()
                / claims(f, 0).path("library").path("p50_ms").asDouble());
        Figure vsJdbc = figure(forks, f -> claims(f, 1).path("library").path("p50_ms").asDouble()
                / claims(f, 1).path("jdbc_same_claim_statement").path("p50_ms").asDouble());
        Figure claimServer = figure(forks, f -> f.path("server_time_claim").path("p50_ms").asDouble());
        Figure probeServer = figure(forks, f -> f.path("server_time_probe").path("p50_ms").asDouble());
        Figure oldClaim = figure(forks, f -> f.path("previous_claim_statement").path("p50_ms").asDouble());
        Figure four = figure(forks, f -> bestDrain(f, 4));
        Figure eight = figure(forks, f -> bestDrain(f, 8));
        Figure scaling = figure(forks, f -> bestDrain(f, 8) / bestDrain(f, 4));
        long twice = 0;
        long duplicates = 0;
        long left = 0;
        long wrongCount = 0;
        for (JsonNode f : forks) {
            for (JsonNode d : f.path("drains")) {
                twice += d.path("claimed_twice_by_workers").asLong();
                duplicates += d.path("duplicate_results_in_database").asLong();
                left += d.path("left_behind_in_database").asLong();
                wrongCount += d.path("results_in_database").asLong() == d.path("requests").asLong() ? 0 : 1;
            }
        }
        String small = String.format(Locale.ROOT, "%,d pending behind %,d completed", QueueClaimFork.PENDING,
                QueueClaimFork.SMALL_HISTORY);
        String large = String.format(Locale.ROOT, "%,d pending behind %,d completed", QueueClaimFork.PENDING,
                QueueClaimFork.LARGE_HISTORY);
        row(rows, "claim p50 through the library, " + small, smallLib, "ms", "-", null);
        row(rows, "claim p50 through the library, " + large, largeLib, "ms", "<= 2 ms", largeLib.median <= 2.0);
        row(rows, "claim p90 through the library, " + large, largeLibP90, "ms", "-", null);
        row(rows, "claim p50, large history / small history", ratio, "ratio", "<= 1.5", ratio.median <= 1.5);
        row(rows, "claim p50, same claim statement by hand (JDBC), " + large, largeJdbc, "ms", "-", null);
        row(rows, "claim p50, library / JDBC by hand (the library adds its low-water probe)", vsJdbc, "ratio", "-",
                null);
        row(rows, "the claim UPDATE's server execution time (EXPLAIN ANALYZE, rolled back)", claimServer, "ms", "-",
                null);
        row(rows, "the low-water probe's server execution time (runs at most once a second)", probeServer, "ms", "-",
                null);
        row(rows, "the previous claim statement, large history (rolled back)", oldClaim, "ms", "-", null);
        row(rows, "drain " + QueueClaimFork.DRAIN + " requests (claim + complete), 4 workers, best of 2", four,
                "req/s", "-", null);
        row(rows, "drain " + QueueClaimFork.DRAIN + " requests (claim + complete), 8 workers, best of 2", eight,
                "req/s", "-", null);
        row(rows, "throughput, 8 workers / 4 workers", scaling, "ratio", ">= 1.0", scaling.median >= 1.0);
        ObjectNode correct = rows.addObject();
        correct.put("name", "claimed twice / duplicate results / left behind, all drains of all forks, in the database");
        correct.put("value", twice + " / " + duplicates + " / " + left);
        correct.put("target", "0");
        correct.put("met", twice == 0 && duplicates == 0 && left == 0);
        summary.set("forks", json.valueToTree(forks));

        Files.createDirectories(Progress.DIR);
        json.writeValue(Progress.DIR.resolve("queue.json").toFile(), summary);
        String markdown = markdown(summary);
        Files.writeString(Progress.DIR.resolve("queue.md"), markdown, StandardCharsets.UTF_8);
        Progress.line("queue: written target/bench/queue.json and queue.md\n" + markdown);

        assertThat(twice).as("requests claimed by two workers").isZero();
        assertThat(duplicates).as("requests with two results").isZero();
        assertThat(left).as("requests left behind").isZero();
        assertThat(wrongCount).as("drains whose result count differs from the requests drained").isZero();
    }

    /** A figure over the forks: the median of the per-fork values and their spread. */
    private record Figure(double median, double min, double max) {
    }

    private static Figure figure(List<JsonNode> forks, ToDoubleFunction<JsonNode> perFork) {
        double[] v = forks.stream().mapToDouble(perFork).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Figure(median, v[0], v[v.length - 1]);
    }

    private static JsonNode claims(JsonNode fork, int history) {
        return fork.path("claims").get(history);
    }

    private static double bestDrain(JsonNode fork, int workers) {
        double best = 0;
        for (JsonNode d : fork.path("drains")) {
            if (d.path("workers").asInt() == workers) {
                best = Math.max(best, d.path("requests_per_second").asDouble());
            }
        }
        return best;
    }

    private static void row(ArrayNode rows, String name, Figure f, String unit, String target, Boolean met) {
        ObjectNode r = rows.addObject();
        r.put("name", name);
        r.put("median", round(f.median));
        r.put("min", round(f.min));
        r.put("max", round(f.max));
        r.put("unit", unit);
        r.put("target", target);
        if (met != null) {
            r.put("met", met);
        }
    }

    private static String markdown(JsonNode summary) {
        StringBuilder b = new StringBuilder("# Queue benchmark\n\n");
        summary.path("machine").fields().forEachRemaining(e -> b.append("- ").append(e.getKey().replace('_', ' '))
                .append(": ").append(e.getValue().asText()).append('\n'));
        b.append("\nMedian over the forks, spread = min..max of the per-fork values.\n\n");
        b.append("| figure | median | spread over forks | unit | target | status |\n|---|---:|---|---|---|---|\n");
        for (JsonNode r : summary.path("figures")) {
            String status = r.has("met") ? (r.path("met").asBoolean() ? "met" : "MISSED") : "-";
            if (r.has("median")) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s..%s | %s | %s | %s |%n", r.path("name").asText(),
                        fmt(r.path("median").asDouble()), fmt(r.path("min").asDouble()), fmt(r.path("max").asDouble()),
                        r.path("unit").asText(), r.path("target").asText(), status));
            } else {
                b.append(String.format(Locale.ROOT, "| %s | %s | - | - | %s | %s |%n", r.path("name").asText(),
                        r.path("value").asText(), r.path("target").asText(), status));
            }
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
