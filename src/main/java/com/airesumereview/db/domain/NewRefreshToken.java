package com.airesumereview.db.domain;

import java.util.UUID;

/**
 * What a caller supplies to open a session (one row of {@code refresh_tokens}). The repository stores only
 * the lowercase hex SHA-256 of {@code rawToken}, sets {@code expires_at = now + sessionLifetime} (configured
 * once, default 7 days) and, when {@code sessionId} is null, a new random UUID as the session id, as the
 * Python service does at login. Validated before any SQL: raw token required (at most 4096 characters),
 * session id null or a lowercase UUID in text form (36 characters), IP address at most 45 characters.
 *
 * <pre>{@code
 * IssuedToken session = db.refreshTokens().issue(NewRefreshToken.of(user.id(), rawToken, userAgent, clientIp));
 * }</pre>
 *
 * @param userId     the owner
 * @param rawToken   the token handed to the client; never stored, never printed
 * @param sessionId  the session id (kept for the session's life), or null for a new random one
 * @param deviceInfo the client's User-Agent, or null
 * @param ipAddress  the client's address as text, or null
 */
public record NewRefreshToken(UUID userId, String rawToken, String sessionId, String deviceInfo, String ipAddress) {

    /** A token in a new session, with a random session id chosen by the repository. */
    public static NewRefreshToken of(UUID userId, String rawToken, String deviceInfo, String ipAddress) {
        return new NewRefreshToken(userId, rawToken, null, deviceInfo, ipAddress);
    }

    /** Masks the raw token. */
    @Override
    public String toString() {
        return "NewRefreshToken[userId=" + userId + ", rawToken=***, sessionId=" + sessionId + ", deviceInfo="
                + deviceInfo + ", ipAddress=" + ipAddress + "]";
    }
}
