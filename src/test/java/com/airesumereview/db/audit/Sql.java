package com.airesumereview.db.audit;

import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/** Plain JDBC for rows as the other service (or a drifted copy) may hold them. */
final class Sql {
    private Sql() {
    }

    /** Runs one statement with binds. */
    static void execute(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs a statement returning a uuid in its first column. */
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

    /**
     * Runs statements on one connection with triggers off ({@code session_replication_role = replica}), so that
     * values the BEFORE UPDATE triggers would overwrite (updated_at) stay as written. No DDL.
     */
    static void withoutTriggers(DataSource ds, String... sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            for (String one : sql) {
                s.execute(one);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", sql), e);
        }
    }

    /** A user as the other service writes it; returns its id. */
    static UUID user(DataSource ds) {
        String key = UUID.randomUUID().toString();
        return uuid(ds, "INSERT INTO users (email, password_hash, first_name, last_name) VALUES (?, ?, 'Ada', 'Lovelace')"
                + " RETURNING id", key + "@example.com", TestUsers.passwordHash());
    }

    /** An analysis request of {@code user}; returns its id. */
    static UUID request(DataSource ds, UUID user) {
        return uuid(ds, "INSERT INTO analysis_requests (user_id, original_filename, file_path, file_size_bytes, mime_type)"
                + " VALUES (?, 'cv.pdf', 'p/cv.pdf', 1, 'application/pdf') RETURNING id", user);
    }

    /** An analysis result row with the given SQL expressions for its array and JSON columns; returns its id. */
    static UUID result(DataSource ds, UUID request, String strengths, String weaknesses, String recommendations,
                       String feedback) {
        return uuid(ds, "INSERT INTO analysis_results (request_id, strengths, weaknesses, recommendations,"
                + " detailed_feedback, ai_model_used) VALUES (?, " + strengths + ", " + weaknesses + ", "
                + recommendations + ", " + feedback + ", 'm') RETURNING id", request);
    }

    /** An upload of {@code user} with {@code detected_sections} given as an SQL expression; returns its id. */
    static UUID upload(DataSource ds, UUID user, String detectedSections) {
        return uuid(ds, "INSERT INTO file_uploads (user_id, filename, original_filename, mime_type, file_size, file_hash,"
                + " detected_sections) VALUES (?, 'f.pdf', 'cv.pdf', 'application/pdf', 1, repeat('a', 64), "
                + detectedSections + ") RETURNING id", user);
    }
}
