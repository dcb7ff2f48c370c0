package com.airesumereview.db.schema;

import static com.airesumereview.db.schema.SchemaRows.ago;
import static com.airesumereview.db.schema.SchemaRows.fromNow;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code trigger_limit_user_sessions} (BEFORE INSERT on refresh_tokens): when the user already has 3 or
 * more tokens that are active and unexpired, the oldest of those (by created_at) becomes revoked.
 * Tokens are named by session id; the result is read as "session=status".
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class SessionLimitTriggerTest {
    private static final OffsetDateTime IN_A_WEEK = fromNow(Duration.ofDays(7));

    @Test
    void fourthActiveTokenRevokesExactlyTheOldestByCreatedAt(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        // Inserted out of age order, so the trigger must pick by created_at, not by insertion.
        rows.refreshToken(user, "middle", "active", ago(Duration.ofHours(2)), IN_A_WEEK);
        rows.refreshToken(user, "oldest", "active", ago(Duration.ofHours(3)), IN_A_WEEK);
        rows.refreshToken(user, "newest", "active", ago(Duration.ofHours(1)), IN_A_WEEK);
        assertThat(sessions(rows, user)).as("three sessions are allowed")
                .containsExactlyInAnyOrder("middle=active", "oldest=active", "newest=active");

        rows.refreshToken(user, "fourth", "active", ago(Duration.ZERO), IN_A_WEEK);

        assertThat(sessions(rows, user))
                .containsExactlyInAnyOrder("oldest=revoked", "middle=active", "newest=active", "fourth=active");
    }

    @Test
    void expiredAndRevokedTokensDoNotCountTowardsTheLimit(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        rows.refreshToken(user, "active-but-past-expiry", "active", ago(Duration.ofDays(10)), ago(Duration.ofHours(1)));
        rows.refreshToken(user, "marked-expired", "expired", ago(Duration.ofDays(9)), ago(Duration.ofDays(2)));
        rows.refreshToken(user, "revoked", "revoked", ago(Duration.ofDays(8)), IN_A_WEEK);
        rows.refreshToken(user, "a", "active", ago(Duration.ofHours(3)), IN_A_WEEK);
        rows.refreshToken(user, "b", "active", ago(Duration.ofHours(2)), IN_A_WEEK);

        rows.refreshToken(user, "c", "active", ago(Duration.ZERO), IN_A_WEEK);

        assertThat(sessions(rows, user)).as("only 2 counted before 'c', so nothing is revoked")
                .containsExactlyInAnyOrder("active-but-past-expiry=active", "marked-expired=expired",
                        "revoked=revoked", "a=active", "b=active", "c=active");
    }

    @Test
    void revokesTheOldestUnexpiredTokenNotAnOlderOneThatIsPastExpiry(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        rows.refreshToken(user, "active-but-past-expiry", "active", ago(Duration.ofDays(10)), ago(Duration.ofHours(1)));
        rows.refreshToken(user, "a", "active", ago(Duration.ofHours(3)), IN_A_WEEK);
        rows.refreshToken(user, "b", "active", ago(Duration.ofHours(2)), IN_A_WEEK);
        rows.refreshToken(user, "c", "active", ago(Duration.ofHours(1)), IN_A_WEEK);

        rows.refreshToken(user, "d", "active", ago(Duration.ZERO), IN_A_WEEK);

        assertThat(sessions(rows, user)).containsExactlyInAnyOrder(
                "active-but-past-expiry=active", "a=revoked", "b=active", "c=active", "d=active");
    }

    @Test
    void tokensOfOtherUsersAreUntouched(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        UUID other = rows.user();
        // The other user's tokens are older than any of the user's: a missing user filter would pick them.
        rows.refreshToken(other, "other-1", "active", ago(Duration.ofDays(3)), IN_A_WEEK);
        rows.refreshToken(other, "other-2", "active", ago(Duration.ofDays(2)), IN_A_WEEK);
        rows.refreshToken(other, "other-3", "active", ago(Duration.ofDays(1)), IN_A_WEEK);
        rows.refreshToken(user, "a", "active", ago(Duration.ofHours(3)), IN_A_WEEK);
        rows.refreshToken(user, "b", "active", ago(Duration.ofHours(2)), IN_A_WEEK);
        rows.refreshToken(user, "c", "active", ago(Duration.ofHours(1)), IN_A_WEEK);

        rows.refreshToken(user, "d", "active", ago(Duration.ZERO), IN_A_WEEK);

        assertThat(sessions(rows, other)).containsExactlyInAnyOrder("other-1=active", "other-2=active", "other-3=active");
        assertThat(sessions(rows, user)).containsExactlyInAnyOrder("a=revoked", "b=active", "c=active", "d=active");
    }

    /** The trigger does not look at the new row's status: even inserting a revoked token evicts a session. */
    @Test
    void insertingANonActiveTokenAlsoRevokesTheOldestWhenThreeAreActive(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        rows.refreshToken(user, "a", "active", ago(Duration.ofHours(3)), IN_A_WEEK);
        rows.refreshToken(user, "b", "active", ago(Duration.ofHours(2)), IN_A_WEEK);
        rows.refreshToken(user, "c", "active", ago(Duration.ofHours(1)), IN_A_WEEK);

        rows.refreshToken(user, "already-revoked", "revoked", ago(Duration.ZERO), IN_A_WEEK);

        assertThat(sessions(rows, user)).containsExactlyInAnyOrder(
                "a=revoked", "b=active", "c=active", "already-revoked=revoked");
    }

    private static List<String> sessions(SchemaRows rows, UUID user) throws SQLException {
        return rows.queryForList("SELECT session_id || '=' || status FROM refresh_tokens WHERE user_id = ?",
                String.class, user);
    }
}
