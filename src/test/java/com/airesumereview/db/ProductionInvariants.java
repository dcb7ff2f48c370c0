package com.airesumereview.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Test tool: every invariant of {@code ../shared/production/python-service-behaviour.md} ("Invariants that
 * hold in every production row") as one SQL query returning the keys of offending rows. {@link #assertHold}
 * fails with an {@link AssertionError} naming each broken invariant and the key of each offending row.
 * <pre>{@code
 * ProductionInvariants.assertHold(dataSource);   // after a test, a concurrency run, a hostile-input run
 * }</pre>
 * Registered after every test of the repository suite through {@link ProductionInvariantsExtension}.
 */
public final class ProductionInvariants {
    /** Lock-out threshold of the running service (also the library's default). */
    public static final int DEFAULT_MAX_FAILED_LOGINS = 5;
    /** Session lifetime of the running service (also the library's default). */
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofDays(7);
    /**
     * The Python service computes {@code expires_at} with its own clock, the database sets
     * {@code created_at}/{@code last_used_at} with its clock: a minute covers the skew between them.
     */
    private static final String CLOCK_SKEW = "1 minute";
    private static final int KEYS_SHOWN = 10;

    /**
     * One invariant: its name as the facts file states it, and a query selecting the key of every row
     * that breaks it (one text column), with positional binds.
     */
    public record Invariant(String name, String offendingKeysSql, Object... binds) {
    }

    private ProductionInvariants() {
    }

    /** The invariants with the running service's settings (5 attempts, 7-day sessions). */
    public static List<Invariant> all() {
        return all(DEFAULT_MAX_FAILED_LOGINS, DEFAULT_SESSION_LIFETIME);
    }

    /** The invariants for a library configured with other lock-out or session settings. */
    public static List<Invariant> all(int maxFailedLogins, Duration sessionLifetime) {
        String lifetime = sessionLifetime.toSeconds() + " seconds";
        return List.of(
                new Invariant("users.email is stored trimmed and lower-case",
                        "SELECT 'users.id=' || id FROM users WHERE email <> lower(email) OR email ~ '^\\s|\\s$'"
                                + " ORDER BY id"),
                new Invariant("users.first_name and users.last_name are stored trimmed",
                        "SELECT 'users.id=' || id FROM users WHERE first_name ~ '^\\s|\\s$' OR last_name ~ '^\\s|\\s$'"
                                + " ORDER BY id"),
                new Invariant("users.failed_login_attempts is never NULL",
                        "SELECT 'users.id=' || id FROM users WHERE failed_login_attempts IS NULL ORDER BY id"),
                new Invariant("users.locked_until is set only when failed_login_attempts reached " + maxFailedLogins,
                        "SELECT 'users.id=' || id FROM users WHERE locked_until IS NOT NULL"
                                + " AND failed_login_attempts IS DISTINCT FROM ? ORDER BY id", maxFailedLogins),
                new Invariant("refresh_tokens has exactly one row per session_id",
                        "SELECT 'refresh_tokens.session_id=' || session_id || ' (' || count(*) || ' rows)'"
                                + " FROM refresh_tokens GROUP BY session_id HAVING count(*) > 1 ORDER BY session_id"),
                new Invariant("refresh_tokens.session_id is a UUID in text form (36 characters)",
                        "SELECT 'refresh_tokens.id=' || id || ' session_id=' || session_id FROM refresh_tokens"
                                + " WHERE session_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'"
                                + " ORDER BY id"),
                new Invariant("refresh_tokens.expires_at = time of issue or of the last rotation + " + sessionLifetime,
                        "SELECT 'refresh_tokens.id=' || id FROM refresh_tokens"
                                + " WHERE abs(extract(epoch FROM expires_at - (last_used_at + interval '" + lifetime + "')))"
                                + " > extract(epoch FROM interval '" + CLOCK_SKEW + "') ORDER BY id"),
                // The production trigger counts active *and unexpired* rows; an 'active' row past its expiry
                // is expired in the service's meaning (it stays 'active' until expire_refresh_tokens() runs).
                new Invariant("a user has at most 3 active (unexpired) refresh_tokens rows",
                        "SELECT 'users.id=' || user_id || ' (' || count(*) || ' active rows)' FROM refresh_tokens"
                                + " WHERE status = 'active' AND expires_at > now() GROUP BY user_id HAVING count(*) > 3"
                                + " ORDER BY user_id"));
    }

    /** Fails naming every broken invariant and the keys of its offending rows (default settings). */
    public static void assertHold(DataSource dataSource) {
        assertHold(dataSource, all());
    }

    /** Fails naming every broken invariant of {@code invariants} and the keys of its offending rows. */
    public static void assertHold(DataSource dataSource, List<Invariant> invariants) {
        List<String> broken = violations(dataSource, invariants);
        if (!broken.isEmpty()) {
            throw new AssertionError("production invariants broken (python-service-behaviour.md):\n  "
                    + String.join("\n  ", broken));
        }
    }

    /** One line per broken invariant: its name and the keys of up to 10 offending rows. */
    public static List<String> violations(DataSource dataSource, List<Invariant> invariants) {
        List<String> broken = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (Invariant invariant : invariants) {
                List<String> keys = keys(c, invariant);
                if (!keys.isEmpty()) {
                    String shown = String.join(", ", keys.subList(0, Math.min(KEYS_SHOWN, keys.size())));
                    broken.add(invariant.name() + ": " + keys.size() + " offending row(s): " + shown
                            + (keys.size() > KEYS_SHOWN ? ", ..." : ""));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError("could not check the production invariants: " + e.getMessage(), e);
        }
        return broken;
    }

    private static List<String> keys(Connection c, Invariant invariant) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(invariant.offendingKeysSql())) {
            for (int i = 0; i < invariant.binds().length; i++) {
                s.setObject(i + 1, invariant.binds()[i]);
            }
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        }
    }
}
