package com.airesumereview.db.internal;

import com.airesumereview.db.Pooler;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connection settings every pool the library uses carries, decided in one place for the library's own pools
 * ({@code ResumeReviewDb.connect}) and for a Spring Boot pool ({@code PoolSettings}), so the two cannot drift
 * apart: pgJDBC data source properties, and the SQL a new connection runs (or null).
 *
 * <ul>
 * <li>{@value #ERROR_DETAIL}{@code =false}: row values (emails, token hashes) stay out of exception messages and
 * logs;</li>
 * <li>the statement timeout as {@link Pooler} allows it: the {@value #OPTIONS} startup parameter without a pooler,
 * {@code SET statement_timeout} per new connection behind a session pooler (PgBouncer refuses the startup
 * parameter), and behind a transaction pooler neither (the driver's query timeout applies it) but
 * {@value #PREPARE_THRESHOLD}{@code =0}: the next transaction may run on another server connection, which has
 * none of this one's named server-side statements, or another client's;</li>
 * <li>{@value #APPLICATION_NAME}, shown in {@code pg_stat_activity}.</li>
 * </ul>
 *
 * @param dataSourceProperties pgJDBC property name to value, in the order they are explained above
 * @param initSql              what each new connection runs first, or null
 */
public record ConnectionSettings(Map<String, String> dataSourceProperties, String initSql) {
    /** pgJDBC property: whether server error detail (row values) goes into exception messages. */
    public static final String ERROR_DETAIL = "logServerErrorDetail";
    /** pgJDBC property: startup parameters sent to the server. */
    public static final String OPTIONS = "options";
    /** pgJDBC property: executions before a statement becomes a named server-side statement. */
    public static final String PREPARE_THRESHOLD = "prepareThreshold";
    /** pgJDBC property: the application name {@code pg_stat_activity} shows. */
    public static final String APPLICATION_NAME = "ApplicationName";

    /** Copies {@code dataSourceProperties}, keeping their order. */
    public ConnectionSettings {
        dataSourceProperties = Collections.unmodifiableMap(new LinkedHashMap<>(dataSourceProperties));
    }

    /**
     * The settings for a pool behind {@code pooler}.
     *
     * @param statementTimeout null, zero or negative: none
     * @param applicationName  null: none
     */
    public static ConnectionSettings of(Pooler pooler, Duration statementTimeout, String applicationName) {
        boolean timeout = statementTimeout != null && !statementTimeout.isZero() && !statementTimeout.isNegative();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ERROR_DETAIL, "false");
        String initSql = null;
        switch (pooler) {
            case NONE -> {
                if (timeout) {
                    properties.put(OPTIONS, "-c statement_timeout=" + statementTimeout.toMillis());
                }
            }
            case SESSION -> {
                if (timeout) {
                    initSql = "SET statement_timeout = " + statementTimeout.toMillis();
                }
            }
            case TRANSACTION -> properties.put(PREPARE_THRESHOLD, "0");
        }
        if (applicationName != null) {
            properties.put(APPLICATION_NAME, applicationName);
        }
        return new ConnectionSettings(properties, initSql);
    }
}
