package com.airesumereview.db.repository;

import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plain JDBC access to {@code users} and {@code refresh_tokens} for the user and token tests: rows the
 * Python service could have written (values the repositories never write), direct column reads, and a
 * whole-table fingerprint to prove that a refused call changed nothing. Each call is its own transaction.
 */
final class UserRows {
    private final DataSource dataSource;

    UserRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs one statement with bind values; returns the update count. */
    int execute(String sql, Object... binds) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, binds);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the single row {@code sql} returns, as a string (null for SQL NULL). */
    String queryString(String sql, Object... binds) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, binds);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row: " + sql);
                }
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Like {@link #queryString} for a number. */
    long queryLong(String sql, Object... binds) {
        return Long.parseLong(queryString(sql, binds));
    }

    /** Every row of {@code table} as text, sorted: equal before and after means nothing changed. */
    String contents(String table) {
        if (!table.equals("users") && !table.equals("refresh_tokens")) {
            throw new IllegalArgumentException(table);
        }
        return queryString("SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM " + table + " t");
    }

    /** Inserts a user row with the given email (any case) and returns its id; other columns defaulted. */
    UUID insertUser(String email) {
        return UUID.fromString(queryString("INSERT INTO users (email, password_hash, first_name, last_name) "
                + "VALUES (?, '" + TestUsers.PASSWORD_HASH + "', 'Legacy', 'Row') RETURNING id", email));
    }

    private static void bind(PreparedStatement s, Object... binds) throws SQLException {
        for (int i = 0; i < binds.length; i++) {
            s.setObject(i + 1, binds[i]);
        }
    }
}
