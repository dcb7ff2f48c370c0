package com.airesumereview.db.provisioning.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps embedded PostgreSQL and Flyway out of a test run's output, as {@code QuietJooq} keeps jOOQ out of a
 * service's log: Flyway logs warnings and errors only ({@link WarningsOnlyFlywayLog}), embedded PostgreSQL's
 * {@code initdb}/{@code postgres} output is discarded (a failure still throws, naming its cause), and for
 * slf4j-simple, the backend most test set-ups use, the {@code io.zonky} and {@code org.flywaydb} loggers start at
 * WARN (slf4j-simple's documented {@code org.slf4j.simpleLogger.log.<name>} properties; a value already set wins).
 *
 * <p>{@code -Dresume-review-db.test-logs=verbose} (or the environment variable
 * {@code RESUME_REVIEW_DB_TEST_LOGS=verbose}) brings all of it back.
 */
public final class QuietTestLogs {
    /** The system property that brings the logs back when {@code verbose}. */
    public static final String PROPERTY = "resume-review-db.test-logs";
    /** The environment variable read when the property is not set. */
    public static final String ENV = "RESUME_REVIEW_DB_TEST_LOGS";

    static final Map<String, String> SLF4J_SIMPLE_DEFAULTS = Map.of(
            "org.slf4j.simpleLogger.log.io.zonky", "warn",
            "org.slf4j.simpleLogger.log.org.flywaydb", "warn");

    private QuietTestLogs() {
    }

    /** True when the caller asked for the dependencies' own logs. */
    public static boolean verbose() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            value = System.getenv(ENV);
        }
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("verbose");
    }

    /** Sets the slf4j-simple defaults unless verbose; call before the first logger is created. */
    public static void apply() {
        if (!verbose()) {
            apply(System.getProperties());
        }
    }

    static void apply(Properties properties) {
        SLF4J_SIMPLE_DEFAULTS.forEach(properties::putIfAbsent);
    }
}
