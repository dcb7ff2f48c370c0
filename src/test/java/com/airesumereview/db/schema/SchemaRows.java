package com.airesumereview.db.schema;

import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Inserts valid rows of each production table with plain JDBC, so behaviour tests only spell out the
 * columns they are about. Every call runs in its own connection with autocommit, i.e. its own
 * transaction: {@code now()} inside a statement is the start of that statement's transaction.
 *
 * <p>Overrides are column -> value maps (values bound, never inlined); a {@code null} value inserts
 * SQL NULL. Column names come from the tests only.
 */
final class SchemaRows {
    /** A timestamp well before any test run, for columns whose later change must be visible. */
    static final OffsetDateTime LONG_AGO = OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final DataSource dataSource;
    private int sequence;

    SchemaRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // ---- rows ---------------------------------------------------------------------------------

    UUID user() throws SQLException {
        return user(Map.of());
    }

    UUID user(String email) throws SQLException {
        return user(Map.of("email", email));
    }

    UUID user(Map<String, ?> overrides) throws SQLException {
        int n = next();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("email", "user" + n + "@example.com");
        row.put("password_hash", TestUsers.passwordHash());
        row.put("first_name", "First" + n);
        row.put("last_name", "Last" + n);
        return insert("users", row, overrides);
    }

    UUID refreshToken(UUID userId, Map<String, ?> overrides) throws SQLException {
        int n = next();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", userId);
        row.put("token_hash", sha256Like(n));
        row.put("session_id", "session-" + n);
        row.put("expires_at", fromNow(Duration.ofDays(7)));
        return insert("refresh_tokens", row, overrides);
    }

    /** A token identified by its session id, with the columns the session rules look at. */
    UUID refreshToken(UUID userId, String sessionId, String status, OffsetDateTime createdAt, OffsetDateTime expiresAt)
            throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("session_id", sessionId);
        row.put("status", status);
        row.put("created_at", createdAt);
        row.put("expires_at", expiresAt);
        return refreshToken(userId, row);
    }

    UUID fileUpload(UUID userId, Map<String, ?> overrides) throws SQLException {
        int n = next();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", userId);
        row.put("filename", "stored-" + n + ".pdf");
        row.put("original_filename", "resume-" + n + ".pdf");
        row.put("mime_type", "application/pdf");
        row.put("file_size", 1024);
        row.put("file_hash", sha256Like(n));
        return insert("file_uploads", row, overrides);
    }

    UUID analysisRequest(UUID userId) throws SQLException {
        return analysisRequest(userId, Map.of());
    }

    UUID analysisRequest(UUID userId, Map<String, ?> overrides) throws SQLException {
        int n = next();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", userId);
        row.put("original_filename", "resume-" + n + ".pdf");
        row.put("file_path", "/uploads/resume-" + n + ".pdf");
        row.put("file_size_bytes", 2048);
        row.put("mime_type", "application/pdf");
        return insert("analysis_requests", row, overrides);
    }

    UUID analysisResult(UUID requestId) throws SQLException {
        return analysisResult(requestId, Map.of());
    }

    UUID analysisResult(UUID requestId, Map<String, ?> overrides) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("request_id", requestId);
        row.put("overall_score", 75);
        row.put("ai_model_used", "test-model");
        return insert("analysis_results", row, overrides);
    }

    UUID prompt(Map<String, ?> overrides) throws SQLException {
        int n = next();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", "test_prompt_" + n);
        row.put("template", "Review this resume: {resume_text}");
        row.put("prompt_type", "analysis");
        return insert("prompts", row, overrides);
    }

    UUID promptHistory(UUID promptId, UUID requestId) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("prompt_id", promptId);
        row.put("request_id", requestId);
        row.put("prompt_version", 1);
        row.put("prompt_content", "Review this resume: ...");
        return insert("prompt_history", row, Map.of());
    }

    /** Id of one of the reference prompts shipped in the snapshot. */
    UUID referencePrompt(String name) throws SQLException {
        return queryForObject("SELECT id FROM prompts WHERE name = ?", UUID.class, name);
    }

    // ---- statements and queries ---------------------------------------------------------------

    /** Runs one statement in its own transaction and returns the update count. */
    int execute(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, Arrays.asList(params));
            return ps.executeUpdate();
        }
    }

    /** First column of the single row {@code sql} returns (null if that value is NULL). */
    <T> T queryForObject(String sql, Class<T> type, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, Arrays.asList(params));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row for: " + sql);
                }
                T value = type == Object.class ? type.cast(rs.getObject(1)) : rs.getObject(1, type);
                if (rs.next()) {
                    throw new IllegalStateException("more than one row for: " + sql);
                }
                return value;
            }
        }
    }

    /** First column of every row, in the order the query returns them. */
    <T> List<T> queryForList(String sql, Class<T> type, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, Arrays.asList(params));
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, type));
                }
            }
            return out;
        }
    }

    /** Every column of the single row {@code sql} returns, keyed by column label. */
    Map<String, Object> queryForRow(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, Arrays.asList(params));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row for: " + sql);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                return row;
            }
        }
    }

    long count(String table) throws SQLException {
        return queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    /** Whether a row with this id exists in {@code table}. */
    boolean exists(String table, UUID id) throws SQLException {
        return queryForObject("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE id = ?)", Boolean.class, id);
    }

    /** The database clock, read in its own transaction. */
    OffsetDateTime databaseNow() throws SQLException {
        return queryForObject("SELECT now()", OffsetDateTime.class);
    }

    // ---- times relative to now (margins are hours or days, so JVM/database clock skew does not matter)

    static OffsetDateTime ago(Duration duration) {
        return OffsetDateTime.now(ZoneOffset.UTC).minus(duration);
    }

    static OffsetDateTime fromNow(Duration duration) {
        return OffsetDateTime.now(ZoneOffset.UTC).plus(duration);
    }

    // ---- internals ----------------------------------------------------------------------------

    private UUID insert(String table, Map<String, Object> defaults, Map<String, ?> overrides) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>(defaults);
        row.putAll(overrides);
        String columns = String.join(", ", row.keySet());
        String placeholders = String.join(", ", Collections.nCopies(row.size(), "?"));
        String sql = "INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ") RETURNING id";
        return queryForObject(sql, UUID.class, row.values().toArray());
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private int next() {
        return ++sequence;
    }

    /** 64 lowercase hex characters, unique per call, shaped like the SHA-256 hashes production stores. */
    private static String sha256Like(int n) {
        return String.format("%064x", n);
    }
}
