package com.airesumereview.db.internal;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDbException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Single unpooled connections for the tools (verify, snapshot, audit) and the one translation of a failed first
 * connection. Kept here rather than on {@link DatabaseUrl}, which services use to describe an address, not to open
 * sessions behind the pool's back.
 */
public final class Connections {
    private Connections() {
    }

    /**
     * Opens one unpooled connection with the URL's credentials. Server error details (row values) are kept out of
     * messages; with several hosts it goes to the primary, as the service's writes would.
     *
     * @param applicationName shown in {@code pg_stat_activity}
     * @throws DatabaseUnavailableException when the server cannot be reached, {@link ConfigurationException} (setting
     *                                      {@code url}) when it refuses the login or has no such database
     */
    public static Connection open(DatabaseUrl url, String applicationName) {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", "10");
        props.setProperty("logServerErrorDetail", "false");
        if (url.hosts().size() > 1 && !url.jdbcUrl().contains("targetServerType=")) {
            props.setProperty("targetServerType", "primary");   // a tool reads what the service would write to
        }
        try {
            return DriverManager.getConnection(url.jdbcUrl(), props);
        } catch (SQLException e) {
            throw connectFailure(url, e);
        }
    }

    /**
     * Why a first connection to {@code url} failed, as the library exception for it: unreachable (by the one SQLSTATE
     * classifier) is {@link DatabaseUnavailableException}, worth a retry; anything else (login refused, no such
     * database, no driver) is a {@link ConfigurationException} of {@code url}, which a retry cannot fix. Names the URL
     * and the driver's reason, never the password.
     */
    public static ResumeReviewDbException connectFailure(DatabaseUrl url, Throwable e) {
        String reason = "cannot connect to " + url.jdbcUrl() + ": " + Secrets.describe(e, url.password());
        String sqlState = null;
        for (Throwable t = e; t != null && sqlState == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                sqlState = sql.getSQLState();
            }
        }
        if (SqlFailures.isUnavailable(e)) {
            return new DatabaseUnavailableException(reason, sqlState, e);
        }
        return new ConfigurationException("url", reason + (sqlState != null ? " (SQLSTATE " + sqlState + ")" : "")
                + "; check the URL's user, password and database name", e);
    }
}
