package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.DatabaseSource;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The library-versus-JDBC scenarios with the server a network delay away:
 * {@code mvn -B verify -Pbench -DskipITs -Dtest.groups=bench-latency [-Dbench.latency=1ms]} (docs/benchmarks.md).
 *
 * <p>Makes a {@link NetworkDelay} server ({@code bench.latency} of added round trip, {@code 1ms} unless set), or
 * where that is unavailable a {@link DelayProxy} in front of the server the other benchmarks use
 * ({@code resume-review-db.server-url} / {@code RESUME_REVIEW_DB_SERVER_URL}, else embedded PostgreSQL started
 * here); the report names the mechanism. It runs {@code bench.forks} (3) pairs of {@link ForkMain} forks
 * against it with round trips counted: one with the delay, then one without it on the same server, so that
 * drift during the run falls on both phases alike. Per scenario the report gives the library's and
 * JDBC's time with the delay, each side's protocol round trips per call ({@link RoundTripCounter}: Sync and
 * simple Query messages of the second of two back-to-back calls) and the target: library with the delay
 * {@code <= 1.05 x (library round trips x added RTT + JDBC's time without the delay)}. The added RTT is measured
 * in the forks themselves ({@code bench.selectOne}): each fork times hand-written JDBC {@code SELECT 1} through the
 * pool with the scenarios' harness and settings before and after the scenarios, and a pair's added RTT is its
 * delayed fork's mean of the two minus its undelayed fork's. A short burst measured from this JVM (cold JIT, no
 * pool) is reported beside it as a cross-check only. Writes {@code target/bench/latency.md} and {@code .json}.
 *
 * <p>Skips (JUnit assumption, with the reasons in the message and the progress log) only where neither can be
 * made: NetworkDelay needs root, {@code ip}/{@code tc}, {@code sch_netem} in the kernel and PostgreSQL binaries;
 * the proxy needs a reachable server.
 */
@Tag("bench")
@Tag("bench-latency")
class LatencyBenchmarkTest {
    private static final int FORKS = Integer.getInteger("bench.forks", 3);
    private static final double TARGET = 1.05;

    @Test
    void libraryTimeWithAddedLatencyIsItsRoundTripsPlusJdbcTime() throws Exception {
        Progress.reset();
        double requested = roundTripMs(System.getProperty("bench.latency", "1ms"));
        DelayedServer delay = delayedServer(requested);
        Progress.line("delay mechanism: " + delay.kind());
        BenchReport report = new BenchReport();
        Instant started = Instant.now();
        report.machine("commit", Progress.gitCommit());
        report.machine("processors (nproc)", Runtime.getRuntime().availableProcessors());
        report.machine("load average (1, 5, 15 min) at start", Progress.loadAverage());
        report.machine("forks per phase", FORKS);
        report.machine("delay mechanism", delay.kind());
        report.machine("added round trip asked for", requested + " ms (" + requested / 2 + " ms in each direction)");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("resume-review-db.server-url", delay.adminJdbcUrl());
        props.put("bench.roundTrips", "true");
        props.put("bench.bulk", "false");
        props.put("bench.selectOne", "true");
        List<JsonNode> delayed = new ArrayList<>();
        List<JsonNode> undelayed = new ArrayList<>();
        double[] addedPerPair = new double[FORKS];
        try (delay) {
            // Pairs: delayed fork f, then undelayed fork f, with the round trip measured before each. Whatever drifts
            // during the run (the machine, the server's caches) then falls on both phases alike, instead of all on
            // the phase that runs second.
            for (int f = 1; f <= FORKS; f++) {
                if (f > 1) {
                    delay.delay(requested);
                }
                double with = delay.measuredRoundTripMs();
                report.machine("cross-check from this JVM, round trip with the delay, pair " + f, delay.measuredRoundTrip());
                delayed.add(ForkRuns.runOne("latency-delayed", f, FORKS, props));
                delay.delay(0);
                double without = delay.measuredRoundTripMs();
                report.machine("cross-check from this JVM, round trip without the delay, pair " + f, delay.measuredRoundTrip());
                undelayed.add(ForkRuns.runOne("latency-undelayed", f, FORKS, props));
                double inFork = selectOne(delayed.get(f - 1)) - selectOne(undelayed.get(f - 1));
                addedPerPair[f - 1] = Math.max(0, inFork);
                report.machine("added round trip, pair " + f, String.format(Locale.ROOT, "%.3f ms: steady-state"
                                + " JDBC `SELECT 1` through the pool in the forks (before and after the scenarios)"
                                + " %s ms with the delay, %s ms without; cross-check from this JVM: %.3f ms",
                        inFork, selectOneText(delayed.get(f - 1)), selectOneText(undelayed.get(f - 1)),
                        with - without));
            }
        }
        double added = ForkRuns.median(addedPerPair);
        report.machine("added round trip used in the bound", String.format(Locale.ROOT,
                "%.3f ms (median over the pairs of the added round trip measured in the forks)", added));
        report.machine("PostgreSQL", delayed.get(0).path("postgresql").asText());
        report.machine("load average (1, 5, 15 min) at end", Progress.loadAverage());
        report.machine("duration", Duration.between(started, Instant.now()).toSeconds() + " s");

        Map<String, List<JsonNode>> with = ForkRuns.byScenario(delayed);
        Map<String, List<JsonNode>> without = ForkRuns.byScenario(undelayed);
        List<String> failed = new ArrayList<>();
        with.forEach((name, rows) -> {
            List<JsonNode> base = without.getOrDefault(name, List.of());
            String reason = ForkRuns.notMeasured(rows);
            if (reason == null && base.isEmpty()) {
                reason = "not measured without the delay";
            }
            if (reason == null) {
                reason = ForkRuns.notMeasured(base);
            }
            if (reason != null) {
                failed.add(name);
                report.add(new BenchReport.Row(name, null, null, null, "ms/op (median)", null,
                        "<= 1.05 x (round trips x RTT + JDBC)", "skipped", reason));
                return;
            }
            report.add(row(name, rows, base, added, addedPerPair));
        });
        report.write(Progress.DIR, "latency", "Benchmark: library vs JDBC with " + requested + " ms of added round"
                        + " trip", "Per scenario: the median over " + FORKS + " forks of each side's median with the"
                        + " delay; the forks run in pairs (a fork with the delay, then one without, on the same"
                        + " server); round trips per call counted at the protocol level (Sync and simple Query"
                        + " messages); added RTT = steady-state JDBC `SELECT 1` through the pool measured in the"
                        + " delayed fork minus the same in its undelayed fork (median over the pairs); bound = library"
                        + " round trips x added RTT + JDBC's median without the delay; ratio = library with the delay"
                        + " / bound; spread = min..max over the pairs of the delayed fork's library median / (round"
                        + " trips x its pair's added RTT + its pair's JDBC median without the delay).");
        assertThat(failed).as("scenarios that failed (see target/bench/progress.log)").isEmpty();
    }

    /** A fork's steady-state {@code SELECT 1} time: the mean of its figures before and after the scenarios. */
    private static double selectOne(JsonNode fork) {
        JsonNode before = fork.path("select_one_before_ms");
        JsonNode after = fork.path("select_one_after_ms");
        if (!before.isNumber() || !after.isNumber()) {
            throw new IllegalStateException("a latency fork did not measure SELECT 1 (bench.selectOne): " + fork);
        }
        return (before.asDouble() + after.asDouble()) / 2;
    }

    private static String selectOneText(JsonNode fork) {
        return String.format(Locale.ROOT, "%.3f (%.3f before, %.3f after)", selectOne(fork),
                fork.path("select_one_before_ms").asDouble(), fork.path("select_one_after_ms").asDouble());
    }

    private static BenchReport.Row row(String name, List<JsonNode> rows, List<JsonNode> base, double added,
                                       double[] addedPerPair) {
        double[] lib = ForkRuns.values(rows, "library_ms");
        double jdbcDelayed = ForkRuns.median(ForkRuns.values(rows, "baseline_ms"));
        double jdbcUndelayed = ForkRuns.median(ForkRuns.values(base, "baseline_ms"));
        List<Long> libTrips = rows.stream().map(r -> r.path("library_round_trips").asLong()).distinct().toList();
        List<Long> jdbcTrips = rows.stream().map(r -> r.path("baseline_round_trips").asLong()).distinct().toList();
        long trips = libTrips.stream().mapToLong(Long::longValue).max().orElseThrow();
        double bound = trips * added + jdbcUndelayed;
        double[] perFork = new double[lib.length];
        double[] jdbcUndelayedPerFork = ForkRuns.values(base, "baseline_ms");
        for (int i = 0; i < lib.length; i++) {
            // each delayed fork against its own pair's added round trip and undelayed JDBC time
            double pairBound = trips * addedPerPair[i]
                    + (i < jdbcUndelayedPerFork.length ? jdbcUndelayedPerFork[i] : jdbcUndelayed);
            perFork[i] = lib[i] / pairBound;
        }
        double libMs = ForkRuns.median(lib);
        double ratio = libMs / bound;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("library_round_trips", libTrips.size() == 1 ? libTrips.get(0) : libTrips);
        extra.put("baseline_round_trips", jdbcTrips.size() == 1 ? jdbcTrips.get(0) : jdbcTrips);
        extra.put("added_rtt_ms", ForkRuns.round(added));
        extra.put("bound_ms", ForkRuns.round(bound));
        extra.put("baseline_delayed_ms", ForkRuns.round(jdbcDelayed));
        extra.put("baseline_undelayed_ms", ForkRuns.round(jdbcUndelayed));
        extra.put("library_undelayed_ms", ForkRuns.round(ForkRuns.median(ForkRuns.values(base, "library_ms"))));
        extra.put("ratio_to_bound_per_fork", java.util.Arrays.stream(perFork).map(ForkRuns::round).boxed().toList());
        extra.put("ratio_min", ForkRuns.round(ForkRuns.min(perFork)));
        extra.put("ratio_max", ForkRuns.round(ForkRuns.max(perFork)));
        extra.put("library_over_jdbc_delayed", ForkRuns.round(libMs / jdbcDelayed));
        extra.put("forks", rows.size());
        String detail = String.format(Locale.ROOT, "round trips per call: library %s, JDBC %s; bound %s ms = %d x"
                        + " %.3f ms + JDBC %s ms without the delay; JDBC with the delay %s ms (library/JDBC %.2f);"
                        + " ratio per fork %s..%s over %d forks", libTrips.size() == 1 ? libTrips.get(0) : libTrips,
                jdbcTrips.size() == 1 ? jdbcTrips.get(0) : jdbcTrips, BenchReport.fmt(bound), trips, added,
                BenchReport.fmt(jdbcUndelayed), BenchReport.fmt(jdbcDelayed), libMs / jdbcDelayed,
                BenchReport.fmt(ForkRuns.min(perFork)), BenchReport.fmt(ForkRuns.max(perFork)), rows.size());
        return new BenchReport.Row(name, libMs, bound, ratio, "ms/op (median)",
                "round trips x added RTT + JDBC without the delay", "<= 1.05 x bound",
                BenchReport.status(ratio <= TARGET), detail, extra);
    }

    /**
     * A {@link NetworkDelay}, else a {@link DelayProxy} in front of the server named by
     * {@code resume-review-db.server-url} / {@code RESUME_REVIEW_DB_SERVER_URL}, else in front of embedded
     * PostgreSQL started here (and stopped with the proxy); aborts the test with both reasons when neither works.
     */
    private static DelayedServer delayedServer(double requested) {
        try {
            return NetworkDelay.start(requested);
        } catch (NetworkDelay.Unavailable e) {
            Progress.line("network namespace delay unavailable (" + e.getMessage() + "); falling back to a userspace"
                    + " TCP proxy");
            PostgresProvisioner embedded = null;
            try {
                String target = setting(PostgresProvisioner.SERVER_URL_PROPERTY, PostgresProvisioner.SERVER_URL_ENV);
                if (target == null) {
                    embedded = PostgresProvisioner.start(DatabaseSource.EMBEDDED);
                    target = embeddedAdminUrl(embedded);
                }
                return DelayProxy.inFrontOf(target, requested, embedded);
            } catch (RuntimeException p) {
                if (embedded != null) {
                    embedded.close();
                }
                String reason = e.getMessage() + "; the proxy fallback failed too: " + p.getMessage();
                Progress.line("latency benchmark skipped: " + reason);
                throw new TestAbortedException("latency benchmark skipped: " + reason, p);
            }
        }
    }

    /** The system property, else the environment variable; null when neither is set or both are blank. */
    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * The superuser URL of the embedded server the provisioner started: its address is read from a database it
     * hands out (the provisioner does not show its admin URL), and embedded PostgreSQL's superuser is
     * {@code postgres} without a password.
     */
    private static String embeddedAdminUrl(PostgresProvisioner embedded) {
        try (ProvisionedDatabase probe = embedded.createDatabase()) {
            return "jdbc:postgresql://" + probe.url().hosts().get(0) + "/postgres?user=postgres";
        }
    }

    /** {@code 1ms}, {@code 0.5ms}, {@code 500us} or a plain number of ms, as an added round trip in ms. */
    static double roundTripMs(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("us")) {
                return Double.parseDouble(v.substring(0, v.length() - 2)) / 1000;
            }
            if (v.endsWith("ms")) {
                return Double.parseDouble(v.substring(0, v.length() - 2));
            }
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench.latency: expected a round trip such as 1ms, 0.5ms or 500us,"
                    + " got " + value);
        }
    }
}
