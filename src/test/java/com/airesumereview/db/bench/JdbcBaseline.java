package com.airesumereview.db.bench;

import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
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
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    private static final String ANALYSIS_COLUMNS = columns("analysis_requests", "id", "user_id", "status",
            "original_filename", "file_path", "file_size_bytes", "mime_type", "target_role", "target_industry",
            "experience_level", "created_at", "updated_at", "completed_at");
    private static final String[] TOKEN_NAMES = {"id", "user_id", "token_hash", "session_id", "status",
            "device_info", "ip_address", "expires_at", "created_at", "last_used_at"};
    private static final String NOW = "cast(current_timestamp as timestamp with time zone)";

    // The statements exactly as the library sends them (SameSqlTest compares them with what it captures).
    static final String CREATE_USER = "insert into \"public\".\"users\" (\"email\", \"password_hash\", \"first_name\","
            + " \"last_name\", \"role\", \"is_active\", \"email_verified\", \"failed_login_attempts\")"
            + " values (?, ?, ?, ?, ?, true, false, 0) returning "
            + USER_COLUMNS;
    static final String FIND_USER_BY_EMAIL = "select "
            + USER_COLUMNS
            + " from \"public\".\"users\" where \"public\".\"users\".\"email\" = ?";
    static final String FIND_UPLOAD = "select "
            + UPLOAD_COLUMNS
            + " from \"public\".\"file_uploads\" where \"public\".\"file_uploads\".\"id\" = cast(? as"
            + " uuid)";
    static final String ADVANCE_UPLOAD = "update \"public\".\"file_uploads\" set \"status\" = ? where"
            + " (\"public\".\"file_uploads\".\"id\" = cast(? as uuid) and"
            + " \"public\".\"file_uploads\".\"status\" = ?) returning "
            + UPLOAD_COLUMNS;
    /** A failed login in one statement: lock the row, count unless locked, return the row either way. */
    static final String FAILED_LOGIN = "with \"current_row\" as (select \"public\".\"users\".\"id\"," 
            + " \"public\".\"users\".\"failed_login_attempts\", \"public\".\"users\".\"locked_until\" from" 
            + " \"public\".\"users\" where \"public\".\"users\".\"id\" = cast(? as uuid) for update)," 
            + " \"counted_row\" as (update \"public\".\"users\" set \"failed_login_attempts\" = case when" 
            + " \"public\".\"users\".\"locked_until\" <= " + NOW 
            + " then 1 else least((coalesce(\"public\".\"users\".\"failed_login_attempts\", 0) + 1), ?) end," 
            + " \"locked_until\" = case when case when \"public\".\"users\".\"locked_until\" <= " + NOW 
            + " then 1 else least((coalesce(\"public\".\"users\".\"failed_login_attempts\", 0) + 1), ?) end" 
            + " >= ? then (" + NOW 
            + " + cast(? as interval day to second)) else cast(null as timestamp(6) with time zone) end where" 
            + " (\"public\".\"users\".\"id\" in (select \"current_row\".\"id\" from \"current_row\") and" 
            + " (\"public\".\"users\".\"locked_until\" is null or \"public\".\"users\".\"locked_until\" <= " + NOW 
            + ")) returning \"public\".\"users\".\"failed_login_attempts\"," 
            + " \"public\".\"users\".\"locked_until\", (\"public\".\"users\".\"locked_until\" > " + NOW 
            + ") as \"locked_now\") (select \"counted_row\".\"failed_login_attempts\" as" 
            + " \"failed_login_attempts\", \"counted_row\".\"locked_until\" as \"locked_until\"," 
            + " \"counted_row\".\"locked_now\" as \"locked_now\", true as \"counted\" from \"counted_row\")" 
            + " union all (select \"current_row\".\"failed_login_attempts\"," 
            + " \"current_row\".\"locked_until\", (\"current_row\".\"locked_until\" > " + NOW 
            + "), false from \"current_row\" where not exists (select 1 as \"one\" from \"counted_row\"))";
    static final String LOCK_ACTIVE_TOKENS = "select "
            + TOKEN_COLUMNS
            + " from \"public\".\"refresh_tokens\" where (\"public\".\"refresh_tokens\".\"user_id\" ="
            + " cast(? as uuid) and \"public\".\"refresh_tokens\".\"status\" = 'active') for update";
    static final String INSERT_TOKEN = "insert into \"public\".\"refresh_tokens\" (\"user_id\", \"token_hash\", \"session_id\","
            + " \"status\", \"device_info\", \"ip_address\", \"expires_at\") values (cast(? as uuid), ?,"
            + " ?, 'active', ?, ?, ("
            + NOW
            + " + cast(? as interval day to second))) returning "
            + TOKEN_COLUMNS;
    static final String REVOKED_HERE_TOKENS = "select "
            + TOKEN_COLUMNS
            + " from \"public\".\"refresh_tokens\" where (\"public\".\"refresh_tokens\".\"user_id\" ="
            + " cast(? as uuid) and \"public\".\"refresh_tokens\".\"status\" = 'revoked' and"
            + " (\"public\".\"refresh_tokens\".xmin = pg_current_xact_id()::xid))";
    /** Issue: lock, insert, read what this transaction revoked; three statements in one round trip. */
    static final String ISSUE_TOKEN = LOCK_ACTIVE_TOKENS + "; " + INSERT_TOKEN + "; " + REVOKED_HERE_TOKENS;
    static final String FIND_TOKEN_BY_HASH = "select "
            + TOKEN_COLUMNS
            + " from \"public\".\"refresh_tokens\" where \"public\".\"refresh_tokens\".\"token_hash\" = ?";
    /** Rotation in one statement: find by hash, lock the row, compare-and-set, and return what happened. */
    static final String ROTATE_TOKEN = "with \"presented\" as (select \"public\".\"refresh_tokens\".\"id\" from"
            + " \"public\".\"refresh_tokens\" where \"public\".\"refresh_tokens\".\"token_hash\" = ?),"
            + " \"current_row\" as (select " + TOKEN_COLUMNS + " from \"public\".\"refresh_tokens\" where"
            + " \"public\".\"refresh_tokens\".\"id\" in (select \"presented\".\"id\" from \"presented\") for update),"
            + " \"rotated_row\" as (update \"public\".\"refresh_tokens\" set \"token_hash\" = ?, \"last_used_at\" = "
            + NOW
            + ", \"expires_at\" = ("
            + NOW
            + " + cast(? as interval day to second)) where (\"public\".\"refresh_tokens\".\"id\" in (select"
            + " \"current_row\".\"id\" from \"current_row\") and \"public\".\"refresh_tokens\".\"token_hash\" = ? and"
            + " \"public\".\"refresh_tokens\".\"status\" = 'active' and"
            + " \"public\".\"refresh_tokens\".\"expires_at\" > "
            + NOW
            + ") returning "
            + TOKEN_COLUMNS
            + ") (select " + aliased("rotated_row", TOKEN_NAMES) + ", true as \"rotated\" from \"rotated_row\")"
            + " union all (select " + aliased("current_row", TOKEN_NAMES) + ", false as \"rotated\" from"
            + " \"current_row\" where not exists (select 1 as \"one\" from \"rotated_row\"))";
    static final String USERS_COUNT = "select count(*) from \"public\".\"users\" where (\"public\".\"users\".\"role\" ="
            + " coalesce(?, \"public\".\"users\".\"role\") and \"public\".\"users\".\"is_active\" ="
            + " coalesce(?, \"public\".\"users\".\"is_active\") and (\"public\".\"users\".\"email\" ilike"
            + " ? escape '\\' or \"public\".\"users\".\"first_name\" ilike ? escape '\\' or"
            + " \"public\".\"users\".\"last_name\" ilike ? escape '\\'))";
    /** The page after a cursor, each row carrying the filter's total (a scalar subquery), as the library reads it. */
    static final String USERS_AFTER = "select "
            + USER_COLUMNS
            + ", (" + USERS_COUNT + ") as \"total\" from \"public\".\"users\" where (\"public\".\"users\".\"role\" = coalesce(?,"
            + " \"public\".\"users\".\"role\") and \"public\".\"users\".\"is_active\" = coalesce(?,"
            + " \"public\".\"users\".\"is_active\") and (\"public\".\"users\".\"email\" ilike ? escape"
            + " '\\' or \"public\".\"users\".\"first_name\" ilike ? escape '\\' or"
            + " \"public\".\"users\".\"last_name\" ilike ? escape '\\') and"
            + " \"public\".\"users\".\"created_at\" <= cast(? as timestamp(6) with time zone) and"
            + " (\"public\".\"users\".\"created_at\", \"public\".\"users\".\"id\") < (cast(? as timestamp(6)"
            + " with time zone), cast(? as uuid))) order by \"public\".\"users\".\"created_at\" desc,"
            + " \"public\".\"users\".\"id\" desc fetch next ? rows only";
    static final String UPLOADS_OF_USER_AFTER = "select "
            + UPLOAD_COLUMNS
            + ", (select count(*) from \"public\".\"file_uploads\" where"
            + " \"public\".\"file_uploads\".\"user_id\" = cast(? as uuid)) as \"total\" from"
            + " \"public\".\"file_uploads\" where (\"public\".\"file_uploads\".\"user_id\" = cast(? as"
            + " uuid) and \"public\".\"file_uploads\".\"created_at\" <= cast(? as timestamp(6) with time"
            + " zone) and (\"public\".\"file_uploads\".\"created_at\","
            + " \"public\".\"file_uploads\".\"id\") < (cast(? as timestamp(6) with time zone), cast(? as"
            + " uuid))) order by \"public\".\"file_uploads\".\"created_at\" desc,"
            + " \"public\".\"file_uploads\".\"id\" desc fetch next ? rows only";
    static final String UPLOADS_OF_USER_COUNT = "select count(*) from \"public\".\"file_uploads\" where"
            + " \"public\".\"file_uploads\".\"user_id\" = cast(? as uuid)";
    static final String ANALYSES_OF_USER_STATUS_AFTER = "select "
            + ANALYSIS_COLUMNS
            + ", (select count(*) from \"public\".\"analysis_requests\" where"
            + " (\"public\".\"analysis_requests\".\"user_id\" = cast(? as uuid) and"
            + " \"public\".\"analysis_requests\".\"status\" = ?)) as \"total\" from"
            + " \"public\".\"analysis_requests\" where (\"public\".\"analysis_requests\".\"user_id\" ="
            + " cast(? as uuid) and \"public\".\"analysis_requests\".\"status\" = ? and"
            + " \"public\".\"analysis_requests\".\"created_at\" <= cast(? as timestamp(6) with time zone) and"
            + " (\"public\".\"analysis_requests\".\"created_at\","
            + " \"public\".\"analysis_requests\".\"id\") < (cast(? as timestamp(6) with time zone),"
            + " cast(? as uuid))) order by \"public\".\"analysis_requests\".\"created_at\" desc,"
            + " \"public\".\"analysis_requests\".\"id\" desc fetch next ? rows only";
    static final String ANALYSES_OF_USER_STATUS_COUNT = "select count(*) from \"public\".\"analysis_requests\" where"
            + " (\"public\".\"analysis_requests\".\"user_id\" = cast(? as uuid) and"
            + " \"public\".\"analysis_requests\".\"status\" = ?)";
    /** Deep pages only: OFFSET paging is what the library's keyset paging is compared with, not its own SQL. */
    /** The queue's claim: what claimNextPending sends after its low-water probe (QueueClaimFork times both). */
    static final String CLAIM_PENDING = "update \"public\".\"analysis_requests\" set \"status\" = 'processing' where"
            + " \"public\".\"analysis_requests\".\"id\" = (select \"public\".\"analysis_requests\".\"id\" from"
            + " \"public\".\"analysis_requests\" where (\"public\".\"analysis_requests\".\"status\" = 'pending' and"
            + " \"public\".\"analysis_requests\".\"created_at\" >= cast(? as timestamp(6) with time zone)) order by"
            + " \"public\".\"analysis_requests\".\"created_at\" fetch next 1 rows only for update skip locked) returning "
            + ANALYSIS_COLUMNS;
    static final String OFFSET_PAGE = "select " + UPLOAD_COLUMNS + " from public.file_uploads where user_id ="
            + " cast(? as uuid) order by created_at desc, id desc limit ? offset ?";

    /** The library's default session lifetime (ResumeReviewDbConfig, the Python service's 7 days). */
    private static final Duration SESSION_LIFETIME = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource pool;

    JdbcBaseline(DataSource pool) {
        this.pool = pool;
    }

    User createUser(String email, String passwordHash, String firstName, String lastName, UserRole role) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(CREATE_USER)) {
            s.setString(1, email.trim().toLowerCase(Locale.ROOT));
            s.setString(2, passwordHash);
            s.setString(3, firstName.strip());
            s.setString(4, lastName.strip());
            s.setString(5, role.literal());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return user(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<User> findUserByEmail(String email) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(FIND_USER_BY_EMAIL)) {
            s.setString(1, email.trim().toLowerCase(Locale.ROOT));
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

    /**
     * A page of users after a cursor, each row carrying the filter's total (a scalar subquery in the same
     * statement, as the library reads them); past the end, where no row carries it, a count. The filter is the
     * role, the active flag and an escaped ILIKE pattern, each bound (null for "any"), first for the total and
     * then for the page.
     */
    Page<User> listUsers(UserFilter filter, PageCursor after, int limit) {
        String term = filter.search() == null ? "" : filter.search().trim();
        String pattern = term.isEmpty() ? "%" : "%" + escapeLike(term) + "%";
        try (Connection c = pool.getConnection()) {
            List<User> rows = new ArrayList<>(limit + 1);
            long total = -1;
            try (PreparedStatement s = c.prepareStatement(USERS_AFTER)) {
                int p = bindUserFilter(s, filter, pattern, 1);
                p = bindUserFilter(s, filter, pattern, p);
                OffsetDateTime at = after.createdAt().atOffset(ZoneOffset.UTC);
                s.setObject(p++, at);
                s.setObject(p++, at);
                s.setObject(p++, after.id());
                s.setInt(p, limit + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(user(rs));
                        total = rs.getLong(15);
                    }
                }
            }
            if (rows.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(USERS_COUNT)) {
                    bindUserFilter(s, filter, pattern, 1);
                    total = count(s);
                }
            }
            return page(rows, limit, total, last -> new PageCursor(last.createdAt(), last.id()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binds the users filter from parameter {@code p}; returns the next parameter's index. */
    private static int bindUserFilter(PreparedStatement s, UserFilter filter, String pattern, int p) throws SQLException {
        if (filter.role() == null) {
            s.setNull(p++, Types.OTHER);
        } else {
            s.setString(p++, filter.role().literal());
        }
        if (filter.active() == null) {
            s.setNull(p++, Types.OTHER);
        } else {
            s.setBoolean(p++, filter.active());
        }
        s.setString(p++, pattern);
        s.setString(p++, pattern);
        s.setString(p++, pattern);
        return p;
    }

    /** The first {@code limit} of {@code limit + 1} fetched rows, with the last kept row's cursor when there are more. */
    private static <T> Page<T> page(List<T> rows, int limit, long total, java.util.function.Function<T, PageCursor> cursor) {
        Optional<PageCursor> next = Optional.empty();
        if (rows.size() > limit) {
            rows.subList(limit, rows.size()).clear();
            next = Optional.of(cursor.apply(rows.get(limit - 1)));
        }
        return new Page<>(rows, next, total);
    }

    private static String escapeLike(String term) {
        StringBuilder b = new StringBuilder(term.length() + 8);
        for (int i = 0; i < term.length(); i++) {
            char ch = term.charAt(i);
            if (ch == '\\' || ch == '%' || ch == '_') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /**
     * A keyset page of a user's uploads after a cursor, each row carrying the user's total (a scalar subquery
     * in the same statement, as the library counts it); past the end, where no row carries it, a count.
     */
    Page<FileUpload> uploadsOfUser(UUID userId, PageCursor after, int limit) {
        try (Connection c = pool.getConnection()) {
            List<FileUpload> rows = new ArrayList<>(limit + 1);
            long total = -1;
            try (PreparedStatement s = c.prepareStatement(UPLOADS_OF_USER_AFTER)) {
                OffsetDateTime at = after.createdAt().atOffset(ZoneOffset.UTC);
                s.setObject(1, userId);
                s.setObject(2, userId);
                s.setObject(3, at);
                s.setObject(4, at);
                s.setObject(5, after.id());
                s.setInt(6, limit + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(upload(rs));
                        total = rs.getLong(25);
                    }
                }
            }
            if (rows.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(UPLOADS_OF_USER_COUNT)) {
                    s.setObject(1, userId);
                    total = count(s);
                }
            }
            return page(rows, limit, total, last -> new PageCursor(last.uploadStartedAt(), last.id()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same for a user's analysis requests with one status. */
    Page<AnalysisRequest> analysesOfUser(UUID userId, AnalysisStatus status, PageCursor after, int limit) {
        try (Connection c = pool.getConnection()) {
            List<AnalysisRequest> rows = new ArrayList<>(limit + 1);
            long total = -1;
            try (PreparedStatement s = c.prepareStatement(ANALYSES_OF_USER_STATUS_AFTER)) {
                s.setObject(1, userId);
                s.setString(2, status.literal());
                s.setObject(3, userId);
                s.setString(4, status.literal());
                s.setObject(5, after.createdAt().atOffset(ZoneOffset.UTC));
                s.setObject(6, after.createdAt().atOffset(ZoneOffset.UTC));
                s.setObject(7, after.id());
                s.setInt(8, limit + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(analysis(rs));
                        total = rs.getLong(14);
                    }
                }
            }
            if (rows.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(ANALYSES_OF_USER_STATUS_COUNT)) {
                    s.setObject(1, userId);
                    s.setString(2, status.literal());
                    total = count(s);
                }
            }
            return page(rows, limit, total, last -> new PageCursor(last.createdAt(), last.id()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Claims the oldest pending request at or after {@code lowWater} with the library's claim statement. The caller
     * keeps the mark (QueueClaimFork raises it to each claimed request's created_at, as the library does).
     */
    Optional<AnalysisRequest> claimPending(Instant lowWater) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(CLAIM_PENDING)) {
            s.setObject(1, lowWater.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(analysis(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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

    /**
     * A failed login in one statement (as the library sends it): the id, then the threshold three times, then the
     * lock's length; the row says whether the failure was counted.
     */
    LoginFailure recordFailedLogin(UUID userId, int maxAttempts, Duration lockDuration) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(FAILED_LOGIN)) {
            s.setObject(1, userId);
            s.setInt(2, maxAttempts);
            s.setInt(3, maxAttempts);
            s.setInt(4, maxAttempts);
            s.setObject(5, interval(lockDuration));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no user " + userId);
                }
                return new LoginFailure(rs.getBoolean(4), rs.getInt(1), instant(rs, 2), rs.getBoolean(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Issue in one round trip, as the library sends it: lock the user's active tokens, insert (a new random session
     * id, expiry now + the session lifetime), and read the user's rows this transaction revoked, joined by ';' in
     * one prepared statement (autocommit: the server's implicit transaction of the round trip). The displaced
     * session is the one both locked as active and revoked.
     */
    IssuedToken issueToken(UUID userId, String rawToken, String deviceInfo, String ipAddress) {
        String hash = sha256Hex(rawToken);
        String sessionId = UUID.randomUUID().toString();
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(ISSUE_TOKEN)) {
            s.setObject(1, userId);
            s.setObject(2, userId);
            s.setString(3, hash);
            s.setString(4, sessionId);
            s.setString(5, deviceInfo);
            s.setString(6, ipAddress);
            s.setObject(7, interval(SESSION_LIFETIME));
            s.setObject(8, userId);
            s.execute();
            java.util.Set<UUID> activeBefore = new java.util.HashSet<>();
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    activeBefore.add(token(rs).id());
                }
            }
            s.getMoreResults();
            RefreshToken inserted;
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                inserted = token(rs);
            }
            s.getMoreResults();
            RefreshToken displaced = null;
            try (ResultSet rs = s.getResultSet()) {
                while (rs.next()) {
                    RefreshToken now = token(rs);
                    if (activeBefore.contains(now.id())
                            && (displaced == null || now.createdAt().isBefore(displaced.createdAt()))) {
                        displaced = now;
                    }
                }
            }
            return new IssuedToken(inserted, java.util.Optional.ofNullable(displaced));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Rotation in place, in one statement (as the library sends it): find the presented token by hash, lock its
     * row, and a compare-and-set UPDATE (new hash, last used now, expiry now + lifetime) that only an active,
     * unexpired row with the presented hash passes; the row says whether it rotated, else the row as it is.
     */
    RotationResult rotateToken(String presentedRawToken, String newRawToken) {
        String presentedHash = sha256Hex(presentedRawToken);
        String newHash = sha256Hex(newRawToken);
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(ROTATE_TOKEN)) {
            s.setString(1, presentedHash);
            s.setString(2, newHash);
            s.setObject(3, interval(SESSION_LIFETIME));
            s.setString(4, presentedHash);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new RotationResult.UnknownToken();
                }
                RefreshToken token = token(rs);
                if (rs.getBoolean(11)) {
                    return new RotationResult.Rotated(token);
                }
                if (!token.tokenHash().equals(presentedHash)) {
                    return new RotationResult.LostRace(token);
                }
                return token.status() == RefreshTokenStatus.REVOKED ? new RotationResult.Revoked(token)
                        : new RotationResult.Expired(token);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Duration as the library binds it: an interval of seconds. */
    private static PGInterval interval(Duration d) {
        return new PGInterval(0, 0, 0, 0, 0, d.getSeconds() + d.getNano() / 1e9);
    }

    /** {@code "cte"."c" as "c"} for each column: a CTE's columns under the table's names. */
    private static String aliased(String cte, String... names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(b.length() == 0 ? "" : ", ").append('"').append(cte).append("\".\"").append(n)
                    .append("\" as \"").append(n).append('"');
        }
        return b.toString();
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

    private static AnalysisRequest analysis(ResultSet rs) throws SQLException {
        String level = rs.getString(10);
        return new AnalysisRequest(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                AnalysisStatus.fromLiteral(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getString(7), rs.getString(8), rs.getString(9),
                level == null ? null : AnalysisExperienceLevel.fromLiteral(level), instant(rs, 11), instant(rs, 12),
                instant(rs, 13));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
