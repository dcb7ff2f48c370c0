package com.airesumereview.db;

import com.airesumereview.db.internal.Secrets;
import com.airesumereview.db.internal.SqlFailures;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL connection address, parsed from either form the services use:
 * {@code postgresql://user:secret@host:5432/db} (libpq / SQLAlchemy style, also {@code postgres://})
 * or {@code jdbc:postgresql://host:5432/db?user=u&password=p}.
 *
 * <p>The password is kept apart from the JDBC URL so that {@link #jdbcUrl()} and {@link #toString()}
 * can be logged safely:
 * <pre>{@code
 * DatabaseUrl url = DatabaseUrl.parse(System.getenv("DATABASE_URL"));
 * log.info("connecting to {}", url);   // password never printed
 * }</pre>
 */
public final class DatabaseUrl {

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private DatabaseUrl(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Parses a URL in {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} form.
     *
     * @throws InvalidDatabaseUrlException naming the rule that failed; the message never holds the password
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidDatabaseUrlException("is empty; expected postgresql://user:password@host:port/database"
                    + " or jdbc:postgresql://host:port/database");
        }
        String trimmed = url.trim();
        String rest;
        if (trimmed.startsWith("jdbc:postgresql://")) {
            rest = trimmed.substring("jdbc:postgresql://".length());
        } else if (trimmed.startsWith("postgresql://")) {
            rest = trimmed.substring("postgresql://".length());
        } else if (trimmed.startsWith("postgres://")) {
            rest = trimmed.substring("postgres://".length());
        } else {
            throw new InvalidDatabaseUrlException("must start with postgresql://, postgres:// or jdbc:postgresql:// but starts with '"
                    + safePrefix(trimmed) + "'");
        }
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw new InvalidDatabaseUrlException("is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidDatabaseUrlException("has no host");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.put(key, value);
            }
        }
        if (params.containsKey("user")) {
            user = params.remove("user");
        }
        if (params.containsKey("password")) {
            password = params.remove("password");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) {
            throw new InvalidDatabaseUrlException("names no database; add /database after host:port");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append('/').append(database);
        // libpq's sslmode and friends are understood by pgJDBC under the same names.
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            jdbc.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = "&";
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    /** A URL from its parts; {@code password} may be null. */
    public static DatabaseUrl of(String jdbcUrl, String user, String password) {
        DatabaseUrl parsed = parse(jdbcUrl);
        return new DatabaseUrl(parsed.jdbcUrl,
                user != null ? user : parsed.user,
                password != null ? password : parsed.password);
    }

    /** The same address with another user and password (null keeps the current one). */
    public DatabaseUrl withCredentials(String newUser, String newPassword) {
        return new DatabaseUrl(jdbcUrl, newUser != null ? newUser : user, newPassword != null ? newPassword : password);
    }

    /** The same server with another database name. */
    public DatabaseUrl withDatabase(String database) {
        Objects.requireNonNull(database, "database");
        String base = jdbcUrl;
        String query = "";
        int q = base.indexOf('?');
        if (q >= 0) {
            query = base.substring(q);
            base = base.substring(0, q);
        }
        int slash = base.lastIndexOf('/');
        return new DatabaseUrl(base.substring(0, slash + 1) + database + query, user, password);
    }

    /** The JDBC URL without user or password. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The database name in the URL. */
    public String database() {
        String base = jdbcUrl;
        int q = base.indexOf('?');
        if (q >= 0) {
            base = base.substring(0, q);
        }
        return base.substring(base.lastIndexOf('/') + 1);
    }

    /** The user, or null to let the driver decide. */
    public String user() {
        return user;
    }

    /** The password, or null. Never log it. */
    public String password() {
        return password;
    }

    /**
     * Opens one unpooled connection with these credentials, for tools that need a single session
     * (verify, snapshot, audit). Server error details (row values) are kept out of messages.
     *
     * @param applicationName shown in {@code pg_stat_activity}
     * @throws DatabaseUnavailableException when the server cannot be reached, {@link ConfigurationException} (setting
     *                                      {@code url}) when it refuses the login or has no such database; both name
     *                                      the URL and the driver's reason (never the password), the driver's
     *                                      exception is the cause
     */
    public java.sql.Connection open(String applicationName) {
        java.util.Properties props = new java.util.Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("connectTimeout", "10");
        props.setProperty("logServerErrorDetail", "false");
        try {
            return java.sql.DriverManager.getConnection(jdbcUrl, props);
        } catch (java.sql.SQLException e) {
            throw connectFailure(e);
        }
    }

    /**
     * Why a first connection to this address failed, as the library exception for it: unreachable (by the one
     * SQLSTATE classifier) is {@link DatabaseUnavailableException}, worth a retry; anything else (login refused,
     * no such database, no driver) is a {@link ConfigurationException} of {@code url}, which a retry cannot fix.
     */
    ResumeReviewDbException connectFailure(Throwable e) {
        String reason = "cannot connect to " + jdbcUrl + ": " + Secrets.describe(e, password);
        String sqlState = null;
        for (Throwable t = e; t != null && sqlState == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                sqlState = sql.getSQLState();
            }
        }
        if (SqlFailures.isUnavailable(e)) {
            return new DatabaseUnavailableException(reason, sqlState, e);
        }
        return new ConfigurationException("url", reason + (sqlState != null ? " (SQLSTATE " + sqlState + ")" : "")
                + "; check the URL's user, password and database name", e);
    }

    /** The JDBC URL and user; the password shows as {@code ***} when present. */
    @Override
    public String toString() {
        return jdbcUrl + (user != null ? " (user " + user + (password != null ? ", password ***" : "") + ")" : "");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String safePrefix(String s) {
        int cut = s.indexOf("://");
        String scheme = cut >= 0 ? s.substring(0, cut + 3) : s.substring(0, Math.min(12, s.length()));
        return scheme;
    }

    /** The URL breaks a rule; the message names it and never contains the password. The setting is {@code url}. */
    public static final class InvalidDatabaseUrlException extends ConfigurationException {
        private static final long serialVersionUID = 1L;

        InvalidDatabaseUrlException(String rule) {
            super("url", "database URL " + rule);
        }
    }
}
