package com.airesumereview.db.domain;

import java.time.Instant;

/**
 * The state of a user right after one failed login was counted (see
 * {@code UserRepository.recordFailedLogin}); read from the same UPDATE that counted it, so concurrent
 * failures each see their own count.
 *
 * @param failedLoginAttempts the count including this failure
 * @param lockedUntil         the lock's end, or null when the user is not locked
 * @param locked              whether {@code lockedUntil} lies after the database's current time
 */
public record LoginFailure(int failedLoginAttempts, Instant lockedUntil, boolean locked) {
}
