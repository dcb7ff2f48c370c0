package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.USERS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.deleteFrom;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.insertInto;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.update;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.domain.LoginAttempt;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;
import com.airesumereview.db.repository.UserRepository;

/** The one implementation of {@link UserRepository}: statements built once, run by the engine. */
public final class PostgresUserRepository implements UserRepository {
    private static final int EMAIL_MAX = 255;
    private static final int NAME_MAX = 100;
    private static final int SEARCH_MAX = 255;
    /** An administrator's reset dates the password this far back, so the next login must change it. */
    private static final Duration FORCE_CHANGE_AGE = Duration.ofDays(365);

    /** The select list; {@link #USER_ROW} reads it by position (also used by the audit through {@link RowMappings}). */
    static final List<SelectField<?>> COLUMNS = List.of(USERS.ID, USERS.EMAIL, USERS.PASSWORD_HASH,
            USERS.FIRST_NAME, USERS.LAST_NAME, USERS.ROLE, USERS.IS_ACTIVE, USERS.EMAIL_VERIFIED, USERS.CREATED_AT,
            USERS.UPDATED_AT, USERS.LAST_LOGIN_AT, USERS.PASSWORD_CHANGED_AT, USERS.FAILED_LOGIN_ATTEMPTS,
            USERS.LOCKED_UNTIL);
    static final RowReader<User> USER_ROW = r -> new User(r.uuid(1), r.string(2), r.string(3), r.string(4),
            r.string(5), r.vocabulary(6, UserRole::fromLiteral), r.bool(7), r.bool(8), r.instant(9), r.instant(10),
            r.instant(11), r.instant(12), r.integer(13), r.instant(14));

    private static final Field<Instant> NOW = currentInstant();
    private static final Condition LOCKED_NOW = USERS.LOCKED_UNTIL.gt(NOW);
    private static final Condition LOCK_RAN_OUT = USERS.LOCKED_UNTIL.le(NOW);
    private static final Field<UUID> ID = param("id", UUID.class);
    /** NULL written as text into the statement (setNull(...) would add a bind value). */
    private static final Field<Instant> NO_LOCK = DSL.castNull(USERS.LOCKED_UNTIL);

    private static final Statement<User> CREATE = Statement.write("users.create",
            insertInto(USERS, USERS.EMAIL, USERS.PASSWORD_HASH, USERS.FIRST_NAME, USERS.LAST_NAME, USERS.ROLE,
                    USERS.IS_ACTIVE, USERS.EMAIL_VERIFIED, USERS.FAILED_LOGIN_ATTEMPTS)
                    .values(param("email", String.class), param("hash", String.class), param("first", String.class),
                            param("last", String.class), param("role", USERS.ROLE), inline(true), inline(false),
                            inline(0))
                    .returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> FIND_BY_ID = Statement.read("users.findById",
            select(COLUMNS).from(USERS).where(USERS.ID.eq(ID)), USER_ROW);
    private static final Statement<User> FIND_BY_EMAIL = Statement.read("users.findByEmail",
            select(COLUMNS).from(USERS).where(USERS.EMAIL.eq(param("email", String.class))), USER_ROW);

    /** The users list's filter; binds: role (or null), active (or null), the LIKE pattern three times ('%' for none). */
    private static final Condition MATCHING = USERS.ROLE.eq(coalesce(param("role", USERS.ROLE), USERS.ROLE))
            .and(USERS.IS_ACTIVE.eq(coalesce(param("active", Boolean.class), USERS.IS_ACTIVE)))
            .and(USERS.EMAIL.likeIgnoreCase(param("pattern", String.class), '\\')
                    .or(USERS.FIRST_NAME.likeIgnoreCase(param("pattern", String.class), '\\'))
                    .or(USERS.LAST_NAME.likeIgnoreCase(param("pattern", String.class), '\\')));
    /** Binds: the filter's five, then the limit. */
    private static final Statement<User> LIST_FIRST = Statement.read("users.list",
            select(COLUMNS).from(USERS).where(MATCHING)
                    .orderBy(USERS.CREATED_AT.desc(), USERS.ID.desc()).limit(param("limit", Integer.class)), USER_ROW);
    /** Binds: the filter's five, the cursor's created_at and id, then the limit. */
    private static final Statement<User> LIST_AFTER = Statement.read("users.list",
            select(COLUMNS).from(USERS).where(MATCHING)
                    .and(DSL.row(USERS.CREATED_AT, USERS.ID).lt(param("afterAt", Instant.class),
                            param("afterId", UUID.class)))
                    .orderBy(USERS.CREATED_AT.desc(), USERS.ID.desc()).limit(param("limit", Integer.class)), USER_ROW);
    private static final Statement<Long> COUNT = Statement.read("users.list",
            selectCount().from(USERS).where(MATCHING), r -> r.longValue(1));

    private static final Statement<User> UPDATE_PROFILE = Statement.write("users.updateProfile",
            update(USERS).set(USERS.FIRST_NAME, param("first", String.class))
                    .set(USERS.LAST_NAME, param("last", String.class)).where(USERS.ID.eq(ID))
                    .returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> CHANGE_ROLE = Statement.write("users.changeRole",
            update(USERS).set(USERS.ROLE, param("role", USERS.ROLE)).where(USERS.ID.eq(ID))
                    .returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> SET_ACTIVE = Statement.write("users.setActive",
            update(USERS).set(USERS.IS_ACTIVE, param("active", Boolean.class)).where(USERS.ID.eq(ID))
                    .returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> SET_EMAIL_VERIFIED = Statement.write("users.setEmailVerified",
            update(USERS).set(USERS.EMAIL_VERIFIED, param("verified", Boolean.class)).where(USERS.ID.eq(ID))
                    .returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> CHANGE_EMAIL = Statement.write("users.changeEmail",
            update(USERS).set(USERS.EMAIL, param("email", String.class)).where(USERS.ID.eq(ID))
                    .returningResult(COLUMNS), USER_ROW);
    /** Binds: hash, the age of password_changed_at (zero for a change, a year for an admin's reset), id. */
    private static final Statement<User> SET_PASSWORD = Statement.write("users.setPassword",
            update(USERS).set(USERS.PASSWORD_HASH, param("hash", String.class))
                    .set(USERS.PASSWORD_CHANGED_AT, NOW.minus(param("age", DayToSecond.class)))
                    .set(USERS.FAILED_LOGIN_ATTEMPTS, inline(0))
                    .set(USERS.LOCKED_UNTIL, NO_LOCK)
                    .where(USERS.ID.eq(ID))
                    .returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> UNLOCK = Statement.write("users.unlock",
            update(USERS).set(USERS.FAILED_LOGIN_ATTEMPTS, inline(0)).set(USERS.LOCKED_UNTIL, NO_LOCK)
                    .where(USERS.ID.eq(ID)).returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> LOGIN_SUCCEEDED = Statement.write("users.recordSuccessfulLogin",
            update(USERS).set(USERS.LAST_LOGIN_AT, NOW).set(USERS.FAILED_LOGIN_ATTEMPTS, inline(0))
                    .set(USERS.LOCKED_UNTIL, NO_LOCK).where(USERS.ID.eq(ID)).returningResult(COLUMNS), USER_ROW);
    private static final Statement<User> CLEAR_RUN_OUT_LOCK = Statement.write("users.attemptLogin",
            update(USERS).set(USERS.FAILED_LOGIN_ATTEMPTS, inline(0)).set(USERS.LOCKED_UNTIL, NO_LOCK)
                    .where(USERS.EMAIL.eq(param("email", String.class))).and(USERS.IS_ACTIVE.isTrue()).and(LOCK_RAN_OUT)
                    .returningResult(COLUMNS), USER_ROW);
    /** A user and whether the database's clock says the user is locked right now. */
    private record LoginState(User user, boolean lockedNow) {
    }

    private static final Statement<LoginState> LOGIN_STATE = Statement.read("users.attemptLogin",
            select(COLUMNS).select(DSL.field(LOCKED_NOW)).from(USERS).where(USERS.EMAIL.eq(param("email", String.class))),
            r -> new LoginState(USER_ROW.read(r), Boolean.TRUE.equals(r.bool(15))));
    /**
     * One failed login (see {@link #recordFailedLogin}). Binds, in the order they appear: the threshold three
     * times (in the count's CASE, again in the lock's copy of it, then the comparison), the lock duration, id.
     */
    private static final Statement<LoginFailure> LOGIN_FAILED;
    private static final Statement<LoginFailure> LOCKED_FAILURE = Statement.read("users.recordFailedLogin",
            select(USERS.FAILED_LOGIN_ATTEMPTS, USERS.LOCKED_UNTIL, DSL.field(LOCKED_NOW)).from(USERS)
                    .where(USERS.ID.eq(ID)),
            r -> new LoginFailure(false, Objects.requireNonNullElse(r.integer(1), 0), r.instant(2),
                    Boolean.TRUE.equals(r.bool(3))));
    private static final Statement<Void> DELETE = Statement.write("users.delete", deleteFrom(USERS).where(USERS.ID.eq(ID)));

    static {
        Field<Integer> max = param("max", Integer.class);
        Field<Integer> counted = DSL.when(LOCK_RAN_OUT, inline(1))
                .otherwise(DSL.least(coalesce(USERS.FAILED_LOGIN_ATTEMPTS, inline(0)).plus(inline(1)), max));
        Field<Instant> lock = DSL.when(counted.ge(max), NOW.plus(param("lock", DayToSecond.class)))
                .otherwise(DSL.castNull(USERS.LOCKED_UNTIL));
        LOGIN_FAILED = Statement.write("users.recordFailedLogin",
                update(USERS).set(USERS.FAILED_LOGIN_ATTEMPTS, counted).set(USERS.LOCKED_UNTIL, lock)
                        .where(USERS.ID.eq(ID)).and(USERS.LOCKED_UNTIL.isNull().or(LOCK_RAN_OUT))
                        .returningResult(USERS.FAILED_LOGIN_ATTEMPTS, USERS.LOCKED_UNTIL, DSL.field(LOCKED_NOW)),
                r -> new LoginFailure(true, r.integer(1), r.instant(2), Boolean.TRUE.equals(r.bool(3))));
        if (LOGIN_FAILED.parameters() != 5) {
            throw new ExceptionInInitializerError("users.recordFailedLogin binds changed: " + LOGIN_FAILED.parameters());
        }
    }

    private final Database db;
    private final int maxFailedLogins;
    private final Duration lockDuration;

    /**
     * Called by {@code ResumeReviewDb}; the lock-out settings come from {@code ResumeReviewDbConfig}
     * (validated there).
     */
    public PostgresUserRepository(Database db, int maxFailedLogins, Duration lockDuration) {
        this.db = Objects.requireNonNull(db, "db");
        this.maxFailedLogins = maxFailedLogins;
        this.lockDuration = Objects.requireNonNull(lockDuration, "lockDuration");
    }

    @Override
    public User create(NewUser user) {
        Rules.required("user", user);
        String email = Rules.email("user.email", user.email(), EMAIL_MAX);
        String hash = Rules.bcryptHash("user.passwordHash", user.passwordHash());
        String first = Rules.nonBlank("user.firstName", user.firstName(), NAME_MAX).strip();
        String last = Rules.nonBlank("user.lastName", user.lastName(), NAME_MAX).strip();
        UserRole role = Rules.required("user.role", user.role());
        return db.one(CREATE, email, hash, first, last, role.literal()).orElseThrow();
    }

    @Override
    public Optional<User> findById(UUID id) {
        Rules.required("user.id", id);
        return db.one(FIND_BY_ID, id);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        Rules.text("user.email", email, EMAIL_MAX);
        return db.one(FIND_BY_EMAIL, normalizedEmail(email));
    }

    @Override
    public Page<User> list(UserFilter filter, PageCursor after, int limit) {
        Rules.required("filter", filter);
        Rules.pageSize("limit", limit);
        Optional<String> term = filter.searchTerm();
        String pattern = term.isEmpty() ? "%"
                : "%" + escapeLike(Rules.text("filter.search", term.get(), SEARCH_MAX)) + "%";
        Object[] matching = {filter.role() == null ? null : filter.role().literal(), filter.active(), pattern, pattern,
                pattern};
        return db.atomically(() -> {
            List<User> rows = after == null
                    ? db.list(LIST_FIRST, concat(matching, limit + 1))
                    : db.list(LIST_AFTER, concat(matching, after.createdAt(), after.id(), limit + 1));
            return Pages.of(rows, limit, u -> new PageCursor(u.createdAt(), u.id()),
                    OptionalLong.of(db.count(COUNT, matching)));
        });
    }

    @Override
    public User updateProfile(UUID id, String firstName, String lastName) {
        Rules.required("user.id", id);
        String first = Rules.nonBlank("user.firstName", firstName, NAME_MAX).strip();
        String last = Rules.nonBlank("user.lastName", lastName, NAME_MAX).strip();
        return changed(id, UPDATE_PROFILE, first, last, id);
    }

    @Override
    public User changeRole(UUID id, UserRole role) {
        Rules.required("user.id", id);
        Rules.required("user.role", role);
        return changed(id, CHANGE_ROLE, role.literal(), id);
    }

    @Override
    public User setActive(UUID id, boolean active) {
        Rules.required("user.id", id);
        return changed(id, SET_ACTIVE, active, id);
    }

    @Override
    public User setEmailVerified(UUID id, boolean verified) {
        Rules.required("user.id", id);
        return changed(id, SET_EMAIL_VERIFIED, verified, id);
    }

    @Override
    public User changeEmail(UUID id, String newEmail) {
        Rules.required("user.id", id);
        String email = Rules.email("user.email", newEmail, EMAIL_MAX);
        return changed(id, CHANGE_EMAIL, email, id);
    }

    @Override
    public User setPassword(UUID id, String passwordHash) {
        Rules.required("user.id", id);
        String hash = Rules.bcryptHash("user.passwordHash", passwordHash);
        return changed(id, SET_PASSWORD, hash, Duration.ZERO, id);
    }

    @Override
    public User resetPasswordForcingChange(UUID id, String temporaryPasswordHash) {
        Rules.required("user.id", id);
        String hash = Rules.bcryptHash("user.passwordHash", temporaryPasswordHash);
        return changed(id, SET_PASSWORD, hash, FORCE_CHANGE_AGE, id);
    }

    @Override
    public User unlock(UUID id) {
        Rules.required("user.id", id);
        return changed(id, UNLOCK, id);
    }

    @Override
    public LoginAttempt attemptLogin(String email) {
        Rules.text("user.email", email, EMAIL_MAX);
        String normalized = normalizedEmail(email);
        return db.atomically(() -> {
            Optional<User> cleared = db.one(CLEAR_RUN_OUT_LOCK, normalized);
            if (cleared.isPresent()) {
                return new LoginAttempt.CheckPassword(cleared.get());
            }
            Optional<LoginState> state = db.one(LOGIN_STATE, normalized);
            if (state.isEmpty()) {
                return new LoginAttempt.UnknownEmail();
            }
            User user = state.get().user();
            if (!user.active()) {
                return new LoginAttempt.Inactive(user);
            }
            return state.get().lockedNow() ? new LoginAttempt.Locked(user, user.lockedUntil())
                    : new LoginAttempt.CheckPassword(user);
        });
    }

    @Override
    public User recordSuccessfulLogin(UUID id) {
        Rules.required("user.id", id);
        return changed(id, LOGIN_SUCCEEDED, id);
    }

    @Override
    public LoginFailure recordFailedLogin(UUID id) {
        Rules.required("user.id", id);
        // The WHERE skips a locked row, so nothing is written; a second statement tells "locked" from "no user".
        Optional<LoginFailure> counted = db.one(LOGIN_FAILED, maxFailedLogins, maxFailedLogins, maxFailedLogins,
                lockDuration, id);
        if (counted.isPresent()) {
            return counted.get();
        }
        return db.oneOnPrimary(LOCKED_FAILURE, id).orElseThrow(() -> new NotFoundException("user", id.toString()));
    }

    @Override
    public boolean isLocked(UUID id, Instant instant) {
        Rules.required("user.id", id);
        Rules.required("instant", instant);
        // On the primary: a lock recorded by another instance must not look absent on a lagging replica.
        return db.oneOnPrimary(FIND_BY_ID, id).orElseThrow(() -> new NotFoundException("user", id.toString()))
                .isLockedAt(instant);
    }

    @Override
    public boolean delete(UUID id) {
        Rules.required("user.id", id);
        return db.execute(DELETE, id) == 1;
    }

    private User changed(UUID id, Statement<User> update, Object... binds) {
        return db.one(update, binds).orElseThrow(() -> new NotFoundException("user", id.toString()));
    }

    private static Object[] concat(Object[] first, Object... more) {
        Object[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static String normalizedEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** Escapes LIKE's wildcards and its escape character (backslash). */
    static String escapeLike(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
