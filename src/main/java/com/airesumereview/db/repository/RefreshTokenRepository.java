package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.REFRESH_TOKENS;

import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.update;

import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.generated.Routines;
import com.airesumereview.db.generated.vocabulary.RefreshTokenStatus;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * Sessions and their refresh tokens ({@code refresh_tokens}), with the Python service's meaning: a session
 * is <em>one row</em> for its whole life (one row per {@code session_id}); a refresh rotates that row in
 * place. Only the lowercase hex SHA-256 of a raw token is stored or compared; raw tokens and hashes never
 * appear in messages.
 *
 * <p>A token is usable only when {@code status = 'active'} <em>and</em> {@code expires_at > now()}: production
 * holds 'active' rows past their expiry (until {@code expire_refresh_tokens()} runs), and they are expired.
 * {@code expires_at} is always now + {@code sessionLifetime} at issue or rotation, taken once from
 * {@code ResumeReviewDbConfig} (default 7 days, the Python service's).
 *
 * <p>Production's trigger {@code trigger_limit_user_sessions} revokes a user's oldest active, unexpired
 * token when a fourth is inserted; {@link #issue} reports which one. This class never reactivates a row.
 *
 * <p>Indexes used: {@code refresh_tokens_token_hash_key} (lookups by token), {@code idx_refresh_tokens_session_id}
 * (a session by id), {@code idx_refresh_tokens_user_status} (a user's active tokens),
 * {@code idx_refresh_tokens_user_session}, {@code refresh_tokens_pkey}.
 */
public final class RefreshTokenRepository {
    private static final int RAW_MAX = 4096;
    private static final int SESSION_MAX = 255;
    private static final int IP_MAX = 45;
    /** The form of {@code str(uuid.uuid4())} in Python: what every production {@code session_id} holds. */
    private static final Pattern SESSION_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The select list; {@link #TOKEN_ROW} reads it by position (also used by the audit through {@link RowMappings}). */
    static final List<SelectField<?>> COLUMNS = List.of(REFRESH_TOKENS.ID, REFRESH_TOKENS.USER_ID,
            REFRESH_TOKENS.TOKEN_HASH, REFRESH_TOKENS.SESSION_ID, REFRESH_TOKENS.STATUS, REFRESH_TOKENS.DEVICE_INFO,
            REFRESH_TOKENS.IP_ADDRESS, REFRESH_TOKENS.EXPIRES_AT, REFRESH_TOKENS.CREATED_AT, REFRESH_TOKENS.LAST_USED_AT);
    static final RowReader<RefreshToken> TOKEN_ROW = r -> new RefreshToken(r.uuid(1), r.uuid(2), r.string(3),
            r.string(4), r.vocabulary(5, RefreshTokenStatus::fromLiteral), r.string(6), r.string(7), r.instant(8),
            r.instant(9), r.instant(10));

    private static final Field<OffsetDateTime> NOW = currentOffsetDateTime();
    private static final Field<RefreshTokenStatus> ACTIVE = inline(RefreshTokenStatus.ACTIVE, REFRESH_TOKENS.STATUS);
    private static final Field<RefreshTokenStatus> REVOKED = inline(RefreshTokenStatus.REVOKED, REFRESH_TOKENS.STATUS);
    /** Usable: active and unexpired, whatever {@code status} alone says. */
    private static final Condition USABLE = REFRESH_TOKENS.STATUS.eq(ACTIVE).and(REFRESH_TOKENS.EXPIRES_AT.gt(NOW));
    /** now + the session lifetime, bound as an interval. */
    private static final Field<OffsetDateTime> EXPIRY = NOW.plus(param("lifetime", DayToSecond.class));

    private static final Statement<RefreshToken> LOCK_ACTIVE = Statement.write("refreshTokens.issue",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(REFRESH_TOKENS.STATUS.eq(ACTIVE)).forUpdate(), TOKEN_ROW);
    private static final Statement<RefreshToken> INSERT = Statement.write("refreshTokens.issue",
            DSL.insertInto(REFRESH_TOKENS, REFRESH_TOKENS.USER_ID, REFRESH_TOKENS.TOKEN_HASH, REFRESH_TOKENS.SESSION_ID,
                            REFRESH_TOKENS.STATUS, REFRESH_TOKENS.DEVICE_INFO, REFRESH_TOKENS.IP_ADDRESS,
                            REFRESH_TOKENS.EXPIRES_AT)
                    .values(param("userId", UUID.class), param("hash", String.class), param("session", String.class),
                            ACTIVE, param("device", String.class), param("ip", String.class), EXPIRY)
                    .returningResult(COLUMNS), TOKEN_ROW);
    private static final Statement<RefreshToken> FIND_BY_ID = Statement.read("refreshTokens.findById",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.ID.eq(param("id", UUID.class))), TOKEN_ROW);
    private static final Statement<RefreshToken> FIND_ACTIVE = Statement.read("refreshTokens.findActive",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.TOKEN_HASH.eq(param("hash", String.class)))
                    .and(USABLE), TOKEN_ROW);
    private static final Statement<RefreshToken> FIND_BY_HASH = Statement.read("refreshTokens.findByRawToken",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.TOKEN_HASH.eq(param("hash", String.class))),
            TOKEN_ROW);
    private static final Statement<RefreshToken> FIND_BY_SESSION = Statement.read("refreshTokens.findBySessionId",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.SESSION_ID.eq(param("session", String.class))),
            TOKEN_ROW);
    /** Binds: new hash, lifetime, id, presented hash. */
    private static final Statement<RefreshToken> ROTATE = Statement.write("refreshTokens.rotate",
            update(REFRESH_TOKENS)
                    .set(REFRESH_TOKENS.TOKEN_HASH, param("newHash", String.class))
                    .set(REFRESH_TOKENS.LAST_USED_AT, NOW)
                    .set(REFRESH_TOKENS.EXPIRES_AT, EXPIRY)
                    .where(REFRESH_TOKENS.ID.eq(param("id", UUID.class)))
                    .and(REFRESH_TOKENS.TOKEN_HASH.eq(param("presentedHash", String.class)))
                    .and(USABLE)
                    .returningResult(COLUMNS), TOKEN_ROW);
    private static final Statement<RefreshToken> LOGOUT = Statement.write("refreshTokens.logout",
            update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, REVOKED)
                    .where(REFRESH_TOKENS.TOKEN_HASH.eq(param("hash", String.class)))
                    .and(REFRESH_TOKENS.STATUS.eq(ACTIVE))
                    .returningResult(COLUMNS), TOKEN_ROW);
    private static final Statement<RefreshToken> REVOKE_SESSION = Statement.write("refreshTokens.revokeSession",
            update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, REVOKED)
                    .where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(REFRESH_TOKENS.SESSION_ID.eq(param("session", String.class)))
                    .and(REFRESH_TOKENS.STATUS.eq(ACTIVE))
                    .returningResult(COLUMNS), TOKEN_ROW);
    private static final Statement<RefreshToken> REVOKE_ALL = Statement.write("refreshTokens.revokeAll",
            update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, REVOKED)
                    .where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(REFRESH_TOKENS.STATUS.eq(ACTIVE))
                    .returningResult(COLUMNS), TOKEN_ROW);
    private static final Statement<RefreshToken> REVOKE_ALL_EXCEPT = Statement.write("refreshTokens.revokeAllExcept",
            update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, REVOKED)
                    .where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(REFRESH_TOKENS.STATUS.eq(ACTIVE))
                    .and(REFRESH_TOKENS.SESSION_ID.ne(param("keep", String.class)))
                    .returningResult(COLUMNS), TOKEN_ROW);
    private static final Statement<RefreshToken> LIST_ACTIVE = Statement.read("refreshTokens.listActiveSessions",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(USABLE)
                    .orderBy(REFRESH_TOKENS.LAST_USED_AT.desc(), REFRESH_TOKENS.ID.desc()), TOKEN_ROW);
    private static final Statement<Long> COUNT_ACTIVE = Statement.read("refreshTokens.countActiveSessions",
            selectCount().from(REFRESH_TOKENS).where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(USABLE), r -> r.longValue(1));

    private final Database db;
    private final Duration sessionLifetime;

    /**
     * Called by {@code ResumeReviewDb}; {@code sessionLifetime} comes from {@code ResumeReviewDbConfig}
     * (validated there).
     */
    public RefreshTokenRepository(Database db, Duration sessionLifetime) {
        this.db = Objects.requireNonNull(db, "db");
        this.sessionLifetime = Objects.requireNonNull(sessionLifetime, "sessionLifetime");
    }

    /**
     * The lowercase hex SHA-256 of the UTF-8 bytes of {@code rawToken}: what {@code token_hash} holds.
     *
     * @throws ValidationException when the raw token is null, blank or longer than 4096 characters
     */
    public static String hashOf(String rawToken) {
        return hash("refreshToken.rawToken", rawToken);
    }

    private static String hash(String field, String rawToken) {
        Rules.secret(field, rawToken, RAW_MAX);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(rawToken.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Opens a session, as a login in the Python service does: one row with the token's hash, status active,
     * {@code expires_at = now + sessionLifetime}, the given or a new random UUID session id; reports the session
     * that the limit trigger revoked to make room, if any.
     *
     * <p>In one transaction: lock the user's active tokens ({@code SELECT ... FOR UPDATE}, so no concurrent
     * call changes them), insert (the trigger may revoke one of them), then read which of the locked tokens
     * turned revoked. The trigger stays the source of truth; this only observes it.
     *
     * @throws ValidationException                                when a field breaks its rule (nothing written)
     * @throws com.airesumereview.db.DuplicateException           constraint {@code refresh_tokens_token_hash_key}
     *                                                            when the raw token was issued before
     * @throws com.airesumereview.db.ConstraintViolationException foreign key {@code refresh_tokens_user_id_fkey}
     *                                                            when no user has {@code userId}
     */
    public IssuedToken issue(NewRefreshToken token) {
        Rules.required("refreshToken", token);
        Rules.required("refreshToken.userId", token.userId());
        String hash = hashOf(token.rawToken());
        String session = token.sessionId() == null ? UUID.randomUUID().toString() : sessionId(token.sessionId());
        String device = Rules.optionalText("refreshToken.deviceInfo", token.deviceInfo(), 0);
        String ip = Rules.optionalText("refreshToken.ipAddress", token.ipAddress(), IP_MAX);
        UUID userId = token.userId();
        return db.inTransaction(() -> {
            List<RefreshToken> activeBefore = db.list(LOCK_ACTIVE, userId);
            RefreshToken inserted = db.one(INSERT, userId, hash, session, device, ip, sessionLifetime).orElseThrow();
            // The trigger may have revoked one of the locked rows to make room: re-read them to see which.
            RefreshToken displaced = activeBefore.stream()
                    .map(t -> db.one(FIND_BY_ID, t.id()).orElse(null))
                    .filter(t -> t != null && t.status() == RefreshTokenStatus.REVOKED)
                    .min(Comparator.comparing(RefreshToken::createdAt))
                    .orElse(null);
            return new IssuedToken(inserted, displaced);
        });
    }

    /**
     * The token with this raw form if it is usable (active and unexpired, by the database's clock), else
     * empty. Served by {@code refresh_tokens_token_hash_key}.
     */
    public Optional<RefreshToken> findActive(String rawToken) {
        return db.one(FIND_ACTIVE, hashOf(rawToken));
    }

    /** The token with this raw form in any status, or empty. Served by {@code refresh_tokens_token_hash_key}. */
    public Optional<RefreshToken> findByRawToken(String rawToken) {
        return db.one(FIND_BY_HASH, hashOf(rawToken));
    }

    /**
     * The session with this id, in any status (production holds one row per session id). Served by
     * {@code idx_refresh_tokens_session_id}.
     *
     * @throws ValidationException when the id is null or longer than 255 characters
     */
    public Optional<RefreshToken> findBySessionId(String sessionId) {
        String session = Rules.text("refreshToken.sessionId", sessionId, SESSION_MAX);
        return db.one(FIND_BY_SESSION, session);
    }

    /**
     * Rotates a presented token <em>in place</em>, as the Python service does: the session's one row (same
     * {@code id}, same {@code session_id}) gets the new token's hash, {@code last_used_at = now} and
     * {@code expires_at = now + sessionLifetime}. The presented raw token then matches no row.
     *
     * <p>A read by hash, then a compare-and-set {@code UPDATE ... WHERE id = ? AND token_hash = <presented>
     * AND status = 'active' AND expires_at > now()}: of two concurrent rotations of one token exactly one
     * changes the row ({@link RotationResult.Rotated}); the other changes nothing and gets
     * {@link RotationResult.LostRace}. A token that was not usable when read gives {@link RotationResult.Expired},
     * {@link RotationResult.Revoked} or {@link RotationResult.UnknownToken}, nothing written. No reuse detection:
     * a replaced token matches no row, and the library stores no extra row to remember it (README says why).
     * Served by {@code refresh_tokens_token_hash_key} and {@code refresh_tokens_pkey}.
     *
     * @param presentedRawToken the token the client presented
     * @param newRawToken       the successor handed to the client
     * @throws ValidationException when an input breaks its rule (nothing written)
     */
    public RotationResult rotate(String presentedRawToken, String newRawToken) {
        String presentedHash = hashOf(presentedRawToken);
        String newHash = hash("refreshToken.newRawToken", newRawToken);
        // Read on the primary: a replica that lags would miss a fresh token or report a replaced one.
        Optional<RefreshToken> found = db.oneOnPrimary(FIND_BY_HASH, presentedHash);
        if (found.isEmpty()) {
            return new RotationResult.UnknownToken();
        }
        RefreshToken presented = found.get();
        if (presented.status() == RefreshTokenStatus.REVOKED) {
            return new RotationResult.Revoked(presented);
        }
        Optional<RefreshToken> rotated = db.one(ROTATE, newHash, sessionLifetime, presented.id(), presentedHash);
        if (rotated.isPresent()) {
            return new RotationResult.Rotated(rotated.get());
        }
        Optional<RefreshToken> now = db.oneOnPrimary(FIND_BY_ID, presented.id());
        if (now.isEmpty()) {
            return new RotationResult.UnknownToken();               // deleted meanwhile (cleanup, user deleted)
        }
        boolean changedMeanwhile = !now.get().tokenHash().equals(presentedHash)
                || now.get().status() != presented.status();
        return changedMeanwhile ? new RotationResult.LostRace(now.get()) : new RotationResult.Expired(presented);
    }

    /**
     * Logout: revokes the presented token's session if it is active. Served by {@code refresh_tokens_token_hash_key}.
     *
     * @return the session's row after revocation; empty when no active row holds this token
     */
    public Optional<RefreshToken> logout(String rawToken) {
        return db.one(LOGOUT, hashOf(rawToken));
    }

    /**
     * Revokes one of the user's sessions by id (e.g. from a "your devices" screen). Served by
     * {@code idx_refresh_tokens_user_session}.
     *
     * @return the session's row after revocation; empty when it was not active or is not the user's
     */
    public Optional<RefreshToken> revokeSession(UUID userId, String sessionId) {
        Rules.required("refreshToken.userId", userId);
        String session = Rules.text("refreshToken.sessionId", sessionId, SESSION_MAX);
        return db.one(REVOKE_SESSION, userId, session);
    }

    /**
     * Logs the user out everywhere except {@code keepSessionId} (after a password change, "sign out other
     * devices"): revokes every other active row. Served by {@code idx_refresh_tokens_user_status}.
     *
     * @return the rows revoked
     */
    public List<RefreshToken> revokeAllExcept(UUID userId, String keepSessionId) {
        Rules.required("refreshToken.userId", userId);
        String keep = Rules.text("refreshToken.sessionId", keepSessionId, SESSION_MAX);
        return db.list(REVOKE_ALL_EXCEPT, userId, keep);
    }

    /**
     * "Log out everywhere": revokes every active row of the user. Served by {@code idx_refresh_tokens_user_status}.
     *
     * @return the rows revoked
     */
    public List<RefreshToken> revokeAll(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return db.list(REVOKE_ALL, userId);
    }

    /**
     * The user's active sessions (usable: active and unexpired), most recently used first
     * ({@code last_used_at DESC}, then id). Served by {@code idx_refresh_tokens_user_status}; the trigger keeps
     * at most 3 such rows per user, sorted in memory.
     */
    public List<RefreshToken> listActiveSessions(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return db.list(LIST_ACTIVE, userId);
    }

    /** How many active sessions {@link #listActiveSessions} would list. Served by {@code idx_refresh_tokens_user_status}. */
    public int countActiveSessions(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return Math.toIntExact(db.count(COUNT_ACTIVE, userId));
    }

    /**
     * Marks every active token past its expiry as expired, through production's
     * {@code expire_refresh_tokens()} (which reports no count).
     */
    public void expireOverdue() {
        Routines.expireRefreshTokens(db.dsl().configuration());
    }

    /**
     * Deletes tokens expired for more than 30 days and revoked tokens created more than 7 days ago,
     * through production's {@code cleanup_expired_refresh_tokens()}.
     *
     * @return the number of tokens deleted
     */
    public int cleanupExpired() {
        Integer deleted = Routines.cleanupExpiredRefreshTokens(db.dsl().configuration());
        return deleted == null ? 0 : deleted;
    }

    private static String sessionId(String value) {
        Rules.text("refreshToken.sessionId", value, SESSION_MAX);
        if (!SESSION_ID.matcher(value).matches()) {
            throw new ValidationException("refreshToken.sessionId",
                    "must be a lower-case UUID in text form (36 characters), as every production session id is",
                    Rules.show(value));
        }
        return value;
    }
}
