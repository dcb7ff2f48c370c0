package com.airesumereview.db.repository;

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
import com.airesumereview.db.generated.vocabulary.UserRole;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

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
 *
 * <p>Thread-safe. The library implements it ({@code ResumeReviewDb} hands it out); services may mock it in
 * their own tests.
 */
public interface UserRepository {
    /**
     * Registers a user: email trimmed and lower-cased, names trimmed, active, not verified, 0 failed logins.
     *
     * <p>A plain {@code INSERT}: the unique key {@code users_email_key} refuses an address that exists (both
     * writers store the lower-case form), through an index probe whatever the table's size. Runs on the primary.
     *
     * @param user the new user; not null (its email, names, bcrypt hash and role are checked)
     * @return the stored user, with the id and timestamps the database gave it
     * @throws ValidationException when a field breaks its rule (nothing written)
     * @throws DuplicateException  field {@code user.email}, constraint {@code users_email_key}, when the
     *                             address exists
     */
    User create(NewUser user);

    /**
     * The user with this id. Served by {@code users_pkey}.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param id the user's id ({@code users.id}); not null
     * @return the user, or empty when no user has this id
     */
    Optional<User> findById(UUID id);

    /**
     * The user with this email, compared case-insensitively: blanks around the input are ignored, the input
     * is lower-cased, and {@code %} or {@code _} match only themselves (no LIKE). Served by
     * {@code users_email_key}. A row stored in mixed case by some other writer (an audit finding) is not found.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param email the address, in any case; not null
     * @return the user, or empty when no user has this address
     * @throws ValidationException when the input is null or longer than 255 characters
     */
    Optional<User> findByEmail(String email);

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
     * table; fine for an administrator's screen over production's few hundred users, not for a hot path
     * ({@code UserQueryPlanTest} asserts the scan, so a change here is noticed).
     *
     * <p>The page and its total are one statement (the total a scalar subquery), so they come from one snapshot
     * in one round trip; after a cursor past the last row, where no row carries the total, a second statement
     * counts. {@code %} and {@code _} in the search term match only themselves (the Python service's
     * {@code ilike} treats them as wildcards).
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param filter which users; {@link UserFilter#all()} for every user
     * @param after  the {@link Page#next()} of the previous page, or null for the first page
     * @param limit  1..1000
     * @return the page (empty when no user matches), its total and the cursor of the next page, if any
     * @throws ValidationException when the search term is longer than 255 characters or the limit is out of range
     */
    Page<User> list(UserFilter filter, PageCursor after, int limit);

    /**
     * Changes first and last name. Runs on the primary.
     *
     * @param id        the user's id; not null
     * @param firstName the new first name; not blank, at most 100 characters, stored trimmed
     * @param lastName  the new last name; not blank, at most 100 characters, stored trimmed
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User updateProfile(UUID id, String firstName, String lastName);

    /**
     * Changes the role. Runs on the primary.
     *
     * @param id   the user's id; not null
     * @param role the new role; not null
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User changeRole(UUID id, UserRole role);

    /**
     * Activates or deactivates the account (column {@code is_active}). Runs on the primary.
     *
     * @param id     the user's id; not null
     * @param active true to activate, false to deactivate
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User setActive(UUID id, boolean active);

    /**
     * Marks the email address verified or not. Runs on the primary.
     *
     * @param id       the user's id; not null
     * @param verified whether the address is verified
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User setEmailVerified(UUID id, boolean verified);

    /**
     * Changes the email: trimmed and lower-cased, as the Python service stores it. A plain {@code UPDATE};
     * the unique key {@code users_email_key} refuses an address another user has (in any case, as every stored
     * address is lower-case), through an index probe. Setting the address the user already has is allowed.
     * Runs on the primary.
     *
     * @param id       the user's id; not null
     * @param newEmail the new address; at most 255 characters, stored trimmed and lower-case
     * @return the user as updated
     * @throws ValidationException when the address is not an email (nothing written)
     * @throws DuplicateException  field {@code user.email}, constraint {@code users_email_key}
     * @throws NotFoundException   when no user has this id
     */
    User changeEmail(UUID id, String newEmail);

    /**
     * Sets a new password hash, as the Python service does on a password change: {@code password_changed_at}
     * = now, failed attempts 0, lock cleared. Revoking the user's sessions is a separate call
     * ({@code refreshTokens().revokeAll} or {@code revokeAllExcept}), in the same {@code inTransaction} if wanted.
     * Runs on the primary.
     *
     * @param id           the user's id; not null
     * @param passwordHash the new bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}, 60 characters), never a
     *                     plain password; anything else is refused with {@link ValidationException}
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User setPassword(UUID id, String passwordHash);

    /**
     * An administrator's password reset that forces a change at the next login, as the Python service does
     * it: the new (temporary) hash, {@code password_changed_at} one year back (its "password too old" signal),
     * failed attempts 0, lock cleared. Runs on the primary.
     *
     * @param id                    the user's id; not null
     * @param temporaryPasswordHash the temporary password's bcrypt hash, refused with {@link ValidationException}
     *                              as {@link #setPassword} refuses one
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User resetPasswordForcingChange(UUID id, String temporaryPasswordHash);

    /**
     * An administrator's unlock: failed attempts 0, no lock, nothing else changed ({@code last_login_at}
     * untouched; {@code updated_at} moves, by production's trigger). Runs on the primary.
     *
     * @param id the user's id; not null
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User unlock(UUID id);

    /**
     * The check the Python service makes before it looks at a password: unknown email, deactivated account,
     * running lock (refused, nothing counted), or go ahead. A lock that has run out is cleared first
     * ({@code failed_login_attempts = 0, locked_until = NULL}, one conditional {@code UPDATE}), so the user
     * has a fresh set of attempts. Served by {@code users_email_key}. Runs on the primary, in one transaction.
     *
     * @param email the address typed at login, in any case; not null
     * @return what the caller may do next: unknown email, inactive, locked (with until when) or check the password
     * @throws ValidationException when the input is null or longer than 255 characters
     */
    LoginAttempt attemptLogin(String email);

    /**
     * Records a successful login, as the Python service does: {@code last_login_at} = now, failed attempts 0,
     * lock cleared. Call it after {@link #attemptLogin} allowed the attempt and the password matched.
     * Runs on the primary.
     *
     * @param id the user's id; not null
     * @return the user as updated
     * @throws NotFoundException when no user has this id
     */
    User recordSuccessfulLogin(UUID id);

    /**
     * Records a wrong password, with the Python service's meaning, in one statement that locks the row
     * ({@code FOR UPDATE}) before it updates it, so concurrent failures are serialised and each counted once:
     * <ul>
     * <li>locked now ({@code locked_until > now}): refused, nothing changes ({@link LoginFailure#counted()} false);</li>
     * <li>a lock that has run out: a fresh start, this failure is the first ({@code 1}, lock cleared);</li>
     * <li>otherwise the count goes up by one (a NULL count reads as 0); reaching {@code maxFailedLogins} locks
     * the account until now + {@code lockDuration}. The count never goes past {@code maxFailedLogins}, so a
     * locked row always holds exactly that count, as every locked production row does.</li>
     * </ul>
     * Served by {@code users_pkey}. Runs on the primary.
     *
     * @param id the user's id; not null
     * @return whether this failure was counted, the count and lock after it, and whether the user is locked now
     * @throws NotFoundException when no user has this id
     */
    LoginFailure recordFailedLogin(UUID id);

    /**
     * Whether the user is locked at {@code instant} (see {@link User#isLockedAt}: a lock that has run out is
     * no lock). Served by {@code users_pkey}.
     * Runs on the primary: a lock another instance just recorded must not look absent on a lagging replica.
     *
     * @param id      the user's id; not null
     * @param instant the moment to judge the lock at; not null
     * @return true when {@code locked_until} is after {@code instant}
     * @throws NotFoundException when no user has this id
     */
    boolean isLocked(UUID id, Instant instant);

    /**
     * Deletes the user; the database cascades to their refresh tokens, uploads and analyses (prompts the
     * user created keep pointing at them, so such a user cannot be deleted: the foreign key
     * {@code prompts_created_by_fkey} refuses it). Runs on the primary.
     *
     * @return whether a user was deleted
     * @param id the user's id; not null
     */
    boolean delete(UUID id);
}
