package com.airesumereview.db.domain;

import java.time.Instant;

/**
 * The state of a user right after a failed login was recorded (see {@code UserRepository.recordFailedLogin});
 * read from the same UPDATE, so concurrent failures each see their own count.
 *
 * @param counted             false when the account was locked at that moment: the attempt was refused and
 *                            the count did not change (the Python service's behaviour)
 * @param failedLoginAttempts the count after this call (including this failure when {@code counted})
 * @param lockedUntil         the lock's end, or null when the user is not locked
 * @param locked              whether {@code lockedUntil} lies after the database's current time
 */
public record LoginFailure(boolean counted, int failedLoginAttempts, Instant lockedUntil, boolean locked) {
}
