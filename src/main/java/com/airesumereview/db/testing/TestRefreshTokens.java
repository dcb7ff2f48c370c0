package com.airesumereview.db.testing;

import com.airesumereview.db.domain.NewRefreshToken;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Valid {@link NewRefreshToken} values for tests: a random raw token, a random UUID session id (the form of
 * every production session id), a device and an address; the repository sets the expiry (now + the
 * configured session lifetime). No shared state beyond a thread-safe random source.
 * <pre>{@code
 * NewRefreshToken t = TestRefreshTokens.newToken(user.id());
 * IssuedToken issued = db.refreshTokens().issue(t);
 * db.refreshTokens().findActive(t.rawToken());   // present
 * }</pre>
 */
public final class TestRefreshTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestRefreshTokens() {
    }

    /**

     * A token for {@code userId} in a new session.

     *

     * @param userId the session's user (users.id)

     * @return a token with a random raw value, not yet issued

     */
    public static NewRefreshToken newToken(UUID userId) {
        return newToken(userId, newSessionId());
    }

    /**

     * A token for {@code userId} in the given session (a lower-case UUID in text form).

     *

     * @param userId    the session's user (users.id)

     * @param sessionId the session id

     * @return a token with a random raw value, not yet issued

     */
    public static NewRefreshToken newToken(UUID userId, String sessionId) {
        return NewRefreshToken.forUser(userId)
                .rawToken(rawToken()).sessionId(sessionId).deviceInfo("JUnit/5 (test)").ipAddress("203.0.113.7").build();
    }

    /** {@return a random raw token (64 hex characters of entropy, prefixed so it is recognisable in a debugger)} */
    public static String rawToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "rt_" + HexFormat.of().formatHex(bytes);
    }

    /** {@return a random session id: a UUID in text form (36 characters), as the Python service makes them} */
    public static String newSessionId() {
        return UUID.randomUUID().toString();
    }
}
