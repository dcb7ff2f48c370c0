package com.airesumereview.db.bench;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Times operations against each other in the same JVM on the same pool: after warm-up rounds it alternates
 * batches of each operation, rotating which one goes first every round (so no side always runs on the warmer
 * cache), and records every single call with {@link System#nanoTime()}. Each operation gets its own sequence
 * number (0, 1, 2, ...), so operations that consume rows (a status change, a new user) can pick distinct ones.
 */
final class Interleaved {
    private final int warmupRounds;
    private final int rounds;
    private final int batch;

    /**
     * @param warmupRounds rounds run first and not recorded
     * @param rounds       recorded rounds
     * @param batch        calls per operation per round
     */
    Interleaved(int warmupRounds, int rounds, int batch) {
        this.warmupRounds = warmupRounds;
        this.rounds = rounds;
        this.batch = batch;
    }

    /** Calls each operation gets in total (warm-up included); size the rows an operation consumes by it. */
    int callsPerOperation() {
        return (warmupRounds + rounds) * batch;
    }

    /** Medians in milliseconds per call, library first. */
    record Result(double libraryMs, double baselineMs, int samplesPerSide) {
        double ratio() {
            return libraryMs / baselineMs;
        }
    }

    /** The library against its baseline. */
    Result run(IntConsumer library, IntConsumer baseline) {
        double[] medians = medians(library, baseline);
        return new Result(medians[0], medians[1], rounds * batch);
    }

    /** Median milliseconds per call of each operation, in argument order. */
    double[] medians(IntConsumer... ops) {
        long[][] samples = new long[ops.length][rounds * batch];
        int[] seq = new int[ops.length];
        for (int r = 0; r < warmupRounds + rounds; r++) {
            int at = r < warmupRounds ? -1 : (r - warmupRounds) * batch;
            for (int k = 0; k < ops.length; k++) {
                int op = (r + k) % ops.length;
                for (int i = 0; i < batch; i++) {
                    int n = seq[op]++;
                    long start = System.nanoTime();
                    ops[op].accept(n);
                    long took = System.nanoTime() - start;
                    if (at >= 0) {
                        samples[op][at + i] = took;
                    }
                }
            }
        }
        double[] medians = new double[ops.length];
        for (int k = 0; k < ops.length; k++) {
            medians[k] = medianMs(samples[k]);
        }
        return medians;
    }

    static double medianMs(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1_000_000.0;
    }
}
