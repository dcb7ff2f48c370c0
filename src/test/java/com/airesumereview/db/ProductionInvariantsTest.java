package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The invariant check itself: silent on rows shaped like production's, and failing, with the invariant's
 * name and the offending row's key, when a row breaks one. Rows are written with plain SQL, as another
 * writer could. (Not registered with {@link ProductionInvariantsExtension}: these tests break invariants.)
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class ProductionInvariantsTest {
    private DataSource owner;

    @BeforeEach
    void connect(ProvisionedDatabase database) {
        owner = database.ownerDataSource();
    }

    @Test
    void holdsOnRowsShapedLikeProductions() {
        UUID expiredLock = user("expired.lock@example.com");
        exec("UPDATE users SET failed_login_attempts = 5, locked_until = now() - interval '2 hours' WHERE id = ?",
                expiredLock);
        UUID locked = user("locked@example.com");
        exec("UPDATE users SET failed_login_attempts = 5, locked_until = now() + interval '20 minutes' WHERE id = ?",
                locked);
        // an 'active' token past its expiry, issued 8 days ago with the 7-day lifetime
        token(expiredLock, UUID.randomUUID().toString(), "now() - interval '8 days'");
        for (int i = 0; i < 3; i++) {
            token(locked, UUID.randomUUID().toString(), "now()");
        }

        assertThatCode(() -> ProductionInvariants.assertHold(owner)).doesNotThrowAnyException();
    }

    @Test
    void namesTheInvariantAndTheSessionWhenTwoRowsShareASessionId() {
        UUID user = user("twice@example.com");
        String session = UUID.randomUUID().toString();
        token(user, session, "now()");
        token(user, session, "now()");

        assertThatThrownBy(() -> ProductionInvariants.assertHold(owner))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("refresh_tokens has exactly one row per session_id")
                .hasMessageContaining("refresh_tokens.session_id=" + session + " (2 rows)");
    }

    @Test
    void namesTheInvariantAndTheUserWhenAnEmailIsMixedCaseOrUntrimmed() {
        UUID mixed = user("Mixed.Case@Example.com");
        UUID padded = user(" padded@example.com");

        assertThatThrownBy(() -> ProductionInvariants.assertHold(owner))
                .hasMessageContaining("users.email is stored trimmed and lower-case: 2 offending row(s)")
                .hasMessageContaining("users.id=" + mixed)
                .hasMessageContaining("users.id=" + padded);
    }

    @Test
    void namesEveryOtherBrokenInvariantWithItsKey() {
        UUID untrimmedName = user("name@example.com");
        exec("UPDATE users SET first_name = 'Ada ' WHERE id = ?", untrimmedName);
        UUID nullCount = user("null.count@example.com");
        exec("UPDATE users SET failed_login_attempts = NULL WHERE id = ?", nullCount);
        UUID earlyLock = user("early.lock@example.com");
        exec("UPDATE users SET failed_login_attempts = 2, locked_until = now() + interval '5 minutes' WHERE id = ?",
                earlyLock);
        UUID owner4 = user("four.sessions@example.com");
        UUID prefixed = token(owner4, "session-" + UUID.randomUUID(), "now()");
        for (int i = 0; i < 3; i++) {
            token(owner4, UUID.randomUUID().toString(), "now()");
        }
        // the trigger revoked one of the four; make it active again, as a writer bypassing the trigger could
        exec("UPDATE refresh_tokens SET status = 'active' WHERE user_id = ?", owner4);
        UUID longLived = token(user("long.lived@example.com"), UUID.randomUUID().toString(), "now()");
        exec("UPDATE refresh_tokens SET expires_at = expires_at + interval '1 day' WHERE id = ?", longLived);

        assertThatThrownBy(() -> ProductionInvariants.assertHold(owner))
                .hasMessageContaining("users.first_name and users.last_name are stored trimmed: 1 offending row(s): users.id="
                        + untrimmedName)
                .hasMessageContaining("users.failed_login_attempts is never NULL: 1 offending row(s): users.id=" + nullCount)
                .hasMessageContaining("users.locked_until is set only when failed_login_attempts reached 5: 1 offending"
                        + " row(s): users.id=" + earlyLock)
                .hasMessageContaining("refresh_tokens.session_id is a UUID in text form (36 characters): 1 offending"
                        + " row(s): refresh_tokens.id=" + prefixed)
                .hasMessageContaining("refresh_tokens.expires_at = time of issue or of the last rotation + PT168H: 1"
                        + " offending row(s): refresh_tokens.id=" + longLived)
                .hasMessageContaining("a user has at most 3 active (unexpired) refresh_tokens rows: 1 offending row(s):"
                        + " users.id=" + owner4 + " (4 active rows)");
    }

    private UUID user(String email) {
        return UUID.fromString(query("INSERT INTO users (email, password_hash, first_name, last_name)"
                + " VALUES (?, '" + TestUsers.PASSWORD_HASH + "', 'Ada', 'Lovelace') RETURNING id", email));
    }

    /** A token row as the Python service writes it at {@code issuedAt}: expires 7 days later. */
    private UUID token(UUID user, String session, String issuedAt) {
        return UUID.fromString(query("INSERT INTO refresh_tokens (user_id, token_hash, session_id, expires_at,"
                + " created_at, last_used_at) VALUES (?, md5(random()::text) || md5(random()::text), ?,"
                + issuedAt + " + interval '7 days', " + issuedAt + ", " + issuedAt + ") RETURNING id", user, session));
    }

    private void exec(String sql, Object... binds) {
        try (Connection c = owner.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                s.setObject(i + 1, binds[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private String query(String sql, Object... binds) {
        try (Connection c = owner.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                s.setObject(i + 1, binds[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
