package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import java.util.Objects;
import java.util.UUID;

/**
 * What a caller supplies to open a session (one row of {@code refresh_tokens}), built by name. The repository
 * stores only the lowercase hex SHA-256 of the raw token, sets {@code expires_at = now + sessionLifetime}
 * (configured once, default 7 days) and, when no session id is given, a new random UUID as the session id,
 * as the Python service does at login. The repository checks before any SQL: raw token at most 4096
 * characters, session id a lowercase UUID in text form (36 characters), IP address at most 45 characters.
 *
 * <pre>{@code
 * IssuedToken session = db.refreshTokens().issue(NewRefreshToken.forUser(user.id())
 *         .rawToken(rawToken)
 *         .deviceInfo(userAgent)
 *         .ipAddress(clientIp)
 *         .build());
 * }</pre>
 */
public final class NewRefreshToken {
    private final UUID userId;
    private final String rawToken;
    private final String sessionId;
    private final String deviceInfo;
    private final String ipAddress;

    private NewRefreshToken(Builder b) {
        this.userId = b.userId;
        this.rawToken = b.rawToken;
        this.sessionId = b.sessionId;
        this.deviceInfo = b.deviceInfo;
        this.ipAddress = b.ipAddress;
    }

    /**
     * A builder for a token of {@code userId}.
     *
     * @param userId the owner's {@code users.id}; required (null is refused by {@link Builder#build()})
     * @return a new builder with only the owner set
     */
    public static Builder forUser(UUID userId) {
        Builder b = new Builder();
        b.userId = userId;
        return b;
    }

    /** {@return the owner} */
    public UUID userId() {
        return userId;
    }

    /** {@return the token handed to the client; never stored, never printed} */
    public String rawToken() {
        return rawToken;
    }

    /** {@return the session id (kept for the session's life), or null for a new random one} */
    public String sessionId() {
        return sessionId;
    }

    /** {@return the client's User-Agent, or null} */
    public String deviceInfo() {
        return deviceInfo;
    }

    /** {@return the client's address as text, or null} */
    public String ipAddress() {
        return ipAddress;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewRefreshToken t && userId.equals(t.userId) && rawToken.equals(t.rawToken)
                && Objects.equals(sessionId, t.sessionId) && Objects.equals(deviceInfo, t.deviceInfo)
                && Objects.equals(ipAddress, t.ipAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, rawToken, sessionId, deviceInfo, ipAddress);
    }

    /** Masks the raw token. */
    @Override
    public String toString() {
        return "NewRefreshToken[userId=" + userId + ", rawToken=***, sessionId=" + sessionId + ", deviceInfo="
                + deviceInfo + ", ipAddress=" + ipAddress + "]";
    }

    /** Collects the fields of a {@link NewRefreshToken} by name; user and raw token are required. */
    public static final class Builder {
        private UUID userId;
        private String rawToken;
        private String sessionId;
        private String deviceInfo;
        private String ipAddress;

        private Builder() {
        }

        /**
         * Sets the token handed to the client; only its SHA-256 is stored.
         *
         * @param rawToken the raw token, at most 4096 characters; required
         * @return this builder
         */
        public Builder rawToken(String rawToken) {
            this.rawToken = rawToken;
            return this;
        }

        /**
         * Sets an existing session id to keep; leave unset for a new random one.
         *
         * @param sessionId a lowercase UUID in text form (36 characters), or null for a new random one
         * @return this builder
         */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /**
         * Sets the client's User-Agent.
         *
         * @param deviceInfo the client's User-Agent (any length), or null
         * @return this builder
         */
        public Builder deviceInfo(String deviceInfo) {
            this.deviceInfo = deviceInfo;
            return this;
        }

        /**
         * Sets the client's address.
         *
         * @param ipAddress the client's address as text, at most 45 characters, or null
         * @return this builder
         */
        public Builder ipAddress(String ipAddress) {
            this.ipAddress = ipAddress;
            return this;
        }

        /**
         * The input, checked.
         *
         * @return the token's input; the builder may be reused
         * @throws ValidationException naming the field ({@code refreshToken.userId}, {@code refreshToken.rawToken})
         *                             when it is missing; the token is never shown
         */
        public NewRefreshToken build() {
            Checks.required("refreshToken.userId", userId);
            if (rawToken == null) {
                throw new ValidationException("refreshToken.rawToken", "is required", "null");
            }
            return new NewRefreshToken(this);
        }
    }
}
