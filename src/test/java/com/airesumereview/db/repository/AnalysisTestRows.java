package com.airesumereview.db.repository;

import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plain JDBC helpers for the analysis and prompt repository tests: rows the repositories cannot write
 * (users, rows as another service would have written them) and table snapshots for "nothing changed".
 */
final class AnalysisTestRows {
    private AnalysisTestRows() {
    }

    /** Inserts a user with a random email; returns its id. */
    static UUID user(DataSource ds) {
        String key = UUID.randomUUID().toString();
        return uuid(ds, "INSERT INTO users (email, password_hash, first_name, last_name) VALUES (?, ?, 'Ada', 'Lovelace')"
                + " RETURNING id", key + "@example.com", TestUsers.passwordHash());
    }

    /** Runs one statement returning a uuid (first column of the first row). */
    static UUID uuid(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs statements (DDL or DML without binds). */
    static void execute(DataSource ds, String... sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", sql), e);
        }
    }

    /** Runs one statement with binds; returns the update count. */
    static int update(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of every row of a query, as text. */
    static List<String> strings(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single text value of a query. */
    static String string(DataSource ds, String sql, Object... args) {
        List<String> all = strings(ds, sql, args);
        if (all.size() != 1) {
            throw new IllegalStateException("expected one row, got " + all.size() + ": " + sql);
        }
        return all.get(0);
    }

    /** Every row of {@code table} as text, sorted: compare before and after to prove nothing changed. */
    static List<String> contents(DataSource ds, String table) {
        return strings(ds, "SELECT t::text FROM " + table + " t ORDER BY 1");
    }
}
