package com.airesumereview.db.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Times a {@link Scenario}'s two sides against each other in this JVM, on the pool both use, interleaved.
 *
 * <p>Work goes in rounds: {@code batch} calls of one side, then {@code batch} of the other, the side that goes
 * first alternating every round, then the scenario's untimed {@code afterRound}. Warm-up rounds run until each
 * side made at least {@code warmupCalls} calls and the last two rounds' medians of each side agree within
 * {@code tolerance} (steady state), or until {@code maxWarmupCalls}. Then {@code measuredCalls} per side are
 * timed one by one with {@link System#nanoTime()}; the result is each side's median. Each side's allocation is
 * counted with the same per-thread counter JMH's {@code -prof gc} reads ({@code gc.alloc.rate.norm}), which
 * does not depend on how busy the machine is.
 */
final class SteadyStateComparison {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Keeps results reachable so that the JIT cannot drop a call's work. */
    @SuppressWarnings("unused")
    private static volatile Object sink;

    private final Settings settings;

    SteadyStateComparison(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param warmupCalls    calls per side before measuring, at least
     * @param maxWarmupCalls when steady state is not reached, measure anyway after this many (and say so)
     * @param measuredCalls  timed calls per side
     * @param batch          calls per side per round
     * @param tolerance      steady state: relative difference of two consecutive rounds' medians, e.g. 0.05
     */
    record Settings(int warmupCalls, int maxWarmupCalls, int measuredCalls, int batch, double tolerance) {
        /** Fails fast on settings that cannot follow the rules; a cap below the minimum is raised to it. */
        Settings {
            if (warmupCalls < 0 || measuredCalls < 1 || batch < 1 || tolerance <= 0) {
                throw new IllegalArgumentException("bench settings: warmupCalls >= 0, measuredCalls >= 1, batch >= 1"
                        + " and tolerance > 0 expected, got " + warmupCalls + ", " + measuredCalls + ", " + batch
                        + ", " + tolerance);
            }
            maxWarmupCalls = Math.max(maxWarmupCalls, warmupCalls);
        }

        /** The most calls one side makes in a scenario. */
        int maxCalls() {
            return maxWarmupCalls + measuredCalls + batch;
        }
    }

    /**
     * One scenario's outcome in this JVM.
     *
     * @param libraryMs      median of the library's calls, milliseconds
     * @param baselineMs     median of the baseline's calls
     * @param libraryP90Ms   90th percentile of the library's calls
     * @param baselineP90Ms  90th percentile of the baseline's calls
     * @param libraryBytes   bytes the calling thread allocated per library call (mean over the measured calls)
     * @param baselineBytes  the same for the baseline
     * @param warmupCalls    warm-up calls each side made
     * @param measuredCalls  timed calls per side
     * @param steady         whether the warm-up ended in steady state (false: it hit maxWarmupCalls)
     */
    record Outcome(double libraryMs, double baselineMs, double libraryP90Ms, double baselineP90Ms, double libraryBytes,
                   double baselineBytes, int warmupCalls, int measuredCalls, boolean steady) {
        double ratio() {
            return libraryMs / baselineMs;
        }
    }

    Outcome run(Scenario scenario, int firstCall) {
        Scenario.Call[] sides = {scenario.library(), scenario.baseline()};
        int[] next = {firstCall, firstCall};
        int batch = settings.batch();
        long[][] round = new long[2][batch];
        double[] previous = {Double.NaN, Double.NaN};
        int warmed = 0;
        boolean steady = false;
        int r = 0;
        while (warmed < settings.warmupCalls() || (!steady && warmed < settings.maxWarmupCalls())) {
            for (int k = 0; k < 2; k++) {
                int side = (r + k) % 2;
                timeBatch(sides[side], next, side, round[side], 0, batch);
            }
            scenario.afterRound().run();
            warmed += batch;
            r++;
            steady = true;
            for (int side = 0; side < 2; side++) {
                double m = median(round[side]);
                steady &= !Double.isNaN(previous[side]) && Math.abs(m - previous[side]) <= settings.tolerance() * previous[side];
                previous[side] = m;
            }
        }
        int measured = Math.max(batch, settings.measuredCalls() / batch * batch);
        long[][] samples = new long[2][measured];
        long[] allocated = new long[2];
        long thread = Thread.currentThread().getId();
        for (int at = 0; at < measured; at += batch, r++) {
            for (int k = 0; k < 2; k++) {
                int side = (r + k) % 2;
                MeasuredBatch event = new MeasuredBatch();
                event.begin();
                long before = THREADS.getThreadAllocatedBytes(thread);
                timeBatch(sides[side], next, side, samples[side], at, batch);
                allocated[side] += THREADS.getThreadAllocatedBytes(thread) - before;
                event.scenario = scenario.name();
                event.side = side == Scenarios.LIBRARY ? "library" : "baseline";
                event.commit();
            }
            scenario.afterRound().run();
        }
        return new Outcome(median(samples[0]) / 1e6, median(samples[1]) / 1e6, percentile(samples[0], 0.9) / 1e6,
                percentile(samples[1], 0.9) / 1e6, (double) allocated[0] / measured, (double) allocated[1] / measured,
                warmed, measured, steady);
    }

    private static void timeBatch(Scenario.Call call, int[] next, int side, long[] into, int from, int batch) {
        for (int i = 0; i < batch; i++) {
            int n = next[side]++;
            long start = System.nanoTime();
            Object result = call.call(n);
            into[from + i] = System.nanoTime() - start;
            sink = result;
        }
    }

    /**
     * Marks a timed batch in a flight recording ({@code -Dbench.jfr=true}), so a profile can tell the library's
     * samples from the baseline's. Costs nothing when no recording runs.
     */
    @jdk.jfr.Name("resumereviewdb.bench.MeasuredBatch")
    @jdk.jfr.Label("Measured batch")
    static final class MeasuredBatch extends jdk.jfr.Event {
        @jdk.jfr.Label("Scenario")
        String scenario;
        @jdk.jfr.Label("Side")
        String side;
    }

    static double median(long[] nanos) {
        return percentile(nanos, 0.5);
    }

    private static double percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (p == 0.5) {
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        }
        return sorted[Math.min(n - 1, (int) Math.ceil(p * n) - 1)];
    }
}
