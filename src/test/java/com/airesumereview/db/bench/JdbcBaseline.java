package com.airesumereview.db.bench;

import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The baseline: what a careful engineer writes by hand with JDBC for the same work. The SQL is the statement the
 * library sends (same clauses, same bind parameters, same casts; only identifier qualification differs), each
 * call borrows a connection from the same pool, and rows are mapped into the same domain records, so the
 * difference to the library is the library's own overhead (validation, jOOQ rendering, binding, mapping).
 */
final class JdbcBaseline {
    private static final String USER_COLUMNS = "id, email, password_hash, first_name, last_name, role, is_active,"
            + " email_verified, created_at, updated_at, last_login_at, password_changed_at, failed_login_attempts,"
            + " locked_until";
    private static final String UPLOAD_COLUMNS = "id, user_id, filename, original_filename, mime_type, file_size,"
            + " file_hash, status, progress, error_message, target_role, target_industry, experience_level,"
            + " extracted_text, word_count, character_count, extraction_method, detected_sections, processing_time,"
            + " validation_time, extraction_time, created_at, updated_at, completed_at";

    static final String CREATE_USER = "insert into public.users (email, password_hash, first_name, last_name, role,"
            + " is_active, email_verified, failed_login_attempts) select ?, ?, ?, ?, ?, ?, ?, ? where not exists"
            + " (select 1 as one from public.users where lower(public.users.email) = ?) returning " + USER_COLUMNS;
    static final String FIND_USER_BY_EMAIL = "select " + USER_COLUMNS + " from public.users where email in (?, ?)"
            + " order by case when email = ? then ? else ? end fetch next ? rows only";
    static final String FIND_UPLOAD = "select " + UPLOAD_COLUMNS + " from public.file_uploads where id = cast(? as uuid)";
    static final String ADVANCE_UPLOAD = "update public.file_uploads set status = ? where (id = cast(? as uuid)"
            + " and status = ?) returning " + UPLOAD_COLUMNS;
    static final String KEYSET_PAGE = "select " + UPLOAD_COLUMNS + " from public.file_uploads where (user_id ="
            + " cast(? as uuid) and created_at <= cast(? as timestamp(6) with time zone) and (created_at, id) <"
            + " (cast(? as timestamp(6) with time zone), cast(? as uuid))) order by created_at desc, id desc"
            + " fetch next ? rows only";
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
