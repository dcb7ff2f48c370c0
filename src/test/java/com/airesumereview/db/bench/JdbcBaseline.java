package com.airesumereview.db.bench;

import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.RefreshTokenStatus;
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.util.PGInterval;

/**
 * The baseline: what a careful engineer writes by hand with JDBC for the same work. The SQL is the text the
 * library sends, character for character (SameSqlTest and every benchmark fork check it), each
 * call borrows a connection from the same pool, and rows are mapped into the same domain records, so the
 * difference to the library is the library's own overhead (validation, jOOQ rendering, binding, mapping).
 */
final class JdbcBaseline {
    private static final String USER_COLUMNS = columns("users", "id", "email", "password_hash", "first_name",
            "last_name", "role", "is_active", "email_verified", "created_at", "updated_at", "last_login_at",
            "password_changed_at", "failed_login_attempts", "locked_until");
    private static final String UPLOAD_COLUMNS = columns("file_uploads", "id", "user_id", "filename",
            "original_filename", "mime_type", "file_size", "file_hash", "status", "progress", "error_message",
            "target_role", "target_industry", "experience_level", "extracted_text", "word_count", "character_count",
            "extraction_method", "detected_sections", "processing_time", "validation_time", "extraction_time",
            "created_at", "updated_at", "completed_at");
    private static final String TOKEN_COLUMNS = columns("refresh_tokens", "id", "user_id", "token_hash",
            "session_id", "status", "device_info", "ip_address", "expires_at", "created_at", "last_used_at");
    private static final String NOW = "cast(current_timestamp as timestamp with time zone)";
    private static final String TIMESTAMPTZ = "cast(? as timestamp(6) with time zone)";

    // The statements exactly as the library sends them (SameSqlTest compares them with what it captures).
    static final String CREATE_USER = "insert into \"public\".\"users\" (\"email\", \"password_hash\", \"first_name\","
            + " \"last_name\", \"role\", \"is_active\", \"email_verified\", \"failed_login_attempts\") select ?, ?, ?, ?,"
            + " ?, ?, ?, ? where not exists (select 1 as \"one\" from \"public\".\"users\" where"
            + " lower(\"public\".\"users\".\"email\") = ?) returning " + USER_COLUMNS;
    static final String FIND_USER_BY_EMAIL = "select " + USER_COLUMNS + " from \"public\".\"users\" where"
            + " \"public\".\"users\".\"email\" in (?, ?) order by case when \"public\".\"users\".\"email\" = ? then ?"
            + " else ? end fetch next ? rows only";
    static final String FIND_UPLOAD = "select " + UPLOAD_COLUMNS + " from \"public\".\"file_uploads\" where"
            + " \"public\".\"file_uploads\".\"id\" = cast(? as uuid)";
    static final String ADVANCE_UPLOAD = "update \"public\".\"file_uploads\" set \"status\" = ? where"
            + " (\"public\".\"file_uploads\".\"id\" = cast(? as uuid) and \"public\".\"file_uploads\".\"status\" = ?)"
            + " returning " + UPLOAD_COLUMNS;
    static final String KEYSET_PAGE = "select " + UPLOAD_COLUMNS + " from \"public\".\"file_uploads\" where"
            + " (\"public\".\"file_uploads\".\"user_id\" = cast(? as uuid) and \"public\".\"file_uploads\".\"created_at\""
            + " <= " + TIMESTAMPTZ + " and (\"public\".\"file_uploads\".\"created_at\", \"public\".\"file_uploads\".\"id\")"
            + " < (" + TIMESTAMPTZ + ", cast(? as uuid))) order by \"public\".\"file_uploads\".\"created_at\" desc,"
            + " \"public\".\"file_uploads\".\"id\" desc fetch next ? rows only";
    static final String FAILED_LOGIN = "update \"public\".\"users\" set \"failed_login_attempts\" ="
            + " (coalesce(\"public\".\"users\".\"failed_login_attempts\", 0) + 1), \"locked_until\" = case when"
            + " ((coalesce(\"public\".\"users\".\"failed_login_attempts\", 0) + 1) >= ? and not"
            + " (\"public\".\"users\".\"locked_until\" is not null and \"public\".\"users\".\"locked_until\" > " + NOW
            + ")) then (" + NOW + " + cast(? as interval day to second)) else \"public\".\"users\".\"locked_until\" end"
            + " where \"public\".\"users\".\"id\" = cast(? as uuid) returning"
            + " \"public\".\"users\".\"failed_login_attempts\", \"public\".\"users\".\"locked_until\","
            + " (\"public\".\"users\".\"locked_until\" is not null and \"public\".\"users\".\"locked_until\" > " + NOW + ")";
    static final String LOCK_ACTIVE_TOKENS = "select \"public\".\"refresh_tokens\".\"id\" from"
            + " \"public\".\"refresh_tokens\" where (\"public\".\"refresh_tokens\".\"user_id\" = cast(? as uuid) and"
            + " \"public\".\"refresh_tokens\".\"status\" = ?) for update";
    static final String INSERT_TOKEN = "insert into \"public\".\"refresh_tokens\" (\"user_id\", \"token_hash\","
            + " \"session_id\", \"status\", \"device_info\", \"ip_address\", \"expires_at\") values (cast(? as uuid), ?,"
            + " ?, ?, ?, ?, " + TIMESTAMPTZ + ") returning " + TOKEN_COLUMNS;
    /** The displaced-session read for one locked token; the library renders one bind per locked token. */
    static final String DISPLACED_TOKEN_PREFIX = "select " + TOKEN_COLUMNS + " from \"public\".\"refresh_tokens\""
            + " where (\"public\".\"refresh_tokens\".\"id\" in (";
    static final String DISPLACED_TOKEN_SUFFIX = ") and \"public\".\"refresh_tokens\".\"status\" = ?) order by"
            + " \"public\".\"refresh_tokens\".\"created_at\" fetch next ? rows only";
    static final String FIND_TOKEN_BY_HASH = "select " + TOKEN_COLUMNS + " from \"public\".\"refresh_tokens\" where"
            + " \"public\".\"refresh_tokens\".\"token_hash\" = ?";
    static final String REVOKE_PRESENTED = "update \"public\".\"refresh_tokens\" set \"status\" = ?, \"last_used_at\" = "
            + NOW + " where (\"public\".\"refresh_tokens\".\"id\" = cast(? as uuid) and"
            + " \"public\".\"refresh_tokens\".\"status\" = ? and \"public\".\"refresh_tokens\".\"expires_at\" > " + NOW + ")";
    static final String FIND_TOKEN = "select " + TOKEN_COLUMNS + " from \"public\".\"refresh_tokens\" where"
            + " \"public\".\"refresh_tokens\".\"id\" = cast(? as uuid)";
    /** Deep pages only: OFFSET paging is what the library's keyset paging is compared with, not its own SQL. */
    static final String OFFSET_PAGE = "select " + UPLOAD_COLUMNS + " from public.file_uploads where user_id ="
            + " cast(? as uuid) order by created_at desc, id desc limit ? offset ?";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource pool;

    JdbcBaseline(DataSource pool) {
        this.pool = pool;
    }

    User createUser(String email, String passwordHash, String firstName, String lastName, UserRole role) {
        String lowered = email.trim().toLowerCase(Locale.ROOT);
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(CREATE_USER)) {
            s.setString(1, lowered);
            s.setString(2, passwordHash);
            s.setString(3, firstName);
            s.setString(4, lastName);
            s.setString(5, role.literal());
            s.setBoolean(6, true);
            s.setBoolean(7, false);
            s.setInt(8, 0);
            s.setString(9, lowered);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("duplicate email");
                }
                return user(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<User> findUserByEmail(String email) {
        String exact = email.trim();
        String lowered = exact.toLowerCase(Locale.ROOT);
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(FIND_USER_BY_EMAIL)) {
            s.setString(1, lowered);
            s.setString(2, exact);
            s.setString(3, lowered);
            s.setInt(4, 0);
            s.setInt(5, 1);
            s.setInt(6, 1);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<FileUpload> findUpload(UUID id) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(FIND_UPLOAD)) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(upload(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The compare-and-set; a hand-written version would also have to tell "moved" from "missing" on 0 rows. */
    FileUpload advanceUpload(UUID id, UploadStatus from, UploadStatus to) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(ADVANCE_UPLOAD)) {
            s.setString(1, to.literal());
            s.setObject(2, id);
            s.setString(3, from.literal());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("upload " + id + " is not " + from.literal());
                }
                return upload(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Page<FileUpload> keysetPage(UUID userId, PageCursor after, int limit) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(KEYSET_PAGE)) {
            OffsetDateTime at = after.createdAt().atOffset(ZoneOffset.UTC);
            s.setObject(1, userId);
            s.setObject(2, at);
            s.setObject(3, at);
            s.setObject(4, after.id());
            s.setInt(5, limit + 1);
            return page(s, limit);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<FileUpload> offsetPage(UUID userId, int offset, int limit) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(OFFSET_PAGE)) {
            s.setObject(1, userId);
            s.setInt(2, limit);
            s.setInt(3, offset);
            List<FileUpload> rows = new ArrayList<>(limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(upload(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Page<FileUpload> page(PreparedStatement s, int limit) throws SQLException {
        List<FileUpload> rows = new ArrayList<>(limit + 1);
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(upload(rs));
            }
        }
        Optional<PageCursor> next = Optional.empty();
        if (rows.size() > limit) {
            rows.subList(limit, rows.size()).clear();
            FileUpload last = rows.get(limit - 1);
            next = Optional.of(new PageCursor(last.uploadStartedAt(), last.id()));
        }
        return new Page<>(rows, next);
    }

    /** The outcome of a successful rotation: the presented token (now revoked) and its successor. */
    record Rotated(RefreshToken previous, IssuedToken issued) {
    }

    /** Lock failure counting in one UPDATE ... RETURNING, as the library does it. */
    LoginFailure recordFailedLogin(UUID userId, int maxAttempts, Duration lockDuration) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(FAILED_LOGIN)) {
            s.setInt(1, maxAttempts);
            s.setObject(2, interval(lockDuration));
            s.setObject(3, userId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no user " + userId);
                }
                return new LoginFailure(rs.getInt(1), instant(rs, 2), rs.getBoolean(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Issue in one transaction: lock the user's active tokens, insert, read the one the trigger displaced. */
    IssuedToken issueToken(UUID userId, String rawToken, String sessionId, String deviceInfo, String ipAddress,
                           Instant expiresAt) {
        String hash = sha256Hex(rawToken);
        try (Connection c = pool.getConnection()) {
            return inTransaction(c, () -> insertToken(c, userId, hash, sessionId, deviceInfo, ipAddress, expiresAt));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rotation in one transaction: find the presented token, revoke it if active, issue its successor. */
    Object rotateToken(String presentedRawToken, String newRawToken, Instant newExpiresAt, String ipAddress) {
        String presentedHash = sha256Hex(presentedRawToken);
        String newHash = sha256Hex(newRawToken);
        try (Connection c = pool.getConnection()) {
            return inTransaction(c, () -> {
                RefreshToken presented;
                try (PreparedStatement s = c.prepareStatement(FIND_TOKEN_BY_HASH)) {
                    s.setString(1, presentedHash);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            return "unknown token";
                        }
                        presented = token(rs);
                    }
                }
                if (presented.status() != RefreshTokenStatus.ACTIVE) {
                    return "not active: " + presented.status(); // reuse and expiry are not what is measured here
                }
                int won;
                try (PreparedStatement s = c.prepareStatement(REVOKE_PRESENTED)) {
                    s.setString(1, RefreshTokenStatus.REVOKED.literal());
                    s.setObject(2, presented.id());
                    s.setString(3, RefreshTokenStatus.ACTIVE.literal());
                    won = s.executeUpdate();
                }
                if (won == 0) {
                    return "lost the race";
                }
                RefreshToken previous;
                try (PreparedStatement s = c.prepareStatement(FIND_TOKEN)) {
                    s.setObject(1, presented.id());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        previous = token(rs);
                    }
                }
                return new Rotated(previous, insertToken(c, presented.userId(), newHash, presented.sessionId(),
                        presented.deviceInfo(), ipAddress, newExpiresAt));
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IssuedToken insertToken(Connection c, UUID userId, String hash, String sessionId, String deviceInfo,
                                           String ipAddress, Instant expiresAt) throws SQLException {
        List<UUID> activeBefore = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(LOCK_ACTIVE_TOKENS)) {
            s.setObject(1, userId);
            s.setString(2, RefreshTokenStatus.ACTIVE.literal());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    activeBefore.add(rs.getObject(1, UUID.class));
                }
            }
        }
        RefreshToken inserted;
        try (PreparedStatement s = c.prepareStatement(INSERT_TOKEN)) {
            s.setObject(1, userId);
            s.setString(2, hash);
            s.setString(3, sessionId);
            s.setString(4, RefreshTokenStatus.ACTIVE.literal());
            s.setString(5, deviceInfo);
            s.setString(6, ipAddress);
            s.setObject(7, expiresAt.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                inserted = token(rs);
            }
        }
        RefreshToken displaced = null;
        if (!activeBefore.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(displacedTokenSql(activeBefore.size()))) {
                int p = 1;
                for (UUID id : activeBefore) {
                    s.setObject(p++, id);
                }
                s.setString(p++, RefreshTokenStatus.REVOKED.literal());
                s.setInt(p, 1);
                try (ResultSet rs = s.executeQuery()) {
                    displaced = rs.next() ? token(rs) : null;
                }
            }
        }
        return new IssuedToken(inserted, displaced);
    }

    static String displacedTokenSql(int lockedTokens) {
        return DISPLACED_TOKEN_PREFIX + String.join(", ", Collections.nCopies(lockedTokens, "cast(? as uuid)"))
                + DISPLACED_TOKEN_SUFFIX;
    }

    /** Work that returns a value, in one transaction on {@code c}, as the library's transactions run. */
    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    static String sha256Hex(String raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PGInterval interval(Duration d) {
        long seconds = d.getSeconds();
        return new PGInterval(0, 0, (int) (seconds / 86_400), (int) (seconds % 86_400 / 3_600),
                (int) (seconds % 3_600 / 60), seconds % 60 + d.getNano() / 1e9);
    }

    private static String columns(String table, String... names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(b.length() == 0 ? "" : ", ").append("\"public\".\"").append(table).append("\".\"").append(n).append('"');
        }
        return b.toString();
    }

    private static RefreshToken token(ResultSet rs) throws SQLException {
        return new RefreshToken(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), RefreshTokenStatus.fromLiteral(rs.getString(5)), rs.getString(6), rs.getString(7),
                instant(rs, 8), instant(rs, 9), instant(rs, 10));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), UserRole.fromLiteral(rs.getString(6)), rs.getBoolean(7), rs.getBoolean(8),
                instant(rs, 9), instant(rs, 10), instant(rs, 11), instant(rs, 12), (Integer) rs.getObject(13),
                instant(rs, 14));
    }

    private static FileUpload upload(ResultSet rs) throws SQLException {
        Integer words = (Integer) rs.getObject(15);
        Integer chars = (Integer) rs.getObject(16);
        String method = rs.getString(17);
        String sections = rs.getString(18);
        ExtractionMetadata metadata;
        try {
            metadata = words == null && chars == null && method == null && sections == null ? ExtractionMetadata.EMPTY
                    : ExtractionMetadata.of(words, chars, method, sections == null ? null : JSON.readTree(sections));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String level = rs.getString(13);
        return new FileUpload(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7),
                UploadStatus.fromLiteral(rs.getString(8)), (Integer) rs.getObject(9), rs.getString(10),
                rs.getString(11), rs.getString(12), level == null ? null : UploadExperienceLevel.fromLiteral(level),
                rs.getString(14), metadata, (Integer) rs.getObject(19), (Integer) rs.getObject(20),
                (Integer) rs.getObject(21), instant(rs, 22), instant(rs, 23), instant(rs, 24));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
