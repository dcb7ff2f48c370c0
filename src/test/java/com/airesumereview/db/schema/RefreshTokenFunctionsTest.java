package com.airesumereview.db.schema;

import static com.airesumereview.db.schema.SchemaRows.ago;
import static com.airesumereview.db.schema.SchemaRows.fromNow;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The maintenance functions services call on refresh_tokens. Tokens are named by session id. */
@ExtendWith(SnapshotDatabaseExtension.class)
class RefreshTokenFunctionsTest {

    @Test
    void expireRefreshTokensMarksOnlyActiveTokensPastExpiryAsExpired(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        UUID other = rows.user();
        rows.refreshToken(user, "active-past", "active", ago(Duration.ofDays(8)), ago(Duration.ofHours(1)));
        rows.refreshToken(other, "other-active-past", "active", ago(Duration.ofDays(8)), ago(Duration.ofDays(1)));
        rows.refreshToken(user, "active-future", "active", ago(Duration.ofHours(1)), fromNow(Duration.ofDays(7)));
        rows.refreshToken(user, "revoked-past", "revoked", ago(Duration.ofDays(8)), ago(Duration.ofHours(1)));
        rows.refreshToken(user, "revoked-future", "revoked", ago(Duration.ofHours(1)), fromNow(Duration.ofDays(7)));

        rows.queryForObject("SELECT expire_refresh_tokens()::text", String.class);

        assertThat(allSessions(rows)).containsExactlyInAnyOrder(
                "active-past=expired", "other-active-past=expired", "active-future=active",
                "revoked-past=revoked", "revoked-future=revoked");
    }

    @Test
    void cleanupDeletesLongExpiredAndOldRevokedTokensAndReturnsTheCount(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        // expired: judged by expires_at, 30 days
        rows.refreshToken(user, "expired-31-days", "expired", ago(Duration.ofDays(40)), ago(Duration.ofDays(31)));
        rows.refreshToken(user, "expired-29-days", "expired", ago(Duration.ofDays(40)), ago(Duration.ofDays(29)));
        // revoked: judged by created_at, 7 days
        rows.refreshToken(user, "revoked-created-8-days", "revoked", ago(Duration.ofDays(8)), fromNow(Duration.ofDays(1)));
        rows.refreshToken(user, "revoked-created-6-days", "revoked", ago(Duration.ofDays(6)), ago(Duration.ofDays(40)));
        // active tokens are never deleted, however old
        rows.refreshToken(user, "active-ancient", "active", ago(Duration.ofDays(60)), ago(Duration.ofDays(50)));

        Integer deleted = rows.queryForObject("SELECT cleanup_expired_refresh_tokens()", Integer.class);

        assertThat(deleted).as("returned count").isEqualTo(2);
        assertThat(allSessions(rows)).containsExactlyInAnyOrder(
                "expired-29-days=expired", "revoked-created-6-days=revoked", "active-ancient=active");
    }

    @Test
    void cleanupReturnsZeroWhenNothingIsOldEnough(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        rows.refreshToken(user, "expired-recently", "expired", ago(Duration.ofDays(8)), ago(Duration.ofDays(1)));
        rows.refreshToken(user, "revoked-recently", "revoked", ago(Duration.ofDays(1)), fromNow(Duration.ofDays(6)));

        assertThat(rows.queryForObject("SELECT cleanup_expired_refresh_tokens()", Integer.class)).isZero();
        assertThat(rows.count("refresh_tokens")).isEqualTo(2);
    }

    private static List<String> allSessions(SchemaRows rows) throws SQLException {
        return rows.queryForList("SELECT session_id || '=' || status FROM refresh_tokens", String.class);
    }
}
