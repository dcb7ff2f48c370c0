package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.USERS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.deleteFrom;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.insertInto;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.with;
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
import com.airesumereview.db.internal.Binds;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import com.airesumereview.db.repository.internal.Pages.Counted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;
import com.airesumereview.db.repository.UserRepository;

/** The one implementation of {@link UserRepository}: statements built once, run by the engine. */
public final class PostgresUserRepository implements UserRepository {
    /** An administrator's reset dates the password this far back, so the next login must change it. */
    private static final Duration FORCE_CHANGE_AGE = Duration.ofDays(365);

    /** The select list {@link #USER_ROW} reads (also used by the audit through {@link RowMappings}). */
    static final List<SelectField<?>> COLUMNS = List.of(USERS.ID, USERS.EMAIL, USERS.PASSWORD_HASH,
            USERS.FIRST_NAME, USERS.LAST_NAME, USERS.ROLE, USERS.IS_ACTIVE, USERS.EMAIL_VERIFIED, USERS.CREATED_AT,
            USERS.UPDATED_AT, USERS.LAST_LOGIN_AT, USERS.PASSWORD_CHANGED_AT, USERS.FAILED_LOGIN_ATTEMPTS,
            USERS.LOCKED_UNTIL);
    static final RowReader<User> USER_ROW = RowReader.of(COLUMNS, r -> new User(r.get(USERS.ID), r.get(USERS.EMAIL),
            r.get(USERS.PASSWORD_HASH), r.get(USERS.FIRST_NAME), r.get(USERS.LAST_NAME), r.get(USERS.ROLE),
            r.get(USERS.IS_ACTIVE), r.get(USERS.EMAIL_VERIFIED), r.get(USERS.CREATED_AT), r.get(USERS.UPDATED_AT),
            r.get(USERS.LAST_LOGIN_AT), r.get(USERS.PASSWORD_CHANGED_AT), r.get(USERS.FAILED_LOGIN_ATTEMPTS),
            r.get(USERS.LOCKED_UNTIL)));

    private static final Field<Instant> NOW = currentInstant();
    private static final Condition LOCKED_NOW = USERS.LOCKED_UNTIL.gt(NOW);
    private static final Condition LOCK_RAN_OUT = USERS.LOCKED_UNTIL.le(NOW);
    /** Whether the database's clock says the user is locked right now, as a column. */
    private static final Field<Boolean> LOCKED_NOW_COLUMN = DSL.field(LOCKED_NOW).as("locked_now");
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

    /** The users list's filter: role (or null), active (or null), the LIKE pattern ('%' for none). */
    private static final Condition MATCHING = USERS.ROLE.eq(coalesce(param("role", USERS.ROLE), USERS.ROLE))
            .and(USERS.IS_ACTIVE.eq(coalesce(param("active", Boolean.class), USERS.IS_ACTIVE)))
            .and(USERS.EMAIL.likeIgnoreCase(param("pattern", String.class), '\\')
                    .or(USERS.FIRST_NAME.likeIgnoreCase(param("pattern", String.class), '\\'))
                    .or(USERS.LAST_NAME.likeIgnoreCase(param("pattern", String.class), '\\')));
    /** A list row's total, counted in the same statement. */
    private static final Field<Integer> TOTAL = DSL.field(DSL.name("total"), Integer.class);
    private static final Statement<Counted<User>> LIST_FIRST = list(false);
    private static final Statement<Counted<User>> LIST_AFTER = list(true);
    private static final Field<Integer> N = DSL.count();
    /** The total alone, for a cursor past the last row (no row carries it). */
    private static final Statement<Integer> COUNT = Statement.read("users.list",
            select(N).from(USERS).where(MATCHING), RowReader.column(N));

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
    /** "age" dates password_changed_at back: zero for a change, a year for an admin's reset. */
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

    /** A user and whether the database's clock says the user is locked right now. */
    private record LoginState(User user, boolean lockedNow) {
    }

    /**
     * A login attempt in one statement: the data-modifying CTE clears a lock that ran out (an active user's only;
     * the updated_at trigger stamps the row) and returns the row as cleared; the outer select returns the row as it
     * was when it was not cleared, with whether it is locked now. At most one row either way.
     */
    private static final Statement<LoginState> ATTEMPT_LOGIN;
    /**
     * One failed login (see {@link #recordFailedLogin}), parameters {@code max}, {@code lock}, {@code id}: the
     * WHERE skips a locked row, so nothing is written; the second branch then reads the locked row as it is.
     */
    private static final Statement<LoginFailure> LOGIN_FAILED;
    private static final Statement<Void> DELETE = Statement.write("users.delete", deleteFrom(USERS).where(USERS.ID.eq(ID)));

    static {
        Field<String> email = param("email", String.class);
        CommonTableExpression<?> cleared = name("cleared").as(
                update(USERS).set(USERS.FAILED_LOGIN_ATTEMPTS, inline(0)).set(USERS.LOCKED_UNTIL, NO_LOCK)
                        .where(USERS.EMAIL.eq(email)).and(USERS.IS_ACTIVE.isTrue()).and(LOCK_RAN_OUT)
                        .returningResult(COLUMNS));
        List<SelectField<?>> clearedColumns = new ArrayList<>();
        for (SelectField<?> c : COLUMNS) {
            clearedColumns.add(cleared.field(c.getName()));
        }
        clearedColumns.add(inline(false).as(LOCKED_NOW_COLUMN.getName()));
        List<SelectField<?>> asIs = new ArrayList<>(COLUMNS);
        asIs.add(LOCKED_NOW_COLUMN);
        ATTEMPT_LOGIN = Statement.write("users.attemptLogin",
                with(cleared).select(asIs).from(USERS).where(USERS.EMAIL.eq(email))
                        .andNotExists(selectOne().from(cleared))
                        .unionAll(select(clearedColumns).from(cleared)),
                USER_ROW.with(List.of(LOCKED_NOW_COLUMN),
                        r -> new LoginState(USER_ROW.read(r), Boolean.TRUE.equals(r.get(LOCKED_NOW_COLUMN)))));

        Field<Integer> max = param("max", Integer.class);
        Field<Integer> counted = DSL.when(LOCK_RAN_OUT, inline(1))
                .otherwise(DSL.least(coalesce(USERS.FAILED_LOGIN_ATTEMPTS, inline(0)).plus(inline(1)), max));
        Field<Instant> lock = DSL.when(counted.ge(max), NOW.plus(param("lock", DayToSecond.class)))
                .otherwise(DSL.castNull(USERS.LOCKED_UNTIL));
        // The row, locked: its latest committed version, so a lock set meanwhile by another caller is seen.
        CommonTableExpression<?> current = name("current_row").as(
                select(USERS.ID, USERS.FAILED_LOGIN_ATTEMPTS, USERS.LOCKED_UNTIL).from(USERS).where(USERS.ID.eq(ID))
                        .forUpdate());
        CommonTableExpression<?> countedRow = name("counted_row").as(
                update(USERS).set(USERS.FAILED_LOGIN_ATTEMPTS, counted).set(USERS.LOCKED_UNTIL, lock)
                        .where(USERS.ID.in(select(current.field(USERS.ID)).from(current)))
                        .and(USERS.LOCKED_UNTIL.isNull().or(LOCK_RAN_OUT))
                        .returningResult(USERS.FAILED_LOGIN_ATTEMPTS, USERS.LOCKED_UNTIL, LOCKED_NOW_COLUMN));
        Field<Boolean> countedColumn = DSL.field(name("counted"), Boolean.class);
        Field<Integer> attempts = DSL.field(name(USERS.FAILED_LOGIN_ATTEMPTS.getName()), Integer.class);
        Field<Instant> lockedUntil = DSL.field(name(USERS.LOCKED_UNTIL.getName()), USERS.LOCKED_UNTIL.getDataType());
        Field<Boolean> lockedNow = DSL.field(name(LOCKED_NOW_COLUMN.getName()), Boolean.class);
        Field<Instant> currentLock = current.field(USERS.LOCKED_UNTIL);
        LOGIN_FAILED = Statement.write("users.recordFailedLogin",
                with(current, countedRow)
                        .select(countedRow.field(USERS.FAILED_LOGIN_ATTEMPTS).as(attempts.getName()),
                                countedRow.field(USERS.LOCKED_UNTIL).as(lockedUntil.getName()),
                                countedRow.field(LOCKED_NOW_COLUMN).as(lockedNow.getName()),
                                inline(true).as(countedColumn.getName()))
                        .from(countedRow)
                        .unionAll(select(current.field(USERS.FAILED_LOGIN_ATTEMPTS), currentLock,
                                DSL.field(currentLock.gt(NOW)), inline(false))
                                .from(current).whereNotExists(selectOne().from(countedRow))),
                RowReader.of(List.of(attempts, lockedUntil, lockedNow, countedColumn),
                        r -> new LoginFailure(Boolean.TRUE.equals(r.get(countedColumn)),
                                Objects.requireNonNullElse(r.get(attempts), 0), r.get(lockedUntil),
                                Boolean.TRUE.equals(r.get(lockedNow)))));
    }

    /** The page, each row carrying the filter's total as a scalar subquery: one statement, one snapshot. */
    private static Statement<Counted<User>> list(boolean after) {
        List<SelectField<?>> columns = new ArrayList<>(COLUMNS);
        columns.add(DSL.field(selectCount().from(USERS).where(MATCHING)).as(TOTAL.getName()));
        return Statement.read("users.list", select(columns).from(USERS)
                        .where(after ? MATCHING.and(Pages.after(USERS.CREATED_AT, USERS.ID)) : MATCHING)
                        .orderBy(USERS.CREATED_AT.desc(), USERS.ID.desc()).limit(param("limit", Integer.class)),
                USER_ROW.with(List.of(TOTAL), r -> new Counted<>(USER_ROW.read(r), r.count(TOTAL))));
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
        return db.operation("users.create", () -> {
            Rules.required("user", user);
            String email = Rules.email("user.email", user.email(), USERS.EMAIL);
            String hash = Rules.bcryptHash("user.passwordHash", user.passwordHash());
            String first = Rules.nonBlank("user.firstName", user.firstName(), USERS.FIRST_NAME).strip();
            String last = Rules.nonBlank("user.lastName", user.lastName(), USERS.LAST_NAME).strip();
            UserRole role = Rules.required("user.role", user.role());
            return db.one(CREATE, Binds.of("email", email, "hash", hash, "first", first, "last", last, "role", role))
                    .orElseThrow();
        });
    }

    @Override
    public Optional<User> findById(UUID id) {
        return db.operation("users.findById", () -> {
            Rules.required("user.id", id);
            return db.one(FIND_BY_ID, Binds.of("id", id));
        });
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return db.operation("users.findByEmail", () -> {
            Rules.text("user.email", email, USERS.EMAIL);
            return db.one(FIND_BY_EMAIL, Binds.of("email", normalizedEmail(email)));
        });
    }

    /** Statement budget: 1 (the page with its total); 2 after a cursor past the last row (the total alone, counted on a second checkout). */
    @Override
    public Page<User> list(UserFilter filter, PageCursor after, int limit) {
        return db.operation("users.list", () -> {
            Rules.required("filter", filter);
            Rules.pageSize("limit", limit);
            Optional<String> term = filter.searchTerm();
            String pattern = term.isEmpty() ? "%"
                    : "%" + escapeLike(Rules.text("filter.search", term.get(), USERS.EMAIL)) + "%";
            Binds matching = Binds.of("role", filter.role(), "active", filter.active(), "pattern", pattern);
            return Pages.ofCounted(db.list(after == null ? LIST_FIRST : LIST_AFTER,
                            Pages.cursor(matching, after).and("limit", limit + 1)), limit, after,
                    u -> new PageCursor(u.createdAt(), u.id()), () -> db.count(COUNT, matching));
        });
    }

    @Override
    public User updateProfile(UUID id, String firstName, String lastName) {
        return db.operation("users.updateProfile", () -> {
            Rules.required("user.id", id);
            String first = Rules.nonBlank("user.firstName", firstName, USERS.FIRST_NAME).strip();
            String last = Rules.nonBlank("user.lastName", lastName, USERS.LAST_NAME).strip();
            return changed(id, UPDATE_PROFILE, Binds.of("first", first, "last", last, "id", id));
        });
    }

    @Override
    public User changeRole(UUID id, UserRole role) {
        return db.operation("users.changeRole", () -> {
            Rules.required("user.id", id);
            Rules.required("user.role", role);
            return changed(id, CHANGE_ROLE, Binds.of("role", role, "id", id));
        });
    }

    @Override
    public User setActive(UUID id, boolean active) {
        return db.operation("users.setActive", () -> {
            Rules.required("user.id", id);
            return changed(id, SET_ACTIVE, Binds.of("active", active, "id", id));
        });
    }

    @Override
    public User setEmailVerified(UUID id, boolean verified) {
        return db.operation("users.setEmailVerified", () -> {
            Rules.required("user.id", id);
            return changed(id, SET_EMAIL_VERIFIED, Binds.of("verified", verified, "id", id));
        });
    }

    @Override
    public User changeEmail(UUID id, String newEmail) {
        return db.operation("users.changeEmail", () -> {
            Rules.required("user.id", id);
            String email = Rules.email("user.email", newEmail, USERS.EMAIL);
            return changed(id, CHANGE_EMAIL, Binds.of("email", email, "id", id));
        });
    }

    @Override
    public User setPassword(UUID id, String passwordHash) {
        return db.operation("users.setPassword", () -> {
            Rules.required("user.id", id);
            String hash = Rules.bcryptHash("user.passwordHash", passwordHash);
            return changed(id, SET_PASSWORD, Binds.of("hash", hash, "age", Duration.ZERO, "id", id));
        });
    }

    @Override
    public User resetPasswordForcingChange(UUID id, String temporaryPasswordHash) {
        return db.operation("users.resetPasswordForcingChange", () -> {
            Rules.required("user.id", id);
            String hash = Rules.bcryptHash("user.passwordHash", temporaryPasswordHash);
            return changed(id, SET_PASSWORD, Binds.of("hash", hash, "age", FORCE_CHANGE_AGE, "id", id));
        });
    }

    @Override
    public User unlock(UUID id) {
        return db.operation("users.unlock", () -> {
            Rules.required("user.id", id);
            return changed(id, UNLOCK, Binds.of("id", id));
        });
    }

    /** Statement budget: 1 (clear a lock that ran out and read the user, one data-modifying CTE). */
    @Override
    public LoginAttempt attemptLogin(String email) {
        return db.operation("users.attemptLogin", () -> {
            Rules.text("user.email", email, USERS.EMAIL);
            Optional<LoginState> state = db.one(ATTEMPT_LOGIN, Binds.of("email", normalizedEmail(email)));
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
        return db.operation("users.recordSuccessfulLogin", () -> {
            Rules.required("user.id", id);
            return changed(id, LOGIN_SUCCEEDED, Binds.of("id", id));
        });
    }

    /**
     * Statement budget: 1 (lock the row, count the failure unless it is locked, return the row either way). A
     * lock that ran out counts as the first failure of a new round.
     */
    @Override
    public LoginFailure recordFailedLogin(UUID id) {
        return db.operation("users.recordFailedLogin", () -> {
            Rules.required("user.id", id);
            return db.one(LOGIN_FAILED, Binds.of("max", maxFailedLogins, "lock", lockDuration, "id", id))
                    .orElseThrow(() -> new NotFoundException("user", id.toString()));
        });
    }

    @Override
    public boolean isLocked(UUID id, Instant instant) {
        return db.operation("users.isLocked", () -> {
            Rules.required("user.id", id);
            Rules.required("instant", instant);
            // On the primary: a lock recorded by another instance must not look absent on a lagging replica.
            return db.oneOnPrimary(FIND_BY_ID, Binds.of("id", id))
                    .orElseThrow(() -> new NotFoundException("user", id.toString())).isLockedAt(instant);
        });
    }

    @Override
    public boolean delete(UUID id) {
        return db.operation("users.delete", () -> {
            Rules.required("user.id", id);
            return db.execute(DELETE, Binds.of("id", id)) == 1;
        });
    }

    private User changed(UUID id, Statement<User> update, Binds binds) {
        return db.one(update, binds).orElseThrow(() -> new NotFoundException("user", id.toString()));
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
