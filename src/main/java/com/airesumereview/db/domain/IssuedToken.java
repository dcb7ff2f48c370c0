package com.airesumereview.db.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A newly issued refresh token and the session that production's trigger {@code trigger_limit_user_sessions}
 * revoked to make room for it (a user keeps at most 3 active, unexpired tokens; the oldest goes).
 *
 * @param token     the new token, as stored
 * @param displaced the token the trigger revoked, as it reads after the insert; null when none
 */
public record IssuedToken(RefreshToken token, RefreshToken displaced) {

    /** Requires the token. */
    public IssuedToken {
        Objects.requireNonNull(token, "token");
    }

    /** The session revoked to make room for this token, if any. */
    public Optional<RefreshToken> displacedSession() {
        return Optional.ofNullable(displaced);
    }
}
