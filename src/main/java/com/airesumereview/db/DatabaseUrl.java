package com.airesumereview.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.postgresql.PGProperty;

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
     * Parses a URL in {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} form, with one host
     * or a list of them ({@code postgresql://u:p@db-1:5432,db-2:5432/app}): the library writes only to the one that
     * is a primary (see {@code docs/failover.md}). Query parameters are pgJDBC's ({@code sslmode},
     * {@code connectTimeout}, ...; libpq's {@code application_name} and {@code connect_timeout} are translated);
     * a parameter pgJDBC does not know, or a value it cannot take, is refused here rather than ignored by the
     * driver or failing as an outage later.
     *
     * @param url the URL as configured, e.g. {@code DATABASE_URL}; credentials in it are kept apart
     * @return the address as a JDBC URL without credentials, and the user and password the URL holds (or null)
     * @throws InvalidDatabaseUrlException naming the part that is wrong (scheme, host, port, database or parameter)
     *                                     and the rule; the message never holds the password
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
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        // user:password@ ends at the last '@' before the path (a password may hold an encoded or even a plain '@').
        int slash = rest.indexOf('/', Math.max(0, rest.lastIndexOf('@')));
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String info = authority.substring(0, at);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon), "user");
            password = colon < 0 ? null : decode(info.substring(colon + 1), null);
            authority = authority.substring(at + 1);
        }
        List<String> hosts = hosts(authority);
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), key.equals("password") ? null : "parameter " + key);
                if (key.equals("target_session_attrs")) {
                    value = LIBPQ_SESSION_ATTRS.getOrDefault(value, value);
                }
                params.put(LIBPQ_NAMES.getOrDefault(key, key), value);
            }
        }
        if (params.containsKey("user")) {
            user = params.remove("user");
        }
        if (params.containsKey("password")) {
            password = params.remove("password");
        }
        String database = decode(path, "database");
        if (database.isEmpty()) {
            throw new InvalidDatabaseUrlException("names no database; add /database after host:port");
        }
        if (database.contains("/")) {
            throw new InvalidDatabaseUrlException("has database '" + database + "', which contains '/'; a database name"
                    + " follows the host list after one '/'");
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            checkParameter(e.getKey(), e.getValue());
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(String.join(",", hosts));
        jdbc.append('/').append(path);
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            jdbc.append(sep).append(e.getKey()).append('=').append(encode(e.getValue()));
            sep = "&";
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    /** libpq's names for the parameters pgJDBC knows under another name. */
    private static final Map<String, String> LIBPQ_NAMES = Map.of(
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "target_session_attrs", "targetServerType");

    /** libpq's {@code target_session_attrs} values as pgJDBC's {@code targetServerType} says them. */
    private static final Map<String, String> LIBPQ_SESSION_ATTRS = Map.of(
            "read-write", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");

    /** {@code host[:port]} entries, comma separated; IPv6 addresses in brackets. */
    private static List<String> hosts(String authority) {
        if (authority.isEmpty()) {
            throw new InvalidDatabaseUrlException("has no host; expected host:port after //");
        }
        List<String> hosts = new ArrayList<>();
        String[] entries = authority.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            String where = entries.length > 1 ? " (entry " + (i + 1) + " of the host list)" : "";
            String host;
            String port = null;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw new InvalidDatabaseUrlException("has host '" + entry + "'" + where + " with no closing ']'"
                            + " after its IPv6 address");
                }
                host = entry.substring(0, close + 1);
                String after = entry.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw new InvalidDatabaseUrlException("has '" + after + "' after IPv6 host " + host + where
                                + "; expected :port");
                    }
                    port = after.substring(1);
                }
            } else {
                int colon = entry.lastIndexOf(':');
                host = colon < 0 ? entry : entry.substring(0, colon);
                port = colon < 0 ? null : entry.substring(colon + 1);
            }
            if (host.isEmpty()) {
                throw new InvalidDatabaseUrlException("has no host" + where + "; expected host:port"
                        + (entries.length > 1 ? ", hosts separated by commas" : " after //"));
            }
            if (!host.startsWith("[") && !HOST.matcher(host).matches()) {
                throw new InvalidDatabaseUrlException("has host '" + host + "'" + where + ", which is not a host name"
                        + " or IP address (letters, digits, '.', '-', '_')");
            }
            if (port != null) {
                int number = -1;
                if (port.matches("[0-9]{1,5}")) {
                    number = Integer.parseInt(port);
                }
                if (number < 1 || number > 65535) {
                    throw new InvalidDatabaseUrlException("has port '" + port + "' for host " + host + where
                            + "; a port is a number from 1 to 65535");
                }
            }
            hosts.add(port == null ? host : host + ":" + port);
        }
        return List.copyOf(hosts);
    }

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");

    /** A parameter pgJDBC does not know, or a value outside the choices or the type it takes, is configuration. */
    private static void checkParameter(String name, String value) {
        PGProperty property = PGProperty.forName(name);
        if (property == null) {
            throw new InvalidDatabaseUrlException("has parameter '" + name + "', which the PostgreSQL driver does not"
                    + " know (it would be ignored); names are pgJDBC's, e.g. sslmode, connectTimeout, ApplicationName");
        }
        String[] choices = property.getChoices();
        if (choices != null && choices.length > 0 && !java.util.Arrays.asList(choices).contains(value)) {
            throw new InvalidDatabaseUrlException("has parameter " + name + "='" + shorten(value) + "', which is not one of "
                    + String.join(", ", choices));
        }
        String fallback = property.getDefaultValue();
        if (fallback != null && fallback.matches("-?[0-9]+") && !value.matches("-?[0-9]{1,9}")) {
            throw new InvalidDatabaseUrlException("has parameter " + name + "='" + shorten(value) + "', which is not a"
                    + " whole number");
        }
        boolean flag = "true".equals(fallback) || "false".equals(fallback) || property == PGProperty.SSL;
        if (flag && !value.equalsIgnoreCase("true")
                && !value.equalsIgnoreCase("false")) {
            throw new InvalidDatabaseUrlException("has parameter " + name + "='" + shorten(value) + "', which is not"
                    + " true or false");
        }
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }

    /**
     * The hosts of the URL as {@code host[:port]}, in the order given; one for a single-host URL. The library
     * writes only to the one that is currently the primary.
     *
     * @return at least one entry, e.g. {@code [db-1:5432, db-2:5432]}
     */
    public List<String> hosts() {
        String base = jdbcUrl.substring("jdbc:postgresql://".length());
        return List.of(base.substring(0, base.indexOf('/')).split(","));
    }

    /**
     * The same address, credentials and parameters with one host of the list ({@code host[:port]} as
     * {@link #hosts()} shows it, or any other host).
     *
     * @param hostAndPort {@code host[:port]}, e.g. {@code db-2:5432}
     * @return a single-host URL for that host
     * @throws InvalidDatabaseUrlException when {@code hostAndPort} is not a valid host
     */
    public DatabaseUrl onHost(String hostAndPort) {
        Objects.requireNonNull(hostAndPort, "hostAndPort");
        String base = jdbcUrl.substring("jdbc:postgresql://".length());
        String rebuilt = "jdbc:postgresql://" + String.join(",", hosts(hostAndPort)) + base.substring(base.indexOf('/'));
        return new DatabaseUrl(rebuilt, user, password);
    }

    /**
     * A URL from its parts; {@code password} may be null.
     *
     * @param jdbcUrl  a URL {@link #parse} accepts; credentials in it are used where {@code user} or
     *                 {@code password} is null
     * @param user     the user, or null for the URL's
     * @param password the password, or null for the URL's
     * @return the parsed address with these credentials
     * @throws InvalidDatabaseUrlException as {@link #parse} does
     */
    public static DatabaseUrl of(String jdbcUrl, String user, String password) {
        DatabaseUrl parsed = parse(jdbcUrl);
        return new DatabaseUrl(parsed.jdbcUrl,
                user != null ? user : parsed.user,
                password != null ? password : parsed.password);
    }

    /**
     * The same address with another user and password (null keeps the current one).
     *
     * @param newUser     the user, or null to keep the current one
     * @param newPassword the password, or null to keep the current one
     * @return a new URL; this one is unchanged
     */
    public DatabaseUrl withCredentials(String newUser, String newPassword) {
        return new DatabaseUrl(jdbcUrl, newUser != null ? newUser : user, newPassword != null ? newPassword : password);
    }

    /**
     * The same server with another database name.
     *
     * @param database the database name, e.g. {@code postgres}; not null
     * @return a new URL with the same hosts, parameters and credentials
     */
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

    /**
     * The JDBC URL without user or password.
     *
     * @return {@code jdbc:postgresql://host[:port][,...]/database[?parameters]}; safe to log
     */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * The database name in the URL.
     *
     * @return the path after the hosts, without parameters
     */
    public String database() {
        String base = jdbcUrl;
        int q = base.indexOf('?');
        if (q >= 0) {
            base = base.substring(0, q);
        }
        return base.substring(base.lastIndexOf('/') + 1);
    }

    /**
     * The user to log in as.
     *
     * @return the user, or null to let the driver decide
     */
    public String user() {
        return user;
    }

    /**
     * The password to log in with. Never log it.
     *
     * @return the password, or null
     */
    public String password() {
        return password;
    }

    /** The JDBC URL and user; the password shows as {@code ***} when present. */
    @Override
    public String toString() {
        return jdbcUrl + (user != null ? " (user " + user + (password != null ? ", password ***" : "") + ")" : "");
    }

    /** Percent-decoding; {@code part} names what is decoded in the error (null for the password: never shown). */
    private static String decode(String s, String part) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidDatabaseUrlException("has a broken %-escape in the " + (part == null ? "password" : part)
                    + "; write a literal '%' as %25");
        }
    }

    private static String encode(String s) {
        // The driver decodes parameter values; keep what would end the value or the pair encoded.
        return s.replace("%", "%25").replace("&", "%26").replace("=", "%3D").replace("#", "%23").replace(" ", "%20");
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
