package com.airesumereview.db;

import java.util.Locale;

/**
 * What sits between the library and PostgreSQL, as far as the connection's session is concerned
 * ({@link ResumeReviewDbConfig.Builder#pooler(Pooler)}, environment {@value ResumeReviewDbConfig#POOLER_ENV},
 * Spring property {@code resume-review-db.pooler}). It decides how the statement timeout reaches the server and
 * whether the driver may keep server-side prepared statements:
 * <table>
 * <caption>What each mode changes</caption>
 * <tr><th>mode</th><th>statement timeout</th><th>server-side prepared statements</th></tr>
 * <tr><td>{@link #NONE}</td><td>startup parameter {@code options=-c statement_timeout=..}</td><td>yes (pgJDBC's
 * default: from the 5th use)</td></tr>
 * <tr><td>{@link #SESSION}</td><td>{@code SET statement_timeout} once per new connection</td><td>yes</td></tr>
 * <tr><td>{@link #TRANSACTION}</td><td>the driver's query timeout on every statement (the driver cancels it)</td>
 * <td>no ({@code prepareThreshold=0})</td></tr>
 * </table>
 */
public enum Pooler {
    /** The library reaches PostgreSQL itself (or through a TCP proxy that keeps one server connection per client). */
    NONE,
    /**
     * A session-pooling PgBouncer ({@code pool_mode = session}): one server connection for the whole life of a
     * pooled connection, so session state survives, but PgBouncer rejects the {@code options} startup parameter.
     */
    SESSION,
    /**
     * A transaction-pooling PgBouncer ({@code pool_mode = transaction}, the common setup): each transaction, and each
     * statement outside one, may run on another server connection, so the library keeps no state in the session: no
     * {@code options} startup parameter, no server-side prepared statements, no {@code SET}.
     */
    TRANSACTION;

    /**
     * {@code none}, {@code session} or {@code transaction}, in any case.
     *
     * @param setting named in the exception, e.g. {@code DATABASE_POOLER}
     * @param value   the configured text; surrounding blanks are ignored
     * @return the mode it names
     * @throws ConfigurationException naming {@code setting} for any other value
     */
    public static Pooler parse(String setting, String value) {
        if (value != null) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none":
                    return NONE;
                case "session":
                    return SESSION;
                case "transaction":
                    return TRANSACTION;
                default:
                    break;
            }
        }
        throw new ConfigurationException(setting, setting + " must be none, session or transaction (the PgBouncer"
                + " pool_mode in front of the database), was " + (value == null ? "null" : "'" + value + "'"));
    }
}
