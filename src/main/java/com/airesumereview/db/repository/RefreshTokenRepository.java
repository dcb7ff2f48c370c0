package com.airesumereview.db.repository;

import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions and their refresh tokens ({@code refresh_tokens}), with the Python service's meaning: a session
 * is <em>one row</em> for its whole life (one row per {@code session_id}); a refresh rotates that row in
 * place. Only the lowercase hex SHA-256 of a raw token is stored or compared; raw tokens and hashes never
 * appear in messages.
 *
 * <p>A token is usable only when {@code status = 'active'} <em>and</em> {@code expires_at > now()}: production
 * holds 'active' rows past their expiry (until {@code expire_refresh_tokens()} runs), and they are expired.
 * {@code expires_at} is always now + {@code sessionLifetime} at issue or rotation, taken once from
 * {@code ResumeReviewDbConfig} (default 7 days, the Python service's).
 *
 * <p>Production's trigger {@code trigger_limit_user_sessions} revokes a user's oldest active, unexpired
 * token when a fourth is inserted; {@link #issue} reports which one. This class never reactivates a row.
 *
 * <p>Indexes used: {@code refresh_tokens_token_hash_key} (lookups by token), {@code idx_refresh_tokens_session_id}
 * (a session by id), {@code idx_refresh_tokens_user_status} (a user's active tokens),
 * {@code idx_refresh_tokens_user_session}, {@code refresh_tokens_pkey}.
 *
 * <p>Thread-safe. The library implements it ({@code ResumeReviewDb} hands it out); services may mock it in
 * their own tests.
 */
public interface RefreshTokenRepository {
    /**
     * Opens a session, as a login in the Python service does: one row with the token's hash, status active,
     * {@code expires_at = now + sessionLifetime}, the given or a new random UUID session id; reports the session
     * that the limit trigger revoked to make room, if any.
     *
     * <p>Three statements sent together, in one round trip and one transaction: lock the user's active tokens
     * ({@code SELECT ... FOR UPDATE}, so no concurrent call changes them), insert (the trigger may revoke one of
     * them), then read which of the locked tokens this transaction revoked. The trigger stays the source of truth;
     * this only observes it. Runs on the primary.
     *
     * @param token the user, the raw token (only its hash is stored), optional session id, device and address
     * @return the stored token and the session the limit trigger revoked, if any
     * @throws ValidationException                                when a field breaks its rule (nothing written)
     * @throws com.airesumereview.db.DuplicateException           constraint {@code refresh_tokens_token_hash_key}
     *                                                            when the raw token was issued before
     * @throws com.airesumereview.db.ConstraintViolationException foreign key {@code refresh_tokens_user_id_fkey}
     *                                                            when no user has {@code userId}
     */
    IssuedToken issue(NewRefreshToken token);

    /**
     * The token with this raw form if it is usable (active and unexpired, by the database's clock), else
     * empty. Served by {@code refresh_tokens_token_hash_key}.
     * Runs on the primary: a token another instance just revoked must not look usable on a lagging replica.
     *
     * @param rawToken the token as the client holds it; not blank, at most 4096 characters
     * @return the usable token, or empty when it is unknown, revoked or expired
     */
    Optional<RefreshToken> findActive(String rawToken);

    /**
     * The token with this raw form in any status, or empty. Served by {@code refresh_tokens_token_hash_key}.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param rawToken the token as the client holds it; not blank, at most 4096 characters
     * @return the token in any status, or empty when no row holds it
     */
    Optional<RefreshToken> findByRawToken(String rawToken);

    /**
     * The session with this id, in any status (production holds one row per session id). Served by
     * {@code idx_refresh_tokens_session_id}.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param sessionId the session id ({@code refresh_tokens.session_id})
     * @return the session's row, or empty when there is none
     * @throws ValidationException when the id is null or longer than 255 characters
     */
    Optional<RefreshToken> findBySessionId(String sessionId);

    /**
     * Rotates a presented token <em>in place</em>, as the Python service does: the session's one row (same
     * {@code id}, same {@code session_id}) gets the new token's hash, {@code last_used_at = now} and
     * {@code expires_at = now + sessionLifetime}. The presented raw token then matches no row.
     *
     * <p>One statement: it finds the row by hash, locks it ({@code FOR UPDATE}) and sets it only where
     * {@code token_hash = <presented> AND status = 'active' AND expires_at > now()} still holds (compare-and-set);
     * otherwise it returns the row as it is now. Of two concurrent rotations of one token exactly one
     * changes the row ({@link RotationResult.Rotated}); the other changes nothing and gets
     * {@link RotationResult.LostRace}. A token that was not usable when read gives {@link RotationResult.Expired},
     * {@link RotationResult.Revoked} or {@link RotationResult.UnknownToken}, nothing written. No reuse detection:
     * a replaced token matches no row, and the library stores no extra row to remember it (README says why).
     * Served by {@code refresh_tokens_token_hash_key} and {@code refresh_tokens_pkey}.
     * Runs on the primary: a lagging replica would miss a fresh token or report a replaced one.
     *
     * @param presentedRawToken the token the client presented
     * @param newRawToken       the successor handed to the client; must differ from {@code presentedRawToken}
     * @return what happened: rotated (with the row as stored), lost a race, expired, revoked or unknown token
     * @throws ValidationException when an input breaks its rule, including a successor equal to the presented
     *                             token, which would leave it valid (nothing written)
     */
    RotationResult rotate(String presentedRawToken, String newRawToken);

    /**
     * Logout: revokes the presented token's session if it is active. Served by {@code refresh_tokens_token_hash_key}.
     * Runs on the primary.
     *
     * @param rawToken the token as the client holds it; not blank, at most 4096 characters
     * @return the session's row after revocation; empty when no active row holds this token
     */
    Optional<RefreshToken> logout(String rawToken);

    /**
     * Revokes one of the user's sessions by id (e.g. from a "your devices" screen). Served by
     * {@code idx_refresh_tokens_user_session}. Runs on the primary.
     *
     * @param userId    the user's id; not null
     * @param sessionId the session to revoke; not null, at most 255 characters
     * @return the session's row after revocation; empty when it was not active or is not the user's
     */
    Optional<RefreshToken> revokeSession(UUID userId, String sessionId);

    /**
     * Logs the user out everywhere except {@code keepSessionId} (after a password change, "sign out other
     * devices"): revokes every other active row. Served by {@code idx_refresh_tokens_user_status}. Runs on the primary.
     *
     * @param userId        the user's id; not null
     * @param keepSessionId the session to keep (usually the caller's own); not null, at most 255 characters
     * @return the rows revoked
     */
    List<RefreshToken> revokeAllExcept(UUID userId, String keepSessionId);

    /**
     * "Log out everywhere": revokes every active row of the user. Served by {@code idx_refresh_tokens_user_status}.
     * Runs on the primary.
     *
     * @param userId the user's id; not null
     * @return the rows revoked
     */
    List<RefreshToken> revokeAll(UUID userId);

    /**
     * The user's active sessions (usable: active and unexpired), most recently used first
     * ({@code last_used_at DESC}, then id). Served by {@code idx_refresh_tokens_user_status}; the trigger keeps
     * at most 3 such rows per user, sorted in memory.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param userId the user's id; not null
     * @return the usable sessions; empty when the user has none
     */
    List<RefreshToken> listActiveSessions(UUID userId);

    /**
     * How many active sessions {@link #listActiveSessions} would list. Served by {@code idx_refresh_tokens_user_status}.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param userId the user's id; not null
     * @return the number of usable sessions, 0 when none
     */
    int countActiveSessions(UUID userId);

    /**
     * Marks every active token past its expiry as expired, through production's
     * {@code expire_refresh_tokens()} (which reports no count). Runs on the primary.
     */
    void markOverdueExpired();

    /**
     * Deletes tokens expired for more than 30 days and revoked tokens created more than 7 days ago,
     * through production's {@code cleanup_expired_refresh_tokens()}. Runs on the primary.
     *
     * @return the number of tokens deleted
     */
    int deleteStaleTokens();
}
