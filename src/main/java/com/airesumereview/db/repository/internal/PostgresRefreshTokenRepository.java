package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.REFRESH_TOKENS;
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
import com.airesumereview.db.internal.Binds;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.Pipeline;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;
import com.airesumereview.db.repository.RefreshTokenRepository;

/** The one implementation of {@link RefreshTokenRepository}: statements built once, run by the engine. */
public final class PostgresRefreshTokenRepository implements RefreshTokenRepository {
    private static final int RAW_MAX = 4096;
    /** The form of {@code str(uuid.uuid4())} in Python: what every production {@code session_id} holds. */
    private static final Pattern SESSION_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The select list {@link #TOKEN_ROW} reads (also used by the audit through {@link RowMappings}). */
    static final List<SelectField<?>> COLUMNS = List.of(REFRESH_TOKENS.ID, REFRESH_TOKENS.USER_ID,
            REFRESH_TOKENS.TOKEN_HASH, REFRESH_TOKENS.SESSION_ID, REFRESH_TOKENS.STATUS, REFRESH_TOKENS.DEVICE_INFO,
            REFRESH_TOKENS.IP_ADDRESS, REFRESH_TOKENS.EXPIRES_AT, REFRESH_TOKENS.CREATED_AT, REFRESH_TOKENS.LAST_USED_AT);
    static final RowReader<RefreshToken> TOKEN_ROW = RowReader.of(COLUMNS, r -> new RefreshToken(
            r.get(REFRESH_TOKENS.ID), r.get(REFRESH_TOKENS.USER_ID), r.get(REFRESH_TOKENS.TOKEN_HASH),
            r.get(REFRESH_TOKENS.SESSION_ID), r.get(REFRESH_TOKENS.STATUS), r.get(REFRESH_TOKENS.DEVICE_INFO),
            r.get(REFRESH_TOKENS.IP_ADDRESS), r.get(REFRESH_TOKENS.EXPIRES_AT), r.get(REFRESH_TOKENS.CREATED_AT),
            r.get(REFRESH_TOKENS.LAST_USED_AT)));

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
    /**
     * The user's rows that this transaction revoked: the session-limit trigger's revocation during the insert
     * among them ({@code xmin} is the transaction that wrote a row's current version).
     */
    private static final Statement<RefreshToken> REVOKED_HERE = Statement.read("refreshTokens.issue",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(REFRESH_TOKENS.STATUS.eq(REVOKED))
                    .and(DSL.condition("{0}.xmin = pg_current_xact_id()::xid", REFRESH_TOKENS)), TOKEN_ROW);
    /** Lock, insert, and see what the trigger revoked: three statements, one round trip, one transaction. */
    private static final Pipeline ISSUE = Pipeline.of("refreshTokens.issue", LOCK_ACTIVE, INSERT, REVOKED_HERE);
    private static final Statement<RefreshToken> FIND_ACTIVE = Statement.read("refreshTokens.findActive",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.TOKEN_HASH.eq(param("hash", String.class)))
                    .and(USABLE), TOKEN_ROW);
    private static final Statement<RefreshToken> FIND_BY_HASH = Statement.read("refreshTokens.findByRawToken",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.TOKEN_HASH.eq(param("hash", String.class))),
            TOKEN_ROW);
    private static final Statement<RefreshToken> FIND_BY_SESSION = Statement.read("refreshTokens.findBySessionId",
            select(COLUMNS).from(REFRESH_TOKENS).where(REFRESH_TOKENS.SESSION_ID.eq(param("session", String.class))),
            TOKEN_ROW);
    /** How a rotation ended: the row it rotated, or (nothing rotated) the presented row as it is now. */
    private record Rotation(boolean rotated, RefreshToken token) {
    }

    /**
     * A rotation in one statement. {@code presented} finds the row by the presented hash in the statement's
     * snapshot; {@code current} locks that row by id and so reads its latest committed version (a concurrent
     * rotation may have changed its hash meanwhile); {@code rotated} is the compare-and-set on it. The outer select
     * returns the rotated row, or the current one when nothing was rotated: the caller tells Expired, Revoked and
     * LostRace apart from it, with no second statement.
     */
    private static final Statement<Rotation> ROTATE;
    private static final Field<Boolean> ROTATED = DSL.field(DSL.name("rotated"), Boolean.class);

    static {
        Field<String> presentedHash = param("presentedHash", String.class);
        CommonTableExpression<?> presented = DSL.name("presented").as(
                select(REFRESH_TOKENS.ID).from(REFRESH_TOKENS).where(REFRESH_TOKENS.TOKEN_HASH.eq(presentedHash)));
        CommonTableExpression<?> current = DSL.name("current_row").as(
                select(COLUMNS).from(REFRESH_TOKENS)
                        .where(REFRESH_TOKENS.ID.in(select(presented.field(REFRESH_TOKENS.ID)).from(presented)))
                        .forUpdate());
        CommonTableExpression<?> rotated = DSL.name("rotated_row").as(
                update(REFRESH_TOKENS)
                        .set(REFRESH_TOKENS.TOKEN_HASH, param("newHash", String.class))
                        .set(REFRESH_TOKENS.LAST_USED_AT, NOW)
                        .set(REFRESH_TOKENS.EXPIRES_AT, EXPIRY)
                        .where(REFRESH_TOKENS.ID.in(select(current.field(REFRESH_TOKENS.ID)).from(current)))
                        .and(REFRESH_TOKENS.TOKEN_HASH.eq(param("presentedHash", String.class)))
                        .and(USABLE)
                        .returningResult(COLUMNS));
        List<SelectField<?>> fromRotated = new ArrayList<>();
        List<SelectField<?>> fromCurrent = new ArrayList<>();
        for (SelectField<?> c : COLUMNS) {
            fromRotated.add(rotated.field(c.getName()).as(c.getName()));
            fromCurrent.add(current.field(c.getName()).as(c.getName()));
        }
        fromRotated.add(inline(true).as(ROTATED.getName()));
        fromCurrent.add(inline(false).as(ROTATED.getName()));
        List<Field<?>> byName = new ArrayList<>();
        for (SelectField<?> c : COLUMNS) {
            byName.add(DSL.field(DSL.name(c.getName()), c.getDataType()));
        }
        byName.add(ROTATED);
        // The union's columns are named like the table's; the reader reads them through unqualified handles.
        ROTATE = Statement.write("refreshTokens.rotate",
                DSL.with(presented, current, rotated).select(fromRotated).from(rotated)
                        .unionAll(select(fromCurrent).from(current).whereNotExists(DSL.selectOne().from(rotated))),
                RowReader.of(byName, r -> new Rotation(Boolean.TRUE.equals(r.get(ROTATED)), TOKEN_ROW.read(r))));
    }

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
    private static final Field<Integer> N = DSL.count();
    private static final Statement<Integer> COUNT_ACTIVE = Statement.read("refreshTokens.countActiveSessions",
            select(N).from(REFRESH_TOKENS).where(REFRESH_TOKENS.USER_ID.eq(param("userId", UUID.class)))
                    .and(USABLE), RowReader.column(N));
    /** The routine returns void: its one row says only that it ran. */
    private static final Statement<Boolean> EXPIRE_OVERDUE = Statement.write("refreshTokens.markOverdueExpired",
            select(DSL.function(new com.airesumereview.db.generated.routines.ExpireRefreshTokens().getQualifiedName(),
                    Object.class)), RowReader.of(List.of(), r -> Boolean.TRUE));
    private static final Field<Integer> CLEANED = Routines.cleanupExpiredRefreshTokens().as("deleted");
    private static final Statement<Integer> CLEANUP_EXPIRED = Statement.write("refreshTokens.deleteStaleTokens",
            select(CLEANED), RowReader.column(CLEANED));

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

    /**
     * Statement budget: 1 round trip, three statements pipelined ({@link Pipeline}): lock the user's active rows,
     * insert, read the rows this transaction revoked. Outside a transaction they run in the server's implicit
     * transaction of that round trip; inside one, as part of it.
     * Not one statement: the session-limit trigger revokes the oldest session while the INSERT runs, and no part of
     * the inserting statement can see the trigger's change (a statement reads one snapshot), so which row it
     * displaced is only visible to a later statement; repeating the trigger's rule in SQL would drift from it. The
     * displaced row is the one both locked as active before the insert and revoked by this transaction after it.
     */
    @Override
    public IssuedToken issue(NewRefreshToken token) {
        return db.operation("refreshTokens.issue", () -> {
            Rules.required("refreshToken", token);
            Rules.required("refreshToken.userId", token.userId());
            String hash = hashOf(token.rawToken());
            String session = token.sessionId() == null ? UUID.randomUUID().toString() : sessionId(token.sessionId());
            String device = Rules.optionalText("refreshToken.deviceInfo", token.deviceInfo(), REFRESH_TOKENS.DEVICE_INFO);
            String ip = Rules.optionalText("refreshToken.ipAddress", token.ipAddress(), REFRESH_TOKENS.IP_ADDRESS);
            Pipeline.Results r = db.pipeline(ISSUE, Binds.of("userId", token.userId(), "hash", hash,
                    "session", session, "device", device, "ip", ip, "lifetime", sessionLifetime));
            // The oldest of the tokens that were active before and that this transaction revoked (the trigger's
            // work); a user has a handful of active tokens, so a scan of the short lists is all it takes.
            List<RefreshToken> activeBefore = r.list(LOCK_ACTIVE);
            RefreshToken displaced = null;
            for (RefreshToken revoked : r.list(REVOKED_HERE)) {
                if ((displaced == null || revoked.createdAt().isBefore(displaced.createdAt()))
                        && containsId(activeBefore, revoked.id())) {
                    displaced = revoked;
                }
            }
            return new IssuedToken(r.one(INSERT), Optional.ofNullable(displaced));
        });
    }

    private static boolean containsId(List<RefreshToken> tokens, UUID id) {
        for (RefreshToken t : tokens) {
            if (t.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<RefreshToken> findActive(String rawToken) {
        return db.operation("refreshTokens.findActive", () ->
                // On the primary: a token revoked by another instance must not look usable on a lagging replica.
                db.oneOnPrimary(FIND_ACTIVE, Binds.of("hash", hashOf(rawToken))));
    }

    @Override
    public Optional<RefreshToken> findByRawToken(String rawToken) {
        return db.operation("refreshTokens.findByRawToken", () -> db.one(FIND_BY_HASH, Binds.of("hash", hashOf(rawToken))));
    }

    @Override
    public Optional<RefreshToken> findBySessionId(String sessionId) {
        return db.operation("refreshTokens.findBySessionId", () -> {
            String session = Rules.text("refreshToken.sessionId", sessionId, REFRESH_TOKENS.SESSION_ID);
            return db.one(FIND_BY_SESSION, Binds.of("session", session));
        });
    }

    /** Statement budget: 1 (read, lock and compare-and-set in one statement, on the primary). */
    @Override
    public RotationResult rotate(String presentedRawToken, String newRawToken) {
        return db.operation("refreshTokens.rotate", () -> {
            String presentedHash = hashOf(presentedRawToken);
            String newHash = hash("refreshToken.newRawToken", newRawToken);
            if (newHash.equals(presentedHash)) {
                // Rotating to the same value would leave the presented token valid: not a rotation.
                throw new ValidationException("refreshToken.newRawToken", "must differ from the presented token", "***");
            }
            Optional<Rotation> outcome = db.one(ROTATE, Binds.of("presentedHash", presentedHash, "newHash", newHash,
                    "lifetime", sessionLifetime));
            if (outcome.isEmpty()) {
                return new RotationResult.UnknownToken();
            }
            RefreshToken token = outcome.get().token();
            if (outcome.get().rotated()) {
                return new RotationResult.Rotated(token);
            }
            if (!token.tokenHash().equals(presentedHash)) {
                return new RotationResult.LostRace(token);          // rotated by another caller meanwhile
            }
            return token.status() == RefreshTokenStatus.REVOKED ? new RotationResult.Revoked(token)
                    : new RotationResult.Expired(token);
        });
    }

    @Override
    public Optional<RefreshToken> logout(String rawToken) {
        return db.operation("refreshTokens.logout", () -> db.one(LOGOUT, Binds.of("hash", hashOf(rawToken))));
    }

    @Override
    public Optional<RefreshToken> revokeSession(UUID userId, String sessionId) {
        return db.operation("refreshTokens.revokeSession", () -> {
            Rules.required("refreshToken.userId", userId);
            String session = Rules.text("refreshToken.sessionId", sessionId, REFRESH_TOKENS.SESSION_ID);
            return db.one(REVOKE_SESSION, Binds.of("userId", userId, "session", session));
        });
    }

    @Override
    public List<RefreshToken> revokeAllExcept(UUID userId, String keepSessionId) {
        return db.operation("refreshTokens.revokeAllExcept", () -> {
            Rules.required("refreshToken.userId", userId);
            String keep = Rules.text("refreshToken.sessionId", keepSessionId, REFRESH_TOKENS.SESSION_ID);
            return db.list(REVOKE_ALL_EXCEPT, Binds.of("userId", userId, "keep", keep));
        });
    }

    @Override
    public List<RefreshToken> revokeAll(UUID userId) {
        return db.operation("refreshTokens.revokeAll", () -> {
            Rules.required("refreshToken.userId", userId);
            return db.list(REVOKE_ALL, Binds.of("userId", userId));
        });
    }

    @Override
    public List<RefreshToken> listActiveSessions(UUID userId) {
        return db.operation("refreshTokens.listActiveSessions", () -> {
            Rules.required("refreshToken.userId", userId);
            return db.list(LIST_ACTIVE, Binds.of("userId", userId));
        });
    }

    @Override
    public int countActiveSessions(UUID userId) {
        return db.operation("refreshTokens.countActiveSessions", () -> {
            Rules.required("refreshToken.userId", userId);
            return Math.toIntExact(db.count(COUNT_ACTIVE, Binds.of("userId", userId)));
        });
    }

    @Override
    public void markOverdueExpired() {
        db.operation("refreshTokens.markOverdueExpired", () -> db.one(EXPIRE_OVERDUE, Binds.none()));
    }

    @Override
    public int deleteStaleTokens() {
        return db.operation("refreshTokens.deleteStaleTokens",
                () -> db.one(CLEANUP_EXPIRED, Binds.none()).orElse(0));
    }

    private static String sessionId(String value) {
        Rules.text("refreshToken.sessionId", value, REFRESH_TOKENS.SESSION_ID);
        if (!SESSION_ID.matcher(value).matches()) {
            throw new ValidationException("refreshToken.sessionId",
                    "must be a lower-case UUID in text form (36 characters), as every production session id is",
                    Rules.show(value));
        }
        return value;
    }
}
