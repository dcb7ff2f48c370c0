package com.airesumereview.db.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What a caller supplies to issue a refresh token. The repository stores only the lowercase hex
 * SHA-256 of {@code rawToken}. Validated before any SQL: raw token required (at most 4096 characters),
 * session id required and not blank (at most 255), IP address at most 45 characters, expiry in the future.
 *
 * @param userId     the owner
 * @param rawToken   the token handed to the client; never stored, never printed
 * @param sessionId  the session this token belongs to (kept across rotations)
 * @param deviceInfo free text describing the device, or null
 * @param ipAddress  the client's address as text, or null
 * @param expiresAt  when the token stops being accepted
 */
public record NewRefreshToken(UUID userId, String rawToken, String sessionId, String deviceInfo, String ipAddress,
                              Instant expiresAt) {

    /** Masks the raw token. */
    @Override
    public String toString() {
        return "NewRefreshToken[userId=" + userId + ", rawToken=***, sessionId=" + sessionId + ", deviceInfo="
                + deviceInfo + ", ipAddress=" + ipAddress + ", expiresAt=" + expiresAt + "]";
    }
}
