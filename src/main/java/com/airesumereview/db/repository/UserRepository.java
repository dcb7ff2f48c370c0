package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.USERS;

import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.LoginAttempt;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.generated.tables.records.UsersRecord;
import com.airesumereview.db.generated.vocabulary.UserRole;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record4;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * Users ({@code users}), with the meaning the running Python service gives the rows (see README, "Running
 * beside the Python service"). Every method validates its input before any SQL and is atomic on its own;
 * inside {@code ResumeReviewDb.inTransaction} it joins the surrounding transaction.
 *
 * <p>Emails are stored trimmed and lower-case by both writers (217 of 217 production rows), so the unique
 * key {@code users_email_key} decides uniqueness and serves every lookup by email; a row breaking that
 * invariant is a finding of the audit, not a reason to scan on every write.
 *
 * <p>Lock-out: {@code maxFailedLogins} failures in a row lock the account for {@code lockDuration}, both
 * taken once from {@code ResumeReviewDbConfig} (defaults 5 and 30 minutes, the Python service's). A lock
 * whose {@code locked_until} has passed is no lock: the user starts afresh with the full number of attempts.
 *
 * <p>Indexes on {@code users}: {@code users_pkey (id)}, {@code users_email_key (email)},
 * {@code idx_users_email (email)}, {@code idx_users_failed_attempts}, {@code idx_users_locked_until}.
 * There is none on {@code is_active}, {@code role}, {@code created_at} or the names; each method says what
 * serves it.
 */
public final class UserRepository {
    private static final int EMAIL_MAX = 255;
    private static final int HASH_MAX = 255;
    private static final int NAME_MAX = 100;
    private static final int SEARCH_MAX = 255;
    /** An administrator's reset dates the password this far back, so the next login must change it. */
    private static final DayToSecond FORCE_CHANGE_AGE = DayToSecond.valueOf(Duration.ofDays(365));

    private static final Field<Instant> CREATED_AT = InstantColumns.of(USERS.CREATED_AT);
    private static final Field<Instant> UPDATED_AT = InstantColumns.of(USERS.UPDATED_AT);
    private static final Field<Instant> LAST_LOGIN_AT = InstantColumns.of(USERS.LAST_LOGIN_AT);
    private static final Field<Instant> PASSWORD_CHANGED_AT = InstantColumns.of(USERS.PASSWORD_CHANGED_AT);
    private static final Field<Instant> LOCKED_UNTIL = InstantColumns.of(USERS.LOCKED_UNTIL);
    /** Every column, timestamps read so that 'infinity' works (see {@link InstantColumns}). */
    static final List<Field<?>> COLUMNS = List.of(USERS.ID, USERS.EMAIL, USERS.PASSWORD_HASH,
            USERS.FIRST_NAME, USERS.LAST_NAME, USERS.ROLE, USERS.IS_ACTIVE, USERS.EMAIL_VERIFIED, CREATED_AT,
            UPDATED_AT, LAST_LOGIN_AT, PASSWORD_CHANGED_AT, USERS.FAILED_LOGIN_ATTEMPTS, LOCKED_UNTIL);
    private static final Field<OffsetDateTime> NOW = DSL.currentOffsetDateTime();
    private static final Condition LOCKED_NOW = USERS.LOCKED_UNTIL.gt(NOW);
    private static final Condition LOCK_RAN_OUT = USERS.LOCKED_UNTIL.le(NOW);

    private final DSLContext dsl;
    private final int maxFailedLogins;
    private final DayToSecond lockDuration;

    /**
     * Called by {@code ResumeReviewDb}; {@code dsl} must carry the library's configuration, the lock-out
     * settings come from {@code ResumeReviewDbConfig} (validated there).
     */
    public UserRepository(DSLContext dsl, int maxFailedLogins, Duration lockDuration) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.maxFailedLogins = maxFailedLogins;
        this.lockDuration = DayToSecond.valueOf(Objects.requireNonNull(lockDuration, "lockDuration"));
    }

    /**
     * Registers a user: email trimmed and lower-cased, names trimmed, active, not verified, 0 failed logins.
     *
     * <p>A plain {@code INSERT}: the unique key {@code users_email_key} refuses an address that exists (both
     * writers store the lower-case form), through an index probe whatever the table's size.
     *
     * @throws ValidationException when a field breaks its rule (nothing written)
     * @throws DuplicateException  field {@code user.email}, constraint {@code users_email_key}, when the
     *                             address exists
     */
    public User create(NewUser user) {
        Rules.required("user", user);
        String email = Rules.email("user.email", user.email(), EMAIL_MAX);
        String hash = Rules.secret("user.passwordHash", user.passwordHash(), HASH_MAX);
        String first = Rules.nonBlank("user.firstName", user.firstName(), NAME_MAX).strip();
        String last = Rules.nonBlank("user.lastName", user.lastName(), NAME_MAX).strip();
        UserRole role = Rules.required("user.role", user.role());
        return toUser(dsl.insertInto(USERS)
                .set(USERS.EMAIL, email)
                .set(USERS.PASSWORD_HASH, hash)
                .set(USERS.FIRST_NAME, first)
                .set(USERS.LAST_NAME, last)
                .set(USERS.ROLE, role)
                .set(USERS.IS_ACTIVE, true)
                .set(USERS.EMAIL_VERIFIED, false)
                .set(USERS.FAILED_LOGIN_ATTEMPTS, 0)
                .returningResult(COLUMNS)
                .fetchSingle());
    }

    /** The user with this id. Served by {@code users_pkey}. */
    public Optional<User> findById(UUID id) {
        Rules.required("user.id", id);
        return dsl.select(COLUMNS).from(USERS).where(USERS.ID.eq(id)).fetchOptional().map(UserRepository::toUser);
    }

    /**
     * The user with this email, compared case-insensitively: blanks around the input are ignored, the input
     * is lower-cased, and {@code %} or {@code _} match only themselves (no LIKE). Served by
     * {@code users_email_key}. A row stored in mixed case by some other writer (an audit finding) is not found.
     *
     * @throws ValidationException when the input is null or longer than 255 characters
     */
    public Optional<User> findByEmail(String email) {
        Rules.text("user.email", email, EMAIL_MAX);
        return dsl.select(COLUMNS).from(USERS)
                .where(USERS.EMAIL.eq(normalizedEmail(email)))
                .fetchOptional()
                .map(UserRepository::toUser);
    }

    /**
     * One page of users, newest first ({@code created_at DESC, id DESC}), with the total number of users
     * matching {@code filter} over all pages. This is the one list of users: role, active flag and search
     * are parts of {@link UserFilter}.
     *
     * <pre>{@code
     * Page<User> page = db.users().list(UserFilter.all().withSearch("ada"), null, 20);
     * page.total();                                   // OptionalLong, always present here
     * Page<User> more = db.users().list(filter, page.next().orElseThrow(), 20);
     * }</pre>
     *
     * <p>No production index serves this list: none covers {@code created_at}, {@code role} or
     * {@code is_active}, and no index can serve an infix search (no trigram index exists, none may be added).
     * Each page reads the users that match the filter and keeps the newest {@code limit} in a top-N sort; the
     * total is a {@code count(*)} over the same filter. Both cost a pass over {@code users} that grows with the
     * table; fine for an administrator's screen over production's few hundred users (tens of milliseconds at
     * 100,000), not for a hot path.
     *
     * <p>The page and its total are read in one transaction. {@code %} and {@code _} in the search term
     * match only themselves (the Python service's {@code ilike} treats them as wildcards).
     *
     * @param filter which users; {@link UserFilter#all()} for every user
     * @param after  the {@link Page#next()} of the previous page, or null for the first page
     * @param limit  1..1000
     * @throws ValidationException when the search term is longer than 255 characters or the limit is out of range
     */
    public Page<User> list(UserFilter filter, PageCursor after, int limit) {
        Rules.required("filter", filter);
        Rules.pageSize("limit", limit);
        Condition matching = DSL.noCondition();
        if (filter.role() != null) {
            matching = matching.and(USERS.ROLE.eq(filter.role()));
        }
        if (filter.active() != null) {
            matching = matching.and(USERS.IS_ACTIVE.eq(filter.active()));
        }
        Optional<String> term = filter.searchTerm();
        if (term.isPresent()) {
            String pattern = "%" + escapeLike(Rules.text("filter.search", term.get(), SEARCH_MAX)) + "%";
            matching = matching.and(USERS.EMAIL.likeIgnoreCase(pattern, '\\')
                    .or(USERS.FIRST_NAME.likeIgnoreCase(pattern, '\\'))
                    .or(USERS.LAST_NAME.likeIgnoreCase(pattern, '\\')));
        }
        Condition page = after == null ? DSL.noCondition()
                : DSL.row(USERS.CREATED_AT, USERS.ID).lt(OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC),
                        after.id());
        Condition where = matching;
        return dsl.transactionResult(tx -> {
            DSLContext in = tx.dsl();
            List<User> rows = in.select(COLUMNS).from(USERS)
                    .where(where).and(page)
                    .orderBy(USERS.CREATED_AT.desc(), USERS.ID.desc())
                    .limit(limit + 1)
                    .fetch(UserRepository::toUser);
            long total = in.selectCount().from(USERS).where(where).fetchSingle().value1();
            if (rows.size() <= limit) {
                return new Page<>(rows, Optional.empty(), total);
            }
            User last = rows.get(limit - 1);
            return new Page<>(rows.subList(0, limit), Optional.of(new PageCursor(last.createdAt(), last.id())), total);
        });
    }

    /**
     * Changes first and last name.
     *
     * @throws NotFoundException when no user has this id
     */
    public User updateProfile(UUID id, String firstName, String lastName) {
        Rules.required("user.id", id);
        String first = Rules.nonBlank("user.firstName", firstName, NAME_MAX).strip();
        String last = Rules.nonBlank("user.lastName", lastName, NAME_MAX).strip();
        return update(id, dsl.update(USERS).set(USERS.FIRST_NAME, first).set(USERS.LAST_NAME, last)
                .where(USERS.ID.eq(id)));
    }

    /**
     * Changes the role.
     *
     * @throws NotFoundException when no user has this id
     */
    public User changeRole(UUID id, UserRole role) {
        Rules.required("user.id", id);
        Rules.required("user.role", role);
        return update(id, dsl.update(USERS).set(USERS.ROLE, role).where(USERS.ID.eq(id)));
    }

    /**
     * Activates or deactivates the account (column {@code is_active}).
     *
     * @throws NotFoundException when no user has this id
     */
    public User setActive(UUID id, boolean active) {
        Rules.required("user.id", id);
        return update(id, dsl.update(USERS).set(USERS.IS_ACTIVE, active).where(USERS.ID.eq(id)));
    }

    /**
     * Marks the email address verified or not.
     *
     * @throws NotFoundException when no user has this id
     */
    public User setEmailVerified(UUID id, boolean verified) {
        Rules.required("user.id", id);
        return update(id, dsl.update(USERS).set(USERS.EMAIL_VERIFIED, verified).where(USERS.ID.eq(id)));
    }

    /**
     * Changes the email: trimmed and lower-cased, as the Python service stores it. A plain {@code UPDATE};
     * the unique key {@code users_email_key} refuses an address another user has (in any case, as every stored
     * address is lower-case), through an index probe. Setting the address the user already has is allowed.
     *
     * @throws ValidationException when the address is not an email (nothing written)
     * @throws DuplicateException  field {@code user.email}, constraint {@code users_email_key}
     * @throws NotFoundException   when no user has this id
     */
    public User changeEmail(UUID id, String newEmail) {
        Rules.required("user.id", id);
        String email = Rules.email("user.email", newEmail, EMAIL_MAX);
        return update(id, dsl.update(USERS).set(USERS.EMAIL, email).where(USERS.ID.eq(id)));
    }

    /**
     * Sets a new password hash, as the Python service does on a password change: {@code password_changed_at}
     * = now, failed attempts 0, lock cleared. Revoking the user's sessions is a separate call
     * ({@code refreshTokens().revokeAll} or {@code revokeAllExcept}), in the same {@code inTransaction} if wanted.
     *
     * @throws NotFoundException when no user has this id
     */
    public User setPassword(UUID id, String passwordHash) {
        Rules.required("user.id", id);
        String hash = Rules.secret("user.passwordHash", passwordHash, HASH_MAX);
        return update(id, dsl.update(USERS).set(USERS.PASSWORD_HASH, hash)
                .set(USERS.PASSWORD_CHANGED_AT, NOW)
                .set(USERS.FAILED_LOGIN_ATTEMPTS, 0)
                .setNull(USERS.LOCKED_UNTIL)
                .where(USERS.ID.eq(id)));
    }

    /**
     * An administrator's password reset that forces a change at the next login, as the Python service does
     * it: the new (temporary) hash, {@code password_changed_at} one year back (its "password too old" signal),
     * failed attempts 0, lock cleared.
     *
     * @throws NotFoundException when no user has this id
     */
    public User resetPasswordForcingChange(UUID id, String temporaryPasswordHash) {
        Rules.required("user.id", id);
        String hash = Rules.secret("user.passwordHash", temporaryPasswordHash, HASH_MAX);
        return update(id, dsl.update(USERS).set(USERS.PASSWORD_HASH, hash)
                .set(USERS.PASSWORD_CHANGED_AT, NOW.minus(DSL.val(FORCE_CHANGE_AGE)))
                .set(USERS.FAILED_LOGIN_ATTEMPTS, 0)
                .setNull(USERS.LOCKED_UNTIL)
                .where(USERS.ID.eq(id)));
    }

    /**
     * An administrator's unlock: failed attempts 0, no lock, nothing else changed ({@code last_login_at}
     * untouched; {@code updated_at} moves, by production's trigger).
     *
     * @throws NotFoundException when no user has this id
     */
    public User unlock(UUID id) {
        Rules.required("user.id", id);
        return update(id, dsl.update(USERS).set(USERS.FAILED_LOGIN_ATTEMPTS, 0).setNull(USERS.LOCKED_UNTIL)
                .where(USERS.ID.eq(id)));
    }

    /**
     * The check the Python service makes before it looks at a password: unknown email, deactivated account,
     * running lock (refused, nothing counted), or go ahead. A lock that has run out is cleared first
     * ({@code failed_login_attempts = 0, locked_until = NULL}, one conditional {@code UPDATE}), so the user
     * has a fresh set of attempts. Served by {@code users_email_key}.
     *
     * @throws ValidationException when the input is null or longer than 255 characters
     */
    public LoginAttempt attemptLogin(String email) {
        Rules.text("user.email", email, EMAIL_MAX);
        String normalized = normalizedEmail(email);
        return dsl.transactionResult(tx -> {
            DSLContext in = tx.dsl();
            Optional<User> cleared = in.update(USERS)
                    .set(USERS.FAILED_LOGIN_ATTEMPTS, 0)
                    .setNull(USERS.LOCKED_UNTIL)
                    .where(USERS.EMAIL.eq(normalized)).and(USERS.IS_ACTIVE.isTrue()).and(LOCK_RAN_OUT)
                    .returningResult(COLUMNS)
                    .fetchOptional()
                    .map(UserRepository::toUser);
            if (cleared.isPresent()) {
                return new LoginAttempt.CheckPassword(cleared.get());
            }
            Optional<Record> row = in.select(COLUMNS).from(USERS).where(USERS.EMAIL.eq(normalized)).fetchOptional();
            if (row.isEmpty()) {
                return new LoginAttempt.UnknownEmail();
            }
            User user = toUser(row.get());
            if (!user.active()) {
                return new LoginAttempt.Inactive(user);
            }
            Boolean locked = in.select(DSL.field(LOCKED_NOW)).from(USERS).where(USERS.ID.eq(user.id())).fetchSingle().value1();
            return Boolean.TRUE.equals(locked) ? new LoginAttempt.Locked(user, user.lockedUntil())
                    : new LoginAttempt.CheckPassword(user);
        });
    }

    /**
     * Records a successful login, as the Python service does: {@code last_login_at} = now, failed attempts 0,
     * lock cleared. Call it after {@link #attemptLogin} allowed the attempt and the password matched.
     *
     * @throws NotFoundException when no user has this id
     */
    public User recordSuccessfulLogin(UUID id) {
        Rules.required("user.id", id);
        return update(id, dsl.update(USERS).set(USERS.LAST_LOGIN_AT, NOW)
                .set(USERS.FAILED_LOGIN_ATTEMPTS, 0)
                .setNull(USERS.LOCKED_UNTIL)
                .where(USERS.ID.eq(id)));
    }

    /**
     * Records a wrong password, with the Python service's meaning, in one {@code UPDATE ... RETURNING} (the
     * row lock serialises concurrent failures, each counted once):
     * <ul>
     * <li>locked now ({@code locked_until > now}): refused, nothing changes ({@link LoginFailure#counted()} false);</li>
     * <li>a lock that has run out: a fresh start, this failure is the first ({@code 1}, lock cleared);</li>
     * <li>otherwise the count goes up by one (a NULL count reads as 0); reaching {@code maxFailedLogins} locks
     * the account until now + {@code lockDuration}. The count never goes past {@code maxFailedLogins}, so a
     * locked row always holds exactly that count, as every locked production row does.</li>
     * </ul>
     * Served by {@code users_pkey}.
     *
     * @throws NotFoundException when no user has this id
     */
    public LoginFailure recordFailedLogin(UUID id) {
        Rules.required("user.id", id);
        Field<Integer> counted = DSL.when(LOCK_RAN_OUT, DSL.inline(1))
                .otherwise(DSL.least(DSL.coalesce(USERS.FAILED_LOGIN_ATTEMPTS, DSL.inline(0)).plus(DSL.inline(1)),
                        DSL.val(maxFailedLogins)));
        Field<OffsetDateTime> lock = DSL.when(counted.ge(DSL.val(maxFailedLogins)),
                NOW.plus(DSL.val(lockDuration))).otherwise(DSL.castNull(USERS.LOCKED_UNTIL));
        // The WHERE skips a locked row, so nothing is written; a second statement tells "locked" from "no user".
        Optional<Record4<Integer, Instant, Boolean, Boolean>> row = dsl.update(USERS)
                .set(USERS.FAILED_LOGIN_ATTEMPTS, counted)
                .set(USERS.LOCKED_UNTIL, lock)
                .where(USERS.ID.eq(id)).and(USERS.LOCKED_UNTIL.isNull().or(LOCK_RAN_OUT))
                .returningResult(USERS.FAILED_LOGIN_ATTEMPTS, LOCKED_UNTIL, DSL.field(LOCKED_NOW), DSL.inline(true))
                .fetchOptional();
        if (row.isPresent()) {
            Record4<Integer, Instant, Boolean, Boolean> r = row.get();
            return new LoginFailure(true, r.value1(), r.value2(), Boolean.TRUE.equals(r.value3()));
        }
        Record4<Integer, Instant, Boolean, Boolean> locked = dsl
                .select(USERS.FAILED_LOGIN_ATTEMPTS, LOCKED_UNTIL, DSL.field(LOCKED_NOW), DSL.inline(false))
                .from(USERS).where(USERS.ID.eq(id)).fetchOptional()
                .orElseThrow(() -> new NotFoundException("user", id.toString()));
        Integer count = locked.value1();
        return new LoginFailure(false, count == null ? 0 : count, locked.value2(), Boolean.TRUE.equals(locked.value3()));
    }

    /**
     * Whether the user is locked at {@code instant} (see {@link User#isLockedAt}: a lock that has run out is
     * no lock). Served by {@code users_pkey}.
     *
     * @throws NotFoundException when no user has this id
     */
    public boolean isLocked(UUID id, Instant instant) {
        Rules.required("user.id", id);
        Rules.required("instant", instant);
        return findById(id).orElseThrow(() -> new NotFoundException("user", id.toString())).isLockedAt(instant);
    }

    /**
     * Deletes the user; the database cascades to their refresh tokens, uploads and analyses (prompts the
     * user created keep pointing at them, so such a user cannot be deleted: the foreign key
     * {@code prompts_created_by_fkey} refuses it).
     *
     * @return whether a user was deleted
     */
    public boolean delete(UUID id) {
        Rules.required("user.id", id);
        return dsl.deleteFrom(USERS).where(USERS.ID.eq(id)).execute() == 1;
    }

    private User update(UUID id, org.jooq.UpdateConditionStep<UsersRecord> update) {
        return update.returningResult(COLUMNS).fetchOptional().map(UserRepository::toUser)
                .orElseThrow(() -> new NotFoundException("user", id.toString()));
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

    /** The one row -> User function (also used by the audit through {@link RowMappings}). */
    static User toUser(Record r) {
        return new User(r.get(USERS.ID), r.get(USERS.EMAIL), r.get(USERS.PASSWORD_HASH), r.get(USERS.FIRST_NAME),
                r.get(USERS.LAST_NAME), r.get(USERS.ROLE), r.get(USERS.IS_ACTIVE), r.get(USERS.EMAIL_VERIFIED),
                r.get(CREATED_AT), r.get(UPDATED_AT), r.get(LAST_LOGIN_AT), r.get(PASSWORD_CHANGED_AT),
                r.get(USERS.FAILED_LOGIN_ATTEMPTS), r.get(LOCKED_UNTIL));
    }
}
