package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.REFRESH_TOKENS;

import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.generated.Routines;
import com.airesumereview.db.generated.vocabulary.RefreshTokenStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
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

    private static final Field<Instant> EXPIRES_AT = InstantColumns.of(REFRESH_TOKENS.EXPIRES_AT);
    private static final Field<Instant> CREATED_AT = InstantColumns.of(REFRESH_TOKENS.CREATED_AT);
    private static final Field<Instant> LAST_USED_AT = InstantColumns.of(REFRESH_TOKENS.LAST_USED_AT);
    /** Every column, timestamps read so that 'infinity' works (see {@link InstantColumns}). */
    static final List<Field<?>> COLUMNS = List.of(REFRESH_TOKENS.ID, REFRESH_TOKENS.USER_ID,
            REFRESH_TOKENS.TOKEN_HASH, REFRESH_TOKENS.SESSION_ID, REFRESH_TOKENS.STATUS, REFRESH_TOKENS.DEVICE_INFO,
            REFRESH_TOKENS.IP_ADDRESS, EXPIRES_AT, CREATED_AT, LAST_USED_AT);
    private static final Field<OffsetDateTime> NOW = DSL.currentOffsetDateTime();
    /** Usable: active and unexpired, whatever {@code status} alone says. */
    private static final Condition USABLE = REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE)
            .and(REFRESH_TOKENS.EXPIRES_AT.gt(NOW));

    private final DSLContext dsl;
    private final DayToSecond sessionLifetime;

    /**
     * Called by {@code ResumeReviewDb}; {@code dsl} must carry the library's configuration,
     * {@code sessionLifetime} comes from {@code ResumeReviewDbConfig} (validated there).
     */
    public RefreshTokenRepository(DSLContext dsl, Duration sessionLifetime) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.sessionLifetime = DayToSecond.valueOf(Objects.requireNonNull(sessionLifetime, "sessionLifetime"));
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
        return dsl.transactionResult(tx -> {
            DSLContext in = tx.dsl();
            List<UUID> activeBefore = in.select(REFRESH_TOKENS.ID).from(REFRESH_TOKENS)
                    .where(REFRESH_TOKENS.USER_ID.eq(userId)).and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                    .forUpdate()
                    .fetch(REFRESH_TOKENS.ID);
            Record inserted = in.insertInto(REFRESH_TOKENS)
                    .set(REFRESH_TOKENS.USER_ID, userId)
                    .set(REFRESH_TOKENS.TOKEN_HASH, hash)
                    .set(REFRESH_TOKENS.SESSION_ID, session)
                    .set(REFRESH_TOKENS.STATUS, RefreshTokenStatus.ACTIVE)
                    .set(REFRESH_TOKENS.DEVICE_INFO, device)
                    .set(REFRESH_TOKENS.IP_ADDRESS, ip)
                    .set(REFRESH_TOKENS.EXPIRES_AT, NOW.plus(DSL.val(sessionLifetime)))
                    .returningResult(COLUMNS)
                    .fetchSingle();
            RefreshToken displaced = activeBefore.isEmpty() ? null
                    : in.select(COLUMNS).from(REFRESH_TOKENS)
                            .where(REFRESH_TOKENS.ID.in(activeBefore))
                            .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.REVOKED))
                            .orderBy(REFRESH_TOKENS.CREATED_AT)
                            .limit(1)
                            .fetchOptional()
                            .map(RefreshTokenRepository::toToken)
                            .orElse(null);
            return new IssuedToken(toToken(inserted), displaced);
        });
    }

    /**
     * The token with this raw form if it is usable (active and unexpired, by the database's clock), else
     * empty. Served by {@code refresh_tokens_token_hash_key}.
     */
    public Optional<RefreshToken> findActive(String rawToken) {
        String hash = hashOf(rawToken);
        return dsl.select(COLUMNS).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.TOKEN_HASH.eq(hash)).and(USABLE)
                .fetchOptional()
                .map(RefreshTokenRepository::toToken);
    }

    /** The token with this raw form in any status, or empty. Served by {@code refresh_tokens_token_hash_key}. */
    public Optional<RefreshToken> findByRawToken(String rawToken) {
        String hash = hashOf(rawToken);
        return dsl.select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.TOKEN_HASH.eq(hash)).fetchOptional()
                .map(RefreshTokenRepository::toToken);
    }

    /**
     * The session with this id, in any status (production holds one row per session id). Served by
     * {@code idx_refresh_tokens_session_id}.
     *
     * @throws ValidationException when the id is null or longer than 255 characters
     */
    public Optional<RefreshToken> findBySessionId(String sessionId) {
        String session = Rules.text("refreshToken.sessionId", sessionId, SESSION_MAX);
        return dsl.select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.SESSION_ID.eq(session))
                .fetchOptional().map(RefreshTokenRepository::toToken);
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
        Optional<RefreshToken> found = dsl.select(COLUMNS).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.TOKEN_HASH.eq(presentedHash)).fetchOptional().map(RefreshTokenRepository::toToken);
        if (found.isEmpty()) {
            return new RotationResult.UnknownToken();
        }
        RefreshToken presented = found.get();
        if (presented.status() == RefreshTokenStatus.REVOKED) {
            return new RotationResult.Revoked(presented);
        }
        Optional<RefreshToken> rotated = dsl.update(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.TOKEN_HASH, newHash)
                .set(REFRESH_TOKENS.LAST_USED_AT, NOW)
                .set(REFRESH_TOKENS.EXPIRES_AT, NOW.plus(DSL.val(sessionLifetime)))
                .where(REFRESH_TOKENS.ID.eq(presented.id()))
                .and(REFRESH_TOKENS.TOKEN_HASH.eq(presentedHash))
                .and(USABLE)
                .returningResult(COLUMNS)
                .fetchOptional()
                .map(RefreshTokenRepository::toToken);
        if (rotated.isPresent()) {
            return new RotationResult.Rotated(rotated.get());
        }
        Optional<RefreshToken> now = dsl.select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.ID.eq(presented.id()))
                .fetchOptional().map(RefreshTokenRepository::toToken);
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
        String hash = hashOf(rawToken);
        return dsl.update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, RefreshTokenStatus.REVOKED)
                .where(REFRESH_TOKENS.TOKEN_HASH.eq(hash)).and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                .returningResult(COLUMNS).fetchOptional().map(RefreshTokenRepository::toToken);
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
        return dsl.update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, RefreshTokenStatus.REVOKED)
                .where(REFRESH_TOKENS.USER_ID.eq(userId))
                .and(REFRESH_TOKENS.SESSION_ID.eq(session))
                .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                .returningResult(COLUMNS).fetchOptional().map(RefreshTokenRepository::toToken);
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
        return revokeActive(userId, keep);
    }

    /**
     * "Log out everywhere": revokes every active row of the user. Served by {@code idx_refresh_tokens_user_status}.
     *
     * @return the rows revoked
     */
    public List<RefreshToken> revokeAll(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return revokeActive(userId, null);
    }

    private List<RefreshToken> revokeActive(UUID userId, String keepSessionId) {
        return dsl.update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, RefreshTokenStatus.REVOKED)
                .where(REFRESH_TOKENS.USER_ID.eq(userId))
                .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                .and(keepSessionId == null ? DSL.noCondition() : REFRESH_TOKENS.SESSION_ID.ne(keepSessionId))
                .returningResult(COLUMNS).fetch(RefreshTokenRepository::toToken);
    }

    /**
     * The user's active sessions (usable: active and unexpired), most recently used first
     * ({@code last_used_at DESC}, then id). Served by {@code idx_refresh_tokens_user_status}; the trigger keeps
     * at most 3 such rows per user, sorted in memory.
     */
    public List<RefreshToken> listActiveSessions(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return dsl.select(COLUMNS).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.USER_ID.eq(userId)).and(USABLE)
                .orderBy(REFRESH_TOKENS.LAST_USED_AT.desc(), REFRESH_TOKENS.ID.desc())
                .fetch(RefreshTokenRepository::toToken);
    }

    /** How many active sessions {@link #listActiveSessions} would list. Served by {@code idx_refresh_tokens_user_status}. */
    public int countActiveSessions(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return dsl.selectCount().from(REFRESH_TOKENS).where(REFRESH_TOKENS.USER_ID.eq(userId)).and(USABLE)
                .fetchSingle().value1();
    }

    /**
     * Marks every active token past its expiry as expired, through production's
     * {@code expire_refresh_tokens()} (which reports no count).
     */
    public void expireOverdue() {
        Routines.expireRefreshTokens(dsl.configuration());
    }

    /**
     * Deletes tokens expired for more than 30 days and revoked tokens created more than 7 days ago,
     * through production's {@code cleanup_expired_refresh_tokens()}.
     *
     * @return the number of tokens deleted
     */
    public int cleanupExpired() {
        Integer deleted = Routines.cleanupExpiredRefreshTokens(dsl.configuration());
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

    /** The one row -> RefreshToken function (also used by the audit through {@link RowMappings}). */
    static RefreshToken toToken(Record r) {
        return new RefreshToken(r.get(REFRESH_TOKENS.ID), r.get(REFRESH_TOKENS.USER_ID), r.get(REFRESH_TOKENS.TOKEN_HASH),
                r.get(REFRESH_TOKENS.SESSION_ID), r.get(REFRESH_TOKENS.STATUS), r.get(REFRESH_TOKENS.DEVICE_INFO),
                r.get(REFRESH_TOKENS.IP_ADDRESS), r.get(EXPIRES_AT), r.get(CREATED_AT), r.get(LAST_USED_AT));
    }
}
