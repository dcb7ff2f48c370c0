package com.airesumereview.db.internal;

import java.util.Map;
import java.util.Properties;

/**
 * Keeps jOOQ from writing into a service's log: no ASCII banner, no "tip of the day", and no INFO line naming
 * the database version on the first query. Uses only the system properties jOOQ documents for libraries built on
 * it ({@code org.jooq.no-logo}, {@code org.jooq.no-tips}, and the {@code org.jooq.log.<logger>} threshold, see
 * jOOQ's manual, "Logging system properties"); a value the service already set is never overwritten.
 */
public final class QuietJooq {
    /** The properties and the values set when absent. Version-support mismatches are still logged (WARN). */
    static final Map<String, String> DEFAULTS = Map.of(
            "org.jooq.no-logo", "true",
            "org.jooq.no-tips", "true",
            "org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport", "WARN");

    private QuietJooq() {
    }

    /** Sets the defaults in the JVM's system properties; call before jOOQ's first use. */
    public static void apply() {
        apply(System.getProperties());
    }

    /** Sets each default in {@code properties} unless a value is already there. */
    static void apply(Properties properties) {
        DEFAULTS.forEach(properties::putIfAbsent);
    }
}
