package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.REFRESH_TOKENS;

import com.airesumereview.db.NotFoundException;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Refresh tokens and the sessions they carry ({@code refresh_tokens}). Only the lowercase hex SHA-256 of a
 * raw token is stored or compared; raw tokens and hashes never appear in messages.
 *
 * <p>Production's trigger {@code trigger_limit_user_sessions} revokes a user's oldest active, unexpired
 * token when a fourth is inserted; {@link #issue} reports which one. A token's status moves from active to
 * revoked (rotation, logout, reuse) or to expired ({@link #expireOverdue}); this class never reactivates one.
 *
 * <p>Indexes used: {@code refresh_tokens_token_hash_key} / {@code idx_refresh_tokens_token_hash}
 * (lookups by token), {@code idx_refresh_tokens_user_status} (a user's active tokens),
 * {@code idx_refresh_tokens_user_session} (one session), {@code refresh_tokens_pkey}.
 */
public final class RefreshTokenRepository {
    private static final int RAW_MAX = 4096;
    private static final int SESSION_MAX = 255;
    private static final int IP_MAX = 45;

    private static final Field<Instant> EXPIRES_AT = InstantColumns.of(REFRESH_TOKENS.EXPIRES_AT);
    private static final Field<Instant> CREATED_AT = InstantColumns.of(REFRESH_TOKENS.CREATED_AT);
    private static final Field<Instant> LAST_USED_AT = InstantColumns.of(REFRESH_TOKENS.LAST_USED_AT);
    /** Every column, timestamps read so that 'infinity' works (see {@link InstantColumns}). */
    static final List<Field<?>> COLUMNS = List.of(REFRESH_TOKENS.ID, REFRESH_TOKENS.USER_ID,
            REFRESH_TOKENS.TOKEN_HASH, REFRESH_TOKENS.SESSION_ID, REFRESH_TOKENS.STATUS, REFRESH_TOKENS.DEVICE_INFO,
            REFRESH_TOKENS.IP_ADDRESS, EXPIRES_AT, CREATED_AT, LAST_USED_AT);

    private final DSLContext dsl;

    /** Called by {@code ResumeReviewDb}; {@code dsl} must carry the library's configuration. */
    public RefreshTokenRepository(DSLContext dsl) {
        this.dsl = dsl;
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
     * Issues a token, storing only the hash of its raw form, and reports the session that the limit
     * trigger revoked to make room, if any.
     *
     * <p>In one transaction: lock the user's active tokens ({@code SELECT ... FOR UPDATE}, so no concurrent
     * call changes them), insert (the trigger may revoke one of them), then read which of the locked tokens
     * turned revoked. The trigger stays the source of truth; this only observes it.
     *
     * @throws ValidationException                            when a field breaks its rule (nothing written)
     * @throws com.airesumereview.db.DuplicateException       constraint {@code refresh_tokens_token_hash_key}
     *                                                        when the raw token was issued before
     * @throws com.airesumereview.db.ConstraintViolationException foreign key {@code refresh_tokens_user_id_fkey}
     *                                                        when no user has {@code userId}
     */
    public IssuedToken issue(NewRefreshToken token) {
        Rules.required("refreshToken", token);
        Rules.required("refreshToken.userId", token.userId());
        String hash = hashOf(token.rawToken());
        String session = Rules.nonBlank("refreshToken.sessionId", token.sessionId(), SESSION_MAX);
        String device = Rules.optionalText("refreshToken.deviceInfo", token.deviceInfo(), 0);
        String ip = Rules.optionalText("refreshToken.ipAddress", token.ipAddress(), IP_MAX);
        Instant expires = Rules.instant("refreshToken.expiresAt", token.expiresAt());
        if (!expires.isAfter(Instant.now())) {
            throw new ValidationException("refreshToken.expiresAt", "must be in the future", expires.toString());
        }
        return dsl.transactionResult(() -> insert(token.userId(), hash, session, device, ip, expires));
    }

    private IssuedToken insert(UUID userId, String hash, String session, String device, String ip, Instant expires) {
        List<UUID> activeBefore = dsl.select(REFRESH_TOKENS.ID).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.USER_ID.eq(userId)).and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                .forUpdate()
                .fetch(REFRESH_TOKENS.ID);
        Record inserted = dsl.insertInto(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.USER_ID, userId)
                .set(REFRESH_TOKENS.TOKEN_HASH, hash)
                .set(REFRESH_TOKENS.SESSION_ID, session)
                .set(REFRESH_TOKENS.STATUS, RefreshTokenStatus.ACTIVE)
                .set(REFRESH_TOKENS.DEVICE_INFO, device)
                .set(REFRESH_TOKENS.IP_ADDRESS, ip)
                .set(REFRESH_TOKENS.EXPIRES_AT, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC))
                .returningResult(COLUMNS)
                .fetchSingle();
        RefreshToken displaced = activeBefore.isEmpty() ? null
                : dsl.select(COLUMNS).from(REFRESH_TOKENS)
                        .where(REFRESH_TOKENS.ID.in(activeBefore))
                        .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.REVOKED))
                        .orderBy(REFRESH_TOKENS.CREATED_AT)
                        .limit(1)
                        .fetchOptional()
                        .map(RefreshTokenRepository::toToken)
                        .orElse(null);
        return new IssuedToken(toToken(inserted), displaced);
    }

    /**
     * The token with this raw form if it is active and unexpired (by the database's clock), else empty.
     * Served by {@code refresh_tokens_token_hash_key}.
     */
    public Optional<RefreshToken> findActive(String rawToken) {
        String hash = hashOf(rawToken);
        return dsl.select(COLUMNS).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.TOKEN_HASH.eq(hash))
                .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                .and(REFRESH_TOKENS.EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
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
     * Rotates a presented token: revokes it and issues its successor in the same session (same user,
     * session id and device info), in one transaction. Outcomes, none of them thrown:
     * <ul>
     * <li>{@link RotationResult.Rotated}: the presented token was active and unexpired.</li>
     * <li>{@link RotationResult.ReuseDetected}: it was already revoked, so it was replayed or stolen; every
     * active session of its user is revoked, and that revocation commits.</li>
     * <li>{@link RotationResult.LostRace}: a concurrent call revoked it between this call's read and its
     * compare-and-set ({@code UPDATE ... WHERE id = ? AND status = 'active'} changing 0 rows); nothing
     * written. Of two concurrent rotations of one token exactly one wins.</li>
     * <li>{@link RotationResult.Expired}: status expired, or active past {@code expires_at}; nothing written.</li>
     * <li>{@link RotationResult.UnknownToken}: no such token; nothing written.</li>
     * </ul>
     *
     * @param presentedRawToken the token the client presented
     * @param newRawToken       the successor handed to the client
     * @param newExpiresAt      the successor's expiry, in the future
     * @param ipAddress         the client's address now (at most 45 characters), or null
     * @throws ValidationException when an input breaks its rule (nothing written)
     */
    public RotationResult rotate(String presentedRawToken, String newRawToken, Instant newExpiresAt, String ipAddress) {
        String presentedHash = hashOf(presentedRawToken);
        String newHash = hash("refreshToken.newRawToken", newRawToken);
        Instant expires = Rules.instant("refreshToken.expiresAt", newExpiresAt);
        if (!expires.isAfter(Instant.now())) {
            throw new ValidationException("refreshToken.expiresAt", "must be in the future", expires.toString());
        }
        String ip = Rules.optionalText("refreshToken.ipAddress", ipAddress, IP_MAX);
        return dsl.transactionResult(() -> {
            Optional<Record> found = dsl.select(COLUMNS).from(REFRESH_TOKENS)
                    .where(REFRESH_TOKENS.TOKEN_HASH.eq(presentedHash)).fetchOptional();
            if (found.isEmpty()) {
                return new RotationResult.UnknownToken();
            }
            RefreshToken presented = toToken(found.get());
            if (presented.status() == RefreshTokenStatus.REVOKED) {
                return new RotationResult.ReuseDetected(presented.userId(), presented,
                        revokeActive(presented.userId(), null));
            }
            if (presented.status() == RefreshTokenStatus.EXPIRED) {
                return new RotationResult.Expired(presented);
            }
            int won = dsl.update(REFRESH_TOKENS)
                    .set(REFRESH_TOKENS.STATUS, RefreshTokenStatus.REVOKED)
                    .set(REFRESH_TOKENS.LAST_USED_AT, DSL.currentOffsetDateTime())
                    .where(REFRESH_TOKENS.ID.eq(presented.id()))
                    .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                    .and(REFRESH_TOKENS.EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
                    .execute();
            if (won == 0) {
                RefreshToken now = reload(presented.id());
                if (now.status() == RefreshTokenStatus.REVOKED) {
                    return new RotationResult.LostRace(now);
                }
                return new RotationResult.Expired(now);
            }
            RefreshToken previous = reload(presented.id());
            IssuedToken successor = insert(presented.userId(), newHash, presented.sessionId(), presented.deviceInfo(),
                    ip, expires);
            return new RotationResult.Rotated(previous, successor);
        });
    }

    /**
     * Sets {@code last_used_at} to now, e.g. when an access token is minted from this refresh token
     * without rotating it. Served by {@code refresh_tokens_pkey}.
     *
     * @throws NotFoundException when no token has this id
     */
    public RefreshToken touch(UUID tokenId) {
        Rules.required("refreshToken.id", tokenId);
        return dsl.update(REFRESH_TOKENS).set(REFRESH_TOKENS.LAST_USED_AT, DSL.currentOffsetDateTime())
                .where(REFRESH_TOKENS.ID.eq(tokenId))
                .returningResult(COLUMNS).fetchOptional().map(RefreshTokenRepository::toToken)
                .orElseThrow(() -> new NotFoundException("refreshToken", tokenId.toString()));
    }

    /**
     * Logs one session out: revokes the user's active tokens with this session id. Served by
     * {@code idx_refresh_tokens_user_session}.
     *
     * @return the tokens revoked (empty when the session had none active, or is not the user's)
     */
    public List<RefreshToken> revokeSession(UUID userId, String sessionId) {
        Rules.required("refreshToken.userId", userId);
        String session = Rules.text("refreshToken.sessionId", sessionId, SESSION_MAX);
        return dsl.update(REFRESH_TOKENS).set(REFRESH_TOKENS.STATUS, RefreshTokenStatus.REVOKED)
                .where(REFRESH_TOKENS.USER_ID.eq(userId))
                .and(REFRESH_TOKENS.SESSION_ID.eq(session))
                .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                .returningResult(COLUMNS).fetch(RefreshTokenRepository::toToken);
    }

    /**
     * Logs the user out everywhere except {@code keepSessionId} ("sign out other devices"). Served by
     * {@code idx_refresh_tokens_user_status}.
     *
     * @return the tokens revoked
     */
    public List<RefreshToken> revokeAllExcept(UUID userId, String keepSessionId) {
        Rules.required("refreshToken.userId", userId);
        String keep = Rules.text("refreshToken.sessionId", keepSessionId, SESSION_MAX);
        return revokeActive(userId, keep);
    }

    /**
     * Logs the user out everywhere: revokes every active token. Served by {@code idx_refresh_tokens_user_status}.
     *
     * @return the tokens revoked
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
     * The user's sessions: active, unexpired tokens, newest first (by {@code created_at}, then id).
     * Served by {@code idx_refresh_tokens_user_status}; the few rows are sorted in memory.
     */
    public List<RefreshToken> listSessions(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return dsl.select(COLUMNS).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.USER_ID.eq(userId))
                .and(REFRESH_TOKENS.STATUS.eq(RefreshTokenStatus.ACTIVE))
                .and(REFRESH_TOKENS.EXPIRES_AT.gt(DSL.currentOffsetDateTime()))
                .orderBy(REFRESH_TOKENS.CREATED_AT.desc(), REFRESH_TOKENS.ID.desc())
                .fetch(RefreshTokenRepository::toToken);
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

    private RefreshToken reload(UUID id) {
        return toToken(dsl.select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.ID.eq(id)).fetchSingle());
    }

    /** The one row -> RefreshToken function (also used by the audit through {@link RowMappings}). */
    static RefreshToken toToken(Record r) {
        return new RefreshToken(r.get(REFRESH_TOKENS.ID), r.get(REFRESH_TOKENS.USER_ID), r.get(REFRESH_TOKENS.TOKEN_HASH),
                r.get(REFRESH_TOKENS.SESSION_ID), r.get(REFRESH_TOKENS.STATUS), r.get(REFRESH_TOKENS.DEVICE_INFO),
                r.get(REFRESH_TOKENS.IP_ADDRESS), r.get(EXPIRES_AT), r.get(CREATED_AT), r.get(LAST_USED_AT));
    }
}
