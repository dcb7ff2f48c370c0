package com.airesumereview.db.bench;

/**
 * A PostgreSQL server a known, adjustable round trip away from this JVM, as {@link LatencyBenchmarkTest} uses it:
 * {@link NetworkDelay} (a network namespace and {@code tc netem}) where the kernel has {@code sch_netem}, else
 * {@link DelayProxy} (a userspace TCP proxy on loopback).
 */
interface DelayedServer extends AutoCloseable {
    /** How the delay is made, in a few words for the report. */
    String kind();

    /** The server's {@code postgres} database as a superuser, through the delay, for the provisioner. */
    String adminJdbcUrl();

    /** The round trip asked for at start, in ms. */
    double requestedRoundTripMs();

    /** The round trip measured after the last start or {@link #delay} call, in ms; NaN when not measured. */
    double measuredRoundTripMs();

    /** How the round trip was measured and what came out, for the report. */
    String measuredRoundTrip();

    /** Sets the added round trip to {@code ms} ({@code <= 0} removes it) and measures the round trip again. */
    void delay(double ms);

    /** Removes the delay and whatever was started for it. */
    @Override
    void close();
}
