package com.airesumereview.db.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Everything that touches Micrometer types, behind methods that take and return {@code Object} or library types.
 * Callers reach this class only when a service gave a registry, so a service without Micrometer on its classpath
 * never loads it (the config keeps the registry as {@code Object} for the same reason).
 */
public final class MicrometerMetrics {
    private MicrometerMetrics() {
    }

    /**
     * {@code registry} itself when it is a Micrometer {@code MeterRegistry}.
     *
     * @throws com.airesumereview.db.ConfigurationException (setting {@code meterRegistry}) otherwise
     */
    public static Object requireRegistry(Object registry) {
        if (!(registry instanceof MeterRegistry)) {
            throw new com.airesumereview.db.ConfigurationException("meterRegistry", "meterRegistry must be an"
                    + " io.micrometer.core.instrument.MeterRegistry, was " + registry.getClass().getName());
        }
        return registry;
    }

    /** An observer recording {@link MicrometerOperationObserver}'s meters in {@code registry} (a MeterRegistry). */
    public static OperationObserver observer(Object registry) {
        return new MicrometerOperationObserver((MeterRegistry) registry);
    }

    /** Makes the pool {@code hikari} describes publish HikariCP's own pool metrics ({@code hikaricp.*}) to {@code registry}. */
    public static void instrument(HikariConfig hikari, Object registry) {
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory((MeterRegistry) registry));
    }

    /** A counter {@code name} in {@code registry} (a MeterRegistry), as a {@code Runnable} that counts one. */
    public static Runnable counter(Object registry, String name, String description) {
        io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter.builder(name)
                .description(description).register((MeterRegistry) registry);
        return counter::increment;
    }
}
