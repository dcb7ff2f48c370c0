package com.airesumereview.db.domain;

import java.util.Objects;

/**
 * What happened when a client presented a refresh token for rotation (see {@code RefreshTokenRepository.rotate}).
 * Every outcome is a value, not an exception; only {@link Rotated} wrote anything.
 *
 * <pre>{@code
 * if (db.refreshTokens().rotate(presented, newRaw) instanceof RotationResult.Rotated) {
 *     respond(newRaw);
 * } else {
 *     unauthorized();          // LostRace, Expired, Revoked, UnknownToken: nothing was written
 * }
 * }</pre>
 * A token replaced by an earlier rotation matches no row any more (its hash was overwritten), so presenting
 * it again is {@link UnknownToken}: there is no reuse detection (see README, "Running beside the Python service").
 */
public sealed interface RotationResult
        permits RotationResult.Rotated, RotationResult.LostRace, RotationResult.Expired, RotationResult.Revoked,
        RotationResult.UnknownToken {

    /**
     * The presented token was active and unexpired: the session's one row (same id, same session id) now
     * holds the new token's hash, {@code last_used_at = now} and {@code expires_at = now + sessionLifetime}.
     *
     * @param token the session's row after rotation
     */
    record Rotated(RefreshToken token) implements RotationResult {
        /**
         * Requires the token.
         *
         * @param token the session's row after rotation; null is refused with {@link NullPointerException}
         */
        public Rotated {
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * Another caller rotated (or revoked) the same token between this call's read and its compare-and-set:
     * that caller won; nothing was written by this call. Of two concurrent rotations of one token exactly one
     * wins.
     *
     * @param session the session's row as it reads now
     */
    record LostRace(RefreshToken session) implements RotationResult {
    }

    /**
     * The presented token is expired (status expired, or active past its {@code expires_at}); nothing written.
     *
     * @param presented the presented token as it was found
     */
    record Expired(RefreshToken presented) implements RotationResult {
    }

    /**
     * The presented token's session was revoked (logout, "log out everywhere", the session limit); nothing written.
     *
     * @param presented the presented token as it was found
     */
    record Revoked(RefreshToken presented) implements RotationResult {
    }

    /** No row holds the presented token's hash (never issued, or replaced by a rotation); nothing written. */
    record UnknownToken() implements RotationResult {
    }
}
