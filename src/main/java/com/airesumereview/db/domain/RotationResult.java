package com.airesumereview.db.domain;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What happened when a client presented a refresh token for rotation. Every outcome is a value, not an
 * exception, so that the revocations of {@link ReuseDetected} are committed.
 *
 * <pre>{@code
 * RotationResult result = db.refreshTokens().rotate(presented, newRaw, expiresAt, ip);
 * if (result instanceof RotationResult.Rotated) {
 *     respond(newRaw);
 * } else if (result instanceof RotationResult.ReuseDetected reuse) {
 *     alertSecurity(reuse.userId());        // every session of the user is already revoked
 *     unauthorized();
 * } else {
 *     unauthorized();                       // LostRace, Expired, UnknownToken: nothing was written
 * }
 * }</pre>
 * Called inside {@code ResumeReviewDb.inTransaction}, the revocations of ReuseDetected commit or roll back
 * with the caller's transaction; on its own, rotate commits them before returning.
 */
public sealed interface RotationResult
        permits RotationResult.Rotated, RotationResult.ReuseDetected, RotationResult.LostRace,
        RotationResult.Expired, RotationResult.UnknownToken {

    /**
     * The presented token was active: it is now revoked and its successor issued, in one transaction.
     *
     * @param previous the presented token after rotation (status revoked)
     * @param issued   the successor, in the same session, and any session the limit trigger displaced
     */
    record Rotated(RefreshToken previous, IssuedToken issued) implements RotationResult {
        /** Requires both parts. */
        public Rotated {
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(issued, "issued");
        }
    }

    /**
     * The presented token had already been revoked: it was stolen or replayed. Every active session of
     * its user was revoked (committed).
     *
     * @param userId          the owner of the presented token
     * @param presented       the presented token as it was found
     * @param revokedSessions the tokens that this call revoked, as they read afterwards
     */
    record ReuseDetected(UUID userId, RefreshToken presented, List<RefreshToken> revokedSessions)
            implements RotationResult {
        /** Copies the list. */
        public ReuseDetected {
            revokedSessions = List.copyOf(revokedSessions);
        }
    }

    /**
     * Another caller rotated (or revoked) the same token between this call's read and its compare-and-set:
     * that caller won; nothing was written by this call.
     *
     * @param presented the presented token as it reads now
     */
    record LostRace(RefreshToken presented) implements RotationResult {
    }

    /**
     * The presented token is expired (status expired, or active past its expiry); nothing was written.
     *
     * @param presented the presented token as it was found
     */
    record Expired(RefreshToken presented) implements RotationResult {
    }

    /** No token has the presented token's hash; nothing was written. */
    record UnknownToken() implements RotationResult {
    }
}
