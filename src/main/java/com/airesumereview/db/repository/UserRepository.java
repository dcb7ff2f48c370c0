package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.USERS;

import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.tables.records.UsersRecord;
import com.airesumereview.db.generated.vocabulary.UserRole;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * Users ({@code users}). Every method validates its input before any SQL and is atomic on its own;
 * inside {@code ResumeReviewDb.inTransaction} it joins the surrounding transaction.
 *
 * <p>Emails are stored trimmed and lowercase. The database's unique key {@code users_email_key} is
 * case-sensitive, so the library keeps the lowercase form as the one spelling of an address; lookups by
 * email bind the lowercased input and use the existing btree indexes on {@code email}.
 *
 * <p>Indexes on {@code users}: {@code users_pkey (id)}, {@code users_email_key (email)},
 * {@code idx_users_email (email)}, {@code idx_users_failed_attempts}, {@code idx_users_locked_until}.
 * There is none on {@code is_active}, {@code created_at} or the names; each method says what serves it.
 */
public final class UserRepository {
    private static final int EMAIL_MAX = 255;
    private static final int HASH_MAX = 255;
    private static final int NAME_MAX = 100;
    private static final int SEARCH_MAX = 255;
    private static final Duration LOCK_MAX = Duration.ofDays(3650);

    private static final Field<Instant> CREATED_AT = InstantColumns.of(USERS.CREATED_AT);
    private static final Field<Instant> UPDATED_AT = InstantColumns.of(USERS.UPDATED_AT);
    private static final Field<Instant> LAST_LOGIN_AT = InstantColumns.of(USERS.LAST_LOGIN_AT);
    private static final Field<Instant> PASSWORD_CHANGED_AT = InstantColumns.of(USERS.PASSWORD_CHANGED_AT);
    private static final Field<Instant> LOCKED_UNTIL = InstantColumns.of(USERS.LOCKED_UNTIL);
    /** Every column, timestamps read so that 'infinity' works (see {@link InstantColumns}). */
    static final List<Field<?>> COLUMNS = List.of(USERS.ID, USERS.EMAIL, USERS.PASSWORD_HASH,
            USERS.FIRST_NAME, USERS.LAST_NAME, USERS.ROLE, USERS.IS_ACTIVE, USERS.EMAIL_VERIFIED, CREATED_AT,
            UPDATED_AT, LAST_LOGIN_AT, PASSWORD_CHANGED_AT, USERS.FAILED_LOGIN_ATTEMPTS, LOCKED_UNTIL);

    private final DSLContext dsl;

    /** Called by {@code ResumeReviewDb}; {@code dsl} must carry the library's configuration. */
    public UserRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Creates a user: email trimmed and lowercased, active, not verified, 0 failed logins.
     *
     * <p>One statement, {@code INSERT ... SELECT ... WHERE NOT EXISTS (... lower(email) = ?)}: the guard
     * refuses an address that exists in any case, including mixed-case rows the Python service may have
     * written. No index serves {@code lower(email)} (none may be added), so the guard scans {@code users};
     * sign-up is rare and the table small, and this is the only scan in this repository. Two concurrent
     * creates of the same address both pass the guard, and then {@code users_email_key} refuses the
     * second: either way the caller gets the same {@link DuplicateException}.
     *
     * @throws ValidationException when a field breaks its rule (nothing written)
     * @throws DuplicateException  field {@code user.email}, constraint {@code users_email_key}, when the
     *                             address exists in any case
     */
    public User create(NewUser user) {
        Rules.required("user", user);
        String email = Rules.email("user.email", user.email(), EMAIL_MAX);
        String hash = Rules.secret("user.passwordHash", user.passwordHash(), HASH_MAX);
        String first = Rules.nonBlank("user.firstName", user.firstName(), NAME_MAX);
        String last = Rules.nonBlank("user.lastName", user.lastName(), NAME_MAX);
        UserRole role = Rules.required("user.role", user.role());

        Optional<Record> inserted = dsl.insertInto(USERS,
                        USERS.EMAIL, USERS.PASSWORD_HASH, USERS.FIRST_NAME, USERS.LAST_NAME, USERS.ROLE,
                        USERS.IS_ACTIVE, USERS.EMAIL_VERIFIED, USERS.FAILED_LOGIN_ATTEMPTS)
                .select(DSL.select(DSL.val(email, USERS.EMAIL), DSL.val(hash, USERS.PASSWORD_HASH),
                                DSL.val(first, USERS.FIRST_NAME), DSL.val(last, USERS.LAST_NAME),
                                DSL.val(role, USERS.ROLE), DSL.val(true, USERS.IS_ACTIVE),
                                DSL.val(false, USERS.EMAIL_VERIFIED), DSL.val(0, USERS.FAILED_LOGIN_ATTEMPTS))
                        .whereNotExists(DSL.selectOne().from(USERS).where(DSL.lower(USERS.EMAIL).eq(email))))
                .returningResult(COLUMNS)
                .fetchOptional();
        return toUser(inserted.orElseThrow(() -> new DuplicateException("users_email_key", "user.email",
                "user.email: already exists (unique constraint users_email_key, compared case-insensitively)", null)));
    }

    /** The user with this id. Served by {@code users_pkey}. */
    public Optional<User> findById(UUID id) {
        Rules.required("user.id", id);
        return dsl.select(COLUMNS).from(USERS).where(USERS.ID.eq(id)).fetchOptional().map(UserRepository::toUser);
    }

    /**
     * The user with this email, compared case-insensitively and exactly: blanks around the input are
     * ignored and {@code %} or {@code _} match only themselves (no LIKE).
     *
     * <p>Binds {@code email IN (lower(input), input)}, served by {@code users_email_key}: rows this library
     * (or the Python service, which also lowercases) wrote are found in any case of the input. A row stored
     * in mixed case by some other writer is found only when the input has exactly its spelling; when both
     * spellings exist the lowercase row wins. A full case-insensitive comparison ({@code lower(email)})
     * would scan the table, as no expression index exists.
     *
     * @throws ValidationException when the input is null or longer than 255 characters
     */
    public Optional<User> findByEmail(String email) {
        Rules.text("user.email", email, EMAIL_MAX);
        String exact = email.trim();
        String lowered = exact.toLowerCase(Locale.ROOT);
        return dsl.select(COLUMNS).from(USERS)
                .where(USERS.EMAIL.in(lowered, exact))
                .orderBy(DSL.when(USERS.EMAIL.eq(lowered), 0).otherwise(1))
                .limit(1)
                .fetchOptional()
                .map(UserRepository::toUser);
    }

    /**
     * One page of active users in id order (a stable order; ids are random UUIDs, so it is not creation
     * order; PostgreSQL compares uuids as unsigned bytes, i.e. like their text, which is not Java's
     * {@code UUID.compareTo}). Pass {@code null} for the first page, then the id of the last user of the
     * previous page.
     *
     * <p>No index covers {@code is_active} (nor {@code created_at}), so the query walks {@code users_pkey}
     * from {@code afterId} and filters: it reads about {@code limit / (share of active users)} rows per
     * page, never the whole table for a full page, and never sorts.
     *
     * @param afterId keyset cursor: the last id of the previous page, or null
     * @param limit   1..1000
     */
    public List<User> listActive(UUID afterId, int limit) {
        Rules.pageSize("limit", limit);
        Condition after = afterId == null ? DSL.noCondition() : USERS.ID.gt(afterId);
        return dsl.select(COLUMNS).from(USERS)
                .where(USERS.IS_ACTIVE.isTrue()).and(after)
                .orderBy(USERS.ID)
                .limit(limit)
                .fetch(UserRepository::toUser);
    }

    /**
     * One page of users whose first name, last name, full name ("first last") or email contains
     * {@code query}, ignoring case (ILIKE). {@code %}, {@code _} and {@code \} in the query match
     * themselves. Same keyset paging in id order as {@link #listActive}.
     *
     * <p>No index can serve an infix search (no trigram index exists and none may be added): the query
     * walks {@code users_pkey} in id order and tests each row until the page is full, so a rare term
     * reads the whole table. Fine for an admin search box over thousands of users.
     *
     * @param query   1..255 characters, not blank; blanks around it are ignored
     * @param afterId keyset cursor: the last id of the previous page, or null
     * @param limit   1..1000
     */
    public List<User> search(String query, UUID afterId, int limit) {
        String term = Rules.nonBlank("query", query, SEARCH_MAX).trim();
        Rules.pageSize("limit", limit);
        String pattern = "%" + escapeLike(term) + "%";
        Field<String> fullName = USERS.FIRST_NAME.concat(DSL.inline(" ")).concat(USERS.LAST_NAME);
        Condition matches = USERS.EMAIL.likeIgnoreCase(pattern, '\\')
                .or(fullName.likeIgnoreCase(pattern, '\\'));
        Condition after = afterId == null ? DSL.noCondition() : USERS.ID.gt(afterId);
        return dsl.select(COLUMNS).from(USERS)
                .where(matches).and(after)
                .orderBy(USERS.ID)
                .limit(limit)
                .fetch(UserRepository::toUser);
    }

    /**
     * Changes first and last name.
     *
     * @throws NotFoundException when no user has this id
     */
    public User updateProfile(UUID id, String firstName, String lastName) {
        Rules.required("user.id", id);
        String first = Rules.nonBlank("user.firstName", firstName, NAME_MAX);
        String last = Rules.nonBlank("user.lastName", lastName, NAME_MAX);
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
     * Replaces the password hash and sets {@code password_changed_at} to the transaction's time.
     *
     * @throws NotFoundException when no user has this id
     */
    public User changePasswordHash(UUID id, String passwordHash) {
        Rules.required("user.id", id);
        String hash = Rules.secret("user.passwordHash", passwordHash, HASH_MAX);
        return update(id, dsl.update(USERS).set(USERS.PASSWORD_HASH, hash)
                .set(USERS.PASSWORD_CHANGED_AT, DSL.currentOffsetDateTime()).where(USERS.ID.eq(id)));
    }

    /**
     * Records a successful login: {@code last_login_at} = now, failed attempts 0, lock cleared. Checking
     * {@link User#isLockedAt} before accepting the password is the caller's job.
     *
     * @throws NotFoundException when no user has this id
     */
    public User recordSuccessfulLogin(UUID id) {
        Rules.required("user.id", id);
        return update(id, dsl.update(USERS).set(USERS.LAST_LOGIN_AT, DSL.currentOffsetDateTime())
                .set(USERS.FAILED_LOGIN_ATTEMPTS, 0)
                .setNull(USERS.LOCKED_UNTIL)
                .where(USERS.ID.eq(id)));
    }

    /**
     * Counts one failed login and locks the user when the count reaches {@code maxAttempts}, in one
     * {@code UPDATE ... RETURNING}, so concurrent failures are each counted exactly once (the row lock
     * serialises them and each sees the count left by the previous one).
     *
     * <p>{@code failed_login_attempts = coalesce(failed_login_attempts, 0) + 1} (a NULL count reads as 0);
     * when the new count is at least {@code maxAttempts} and the user is not locked right now,
     * {@code locked_until = now() + lockDuration}. A running lock is not extended by further failures, so
     * a burst of failures yields one lock; after it ran out, the next failure locks again.
     *
     * @param maxAttempts  1..1,000,000
     * @param lockDuration positive, at most 3650 days
     * @throws NotFoundException when no user has this id
     */
    public LoginFailure recordFailedLogin(UUID id, int maxAttempts, Duration lockDuration) {
        Rules.required("user.id", id);
        Rules.range("maxAttempts", maxAttempts, 1, 1_000_000);
        Rules.required("lockDuration", lockDuration);
        if (lockDuration.isNegative() || lockDuration.isZero() || lockDuration.compareTo(LOCK_MAX) > 0) {
            throw new ValidationException("lockDuration", "must be positive and at most 3650 days",
                    lockDuration.toString());
        }
        Field<Integer> newCount = DSL.coalesce(USERS.FAILED_LOGIN_ATTEMPTS, DSL.inline(0)).plus(DSL.inline(1));
        Field<OffsetDateTime> now = DSL.currentOffsetDateTime();
        Field<OffsetDateTime> lockEnd = now.plus(DSL.val(DayToSecond.valueOf(lockDuration)));
        Condition lockedNow = USERS.LOCKED_UNTIL.isNotNull().and(USERS.LOCKED_UNTIL.gt(now));
        Record3<Integer, Instant, Boolean> row = dsl.update(USERS)
                .set(USERS.FAILED_LOGIN_ATTEMPTS, newCount)
                .set(USERS.LOCKED_UNTIL, DSL.when(newCount.ge(maxAttempts).andNot(lockedNow), lockEnd)
                        .otherwise(USERS.LOCKED_UNTIL))
                .where(USERS.ID.eq(id))
                .returningResult(USERS.FAILED_LOGIN_ATTEMPTS, LOCKED_UNTIL,
                        DSL.field(USERS.LOCKED_UNTIL.isNotNull().and(USERS.LOCKED_UNTIL.gt(now))))
                .fetchOne();
        if (row == null) {
            throw new NotFoundException("user", id.toString());
        }
        return new LoginFailure(row.value1(), row.value2(), Boolean.TRUE.equals(row.value3()));
    }

    /**
     * Whether the user is locked at {@code instant} (see {@link User#isLockedAt}).
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
