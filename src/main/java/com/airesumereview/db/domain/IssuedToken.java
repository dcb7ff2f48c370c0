package com.airesumereview.db.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A newly issued refresh token and the session that production's trigger {@code trigger_limit_user_sessions}
 * revoked to make room for it (a user keeps at most 3 active, unexpired tokens; the oldest goes).
 *
 * @param token            the new token, as stored
 * @param displacedSession the token the trigger revoked, as it reads after the insert; empty when none
 */
public record IssuedToken(RefreshToken token, Optional<RefreshToken> displacedSession) {

    /**
     * Requires both parts ({@code Optional.empty()} when no session was displaced).
     *
     * @param token            the new token; null is refused with {@link NullPointerException}
     * @param displacedSession the revoked token, or empty; null is refused with {@link NullPointerException}
     */
    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(displacedSession, "displacedSession");
    }
}
