package com.airesumereview.db.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a login may go on to the password check, decided as the Python service decides it, before the
 * password is looked at (see {@code UserRepository.attemptLogin}).
 *
 * <pre>{@code
 * LoginAttempt attempt = db.users().attemptLogin(email);
 * if (attempt instanceof LoginAttempt.CheckPassword ok) {
 *     if (bcrypt.matches(password, ok.user().passwordHash())) {
 *         db.users().recordSuccessfulLogin(ok.user().id());
 *     } else {
 *         db.users().recordFailedLogin(ok.user().id());      // the 5th in a row locks for 30 minutes
 *     }
 * } else if (attempt instanceof LoginAttempt.Locked locked) {
 *     tooManyAttempts(locked.lockedUntil());                 // nothing was counted
 * } else {
 *     invalidCredentials();                                  // Inactive, UnknownEmail
 * }
 * }</pre>
 */
public sealed interface LoginAttempt
        permits LoginAttempt.CheckPassword, LoginAttempt.Locked, LoginAttempt.Inactive, LoginAttempt.UnknownEmail {

    /**
     * The account is active and not locked: check the password now. A lock that had run out was cleared
     * first (count 0, no lock), so the user has a fresh set of attempts.
     *
     * @param user the user as stored after that clearing
     */
    record CheckPassword(User user) implements LoginAttempt {
        /**
         * Requires the user.
         *
         * @param user the user as stored; null is refused with {@link NullPointerException}
         */
        public CheckPassword {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * The account is locked: the login is refused before the password is checked, and nothing was written.
     *
     * @param user        the user as stored
     * @param lockedUntil when the lock runs out
     */
    record Locked(User user, Instant lockedUntil) implements LoginAttempt {
    }

    /**
     * The account is deactivated ({@code is_active = false}): it cannot log in; nothing was written.
     *
     * @param user the user as stored
     */
    record Inactive(User user) implements LoginAttempt {
    }

    /** No user has this email; nothing was written. */
    record UnknownEmail() implements LoginAttempt {
    }
}
