package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.REFRESH_TOKENS;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.currentInstant;
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
import java.time.Instant;
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
import com.airesumereview.db.repository.RefreshTokenRepository;

/** The one implementation of {@link RefreshTokenRepository}: statements built once, run by the engine. */
public final class PostgresRefreshTokenRepository implements RefreshTokenRepository {
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

    private static final Field<Instant> NOW = currentInstant();
    private static final Field<RefreshTokenStatus> ACTIVE = inline(RefreshTokenStatus.ACTIVE, REFRESH_TOKENS.STATUS);
    private static final Field<RefreshTokenStatus> REVOKED = inline(RefreshTokenStatus.REVOKED, REFRESH_TOKENS.STATUS);
    /** Usable: active and unexpired, whatever {@code status} alone says. */
    private static final Condition USABLE = REFRESH_TOKENS.STATUS.eq(ACTIVE).and(REFRESH_TOKENS.EXPIRES_AT.gt(NOW));
    /** now + the session lifetime, bound as an interval. */
    private static final Field<Instant> EXPIRY = NOW.plus(param("lifetime", DayToSecond.class));

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
    public PostgresRefreshTokenRepository(Database db, Duration sessionLifetime) {
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

    @Override
    public IssuedToken issue(NewRefreshToken token) {
        Rules.required("refreshToken", token);
        Rules.required("refreshToken.userId", token.userId());
        String hash = hashOf(token.rawToken());
        String session = token.sessionId() == null ? UUID.randomUUID().toString() : sessionId(token.sessionId());
        String device = Rules.optionalText("refreshToken.deviceInfo", token.deviceInfo(), 0);
        String ip = Rules.optionalText("refreshToken.ipAddress", token.ipAddress(), IP_MAX);
        UUID userId = token.userId();
        return db.atomically(() -> {
            List<RefreshToken> activeBefore = db.list(LOCK_ACTIVE, userId);
            RefreshToken inserted = db.one(INSERT, userId, hash, session, device, ip, sessionLifetime).orElseThrow();
            // The trigger may have revoked one of the locked rows to make room: re-read them to see which.
            RefreshToken displaced = activeBefore.stream()
                    .map(t -> db.one(FIND_BY_ID, t.id()).orElse(null))
                    .filter(t -> t != null && t.status() == RefreshTokenStatus.REVOKED)
                    .min(Comparator.comparing(RefreshToken::createdAt))
                    .orElse(null);
            return new IssuedToken(inserted, Optional.ofNullable(displaced));
        });
    }

    @Override
    public Optional<RefreshToken> findActive(String rawToken) {
        // On the primary: a token revoked by another instance must not look usable on a lagging replica.
        return db.oneOnPrimary(FIND_ACTIVE, hashOf(rawToken));
    }

    @Override
    public Optional<RefreshToken> findByRawToken(String rawToken) {
        return db.one(FIND_BY_HASH, hashOf(rawToken));
    }

    @Override
    public Optional<RefreshToken> findBySessionId(String sessionId) {
        String session = Rules.text("refreshToken.sessionId", sessionId, SESSION_MAX);
        return db.one(FIND_BY_SESSION, session);
    }

    @Override
    public RotationResult rotate(String presentedRawToken, String newRawToken) {
        String presentedHash = hashOf(presentedRawToken);
        String newHash = hash("refreshToken.newRawToken", newRawToken);
        if (newHash.equals(presentedHash)) {
            // Rotating to the same value would leave the presented token valid: not a rotation.
            throw new ValidationException("refreshToken.newRawToken", "must differ from the presented token", "***");
        }
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

    @Override
    public Optional<RefreshToken> logout(String rawToken) {
        return db.one(LOGOUT, hashOf(rawToken));
    }

    @Override
    public Optional<RefreshToken> revokeSession(UUID userId, String sessionId) {
        Rules.required("refreshToken.userId", userId);
        String session = Rules.text("refreshToken.sessionId", sessionId, SESSION_MAX);
        return db.one(REVOKE_SESSION, userId, session);
    }

    @Override
    public List<RefreshToken> revokeAllExcept(UUID userId, String keepSessionId) {
        Rules.required("refreshToken.userId", userId);
        String keep = Rules.text("refreshToken.sessionId", keepSessionId, SESSION_MAX);
        return db.list(REVOKE_ALL_EXCEPT, userId, keep);
    }

    @Override
    public List<RefreshToken> revokeAll(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return db.list(REVOKE_ALL, userId);
    }

    @Override
    public List<RefreshToken> listActiveSessions(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return db.list(LIST_ACTIVE, userId);
    }

    @Override
    public int countActiveSessions(UUID userId) {
        Rules.required("refreshToken.userId", userId);
        return Math.toIntExact(db.count(COUNT_ACTIVE, userId));
    }

    @Override
    public void markOverdueExpired() {
        Routines.expireRefreshTokens(db.dsl().configuration());
    }

    @Override
    public int deleteStaleTokens() {
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
