package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.ProductionInvariantsExtension;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.LoginAttempt;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestRefreshTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The auth flows played through the library, step by step, asserting after each step every column of the rows
 * against what python-service-behaviour.md says the Python service writes: the columns it names take the
 * named values, every other column keeps its value. "now" is the transaction time of the step, which
 * production's trigger also writes into {@code users.updated_at}.
 */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class PythonParityScenariosTest {
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String HASH = TestUsers.PASSWORD_HASH;

    /** The value a column must hold after a step: the step's transaction time (+ an offset). */
    private record Now(Duration plus) {
    }

    private static final Now NOW = new Now(Duration.ZERO);

    @Test
    void registerFailLockExpireLoginRefreshLogoutChangePasswordUnlockChangeEmail(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        // register: email lower-cased and trimmed, names trimmed, count 0 (never NULL), no lock
        UUID id = db.users().create(NewUser.builder()
                .email("  Ada.Lovelace@Example.COM ").passwordHash(HASH).firstName(" Ada ").lastName("Lovelace ")
                .role(UserRole.CONSULTANT).build()).id();
        Map<String, Object> user = row(dataSource, "users", id);
        assertThat(user).containsEntry("email", "ada.lovelace@example.com").containsEntry("password_hash", HASH)
                .containsEntry("first_name", "Ada").containsEntry("last_name", "Lovelace")
                .containsEntry("role", "consultant").containsEntry("is_active", "t").containsEntry("email_verified", "f")
                .containsEntry("last_login_at", null).containsEntry("failed_login_attempts", "0")
                .containsEntry("locked_until", null);
        Instant registered = (Instant) user.get("created_at");
        assertThat(registered).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(user.get("updated_at")).isEqualTo(registered);
        assertThat(user.get("password_changed_at")).isEqualTo(registered);

        // 5 wrong passwords: +1 each; the 5th locks for 30 minutes
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(db.users().attemptLogin("ada.lovelace@example.com")).isInstanceOf(LoginAttempt.CheckPassword.class);
            db.users().recordFailedLogin(id);
            Map<String, Object> changes = changes("failed_login_attempts", String.valueOf(attempt), "updated_at", NOW);
            if (attempt == 5) {
                changes.put("locked_until", new Now(Duration.ofMinutes(30)));
            }
            user = assertUserStep("wrong password " + attempt, dataSource, id, user, changes);
        }

        // a login on the locked account: refused before the password check, nothing written
        assertThat(db.users().attemptLogin("Ada.Lovelace@example.com")).isInstanceOf(LoginAttempt.Locked.class);
        db.users().recordFailedLogin(id);
        user = assertUserStep("attempts while locked", dataSource, id, user, Map.of());

        // the lock runs out (production holds 20 such rows): 5 fresh attempts, cleared before the password check
        new UserRows(dataSource).execute("UPDATE users SET locked_until = now() - interval '1 minute',"
                + " updated_at = updated_at WHERE id = ?", id);
        user = row(dataSource, "users", id);
        assertThat(db.users().attemptLogin("ada.lovelace@example.com")).isInstanceOf(LoginAttempt.CheckPassword.class);
        user = assertUserStep("login attempt after the lock ran out", dataSource, id, user,
                changes("failed_login_attempts", "0", "locked_until", null, "updated_at", NOW));

        // a right password: count 0, no lock, last_login_at = now; a session row as a login creates it
        db.users().recordSuccessfulLogin(id);
        user = assertUserStep("right password", dataSource, id, user, changes("last_login_at", NOW, "updated_at", NOW,
                "failed_login_attempts", "0", "locked_until", null));
        String laptopToken = TestRefreshTokens.rawToken();
        RefreshToken laptop = db.refreshTokens().issue(NewRefreshToken.forUser(id)
                .rawToken(laptopToken).deviceInfo(USER_AGENT).ipAddress("203.0.113.7").build())
                .token();
        Map<String, Object> session = row(dataSource, "refresh_tokens", laptop.id());
        assertThat(session).containsEntry("user_id", id.toString())
                .containsEntry("token_hash", RefreshToken.hashOf(laptopToken))
                .containsEntry("status", "active").containsEntry("device_info", USER_AGENT)
                .containsEntry("ip_address", "203.0.113.7");
        assertThat((String) session.get("session_id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(session.get("last_used_at")).isEqualTo(session.get("created_at"));
        assertThat(session.get("expires_at")).isEqualTo(((Instant) session.get("created_at")).plus(Duration.ofDays(7)));

        // three refreshes: the same row, same id and session_id; new hash, last_used_at = now, expires_at = now + 7 days
        String current = laptopToken;
        for (int refresh = 1; refresh <= 3; refresh++) {
            String next = TestRefreshTokens.rawToken();
            assertThat(db.refreshTokens().rotate(current, next)).isInstanceOf(RotationResult.Rotated.class);
            Map<String, Object> after = row(dataSource, "refresh_tokens", laptop.id());
            Instant used = (Instant) after.get("last_used_at");
            assertThat(used).isAfter((Instant) session.get("last_used_at"));
            assertColumns("refresh " + refresh, session, after, changes("token_hash", RefreshToken.hashOf(next),
                    "last_used_at", used, "expires_at", used.plus(Duration.ofDays(7))));
            assertThat(db.refreshTokens().findActive(current)).as("the old raw token matches nothing").isEmpty();
            session = after;
            current = next;
        }
        assertThat(new UserRows(dataSource).queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ?", id))
                .isEqualTo(1);

        // log out everywhere: every active row revoked, nothing else touched
        RefreshToken phone = db.refreshTokens().issue(NewRefreshToken.forUser(id)
                .rawToken(TestRefreshTokens.rawToken()).deviceInfo("Phone").ipAddress("198.51.100.4").build()).token();
        Map<String, Object> phoneRow = row(dataSource, "refresh_tokens", phone.id());
        db.refreshTokens().revokeAll(id);
        assertColumns("log out everywhere (laptop)", session, row(dataSource, "refresh_tokens", laptop.id()),
                changes("status", "revoked"));
        assertColumns("log out everywhere (phone)", phoneRow, row(dataSource, "refresh_tokens", phone.id()),
                changes("status", "revoked"));
        user = assertUserStep("log out everywhere", dataSource, id, user, Map.of());

        // a password change: hash, password_changed_at = now, count 0, no lock; the other sessions revoked
        RefreshToken here = db.refreshTokens().issue(NewRefreshToken.forUser(id)
                .rawToken(TestRefreshTokens.rawToken()).deviceInfo(USER_AGENT).ipAddress("203.0.113.7").build()).token();
        RefreshToken there = db.refreshTokens().issue(NewRefreshToken.forUser(id)
                .rawToken(TestRefreshTokens.rawToken()).deviceInfo("Tablet").build()).token();
        Map<String, Object> hereRow = row(dataSource, "refresh_tokens", here.id());
        Map<String, Object> thereRow = row(dataSource, "refresh_tokens", there.id());
        db.users().recordFailedLogin(id);
        user = row(dataSource, "users", id);
        String newHash = TestUsers.passwordHash();
        db.inTransaction(tx -> {
            tx.users().setPassword(id, newHash);
            return tx.refreshTokens().revokeAllExcept(id, here.sessionId());
        });
        user = assertUserStep("password change", dataSource, id, user, changes("password_hash", newHash,
                "password_changed_at", NOW, "failed_login_attempts", "0", "locked_until", null, "updated_at", NOW));
        assertColumns("password change (current session)", hereRow, row(dataSource, "refresh_tokens", here.id()), Map.of());
        assertColumns("password change (other session)", thereRow, row(dataSource, "refresh_tokens", there.id()),
                changes("status", "revoked"));

        // an admin unlock: count 0, no lock, last_login_at and everything else untouched
        for (int i = 0; i < 5; i++) {
            db.users().recordFailedLogin(id);
        }
        user = row(dataSource, "users", id);
        assertThat(user).containsEntry("failed_login_attempts", "5");
        db.users().unlock(id);
        user = assertUserStep("admin unlock", dataSource, id, user,
                changes("failed_login_attempts", "0", "locked_until", null, "updated_at", NOW));

        // an email change: lower-cased and trimmed, nothing else
        db.users().changeEmail(id, "  Ada.King@Example.COM");
        assertUserStep("email change", dataSource, id, user, changes("email", "ada.king@example.com", "updated_at", NOW));
    }

    /** Asserts every column of the user's row after a step; returns the row. */
    private static Map<String, Object> assertUserStep(String step, DataSource dataSource, UUID id,
                                                      Map<String, Object> before, Map<String, Object> changes) {
        Map<String, Object> after = row(dataSource, "users", id);
        Instant now = (Instant) after.get("updated_at");
        Map<String, Object> expected = new LinkedHashMap<>();
        changes.forEach((column, value) -> expected.put(column, value instanceof Now n ? now.plus(n.plus()) : value));
        if (changes.containsKey("updated_at")) {
            assertThat(now).as("%s: updated_at moves to the step's time", step).isAfter((Instant) before.get("updated_at"))
                    .isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        }
        assertColumns(step, before, after, expected);
        return after;
    }

    /** Every column of {@code after} equals {@code changes} where named, else its value in {@code before}. */
    private static void assertColumns(String step, Map<String, Object> before, Map<String, Object> after,
                                      Map<String, Object> changes) {
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String column : before.keySet()) {
            Object expected = changes.containsKey(column) ? changes.get(column) : before.get(column);
            assertThat(after.get(column)).as("%s: column %s", step, column).isEqualTo(expected);
        }
    }

    private static Map<String, Object> changes(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** Every column of one row: timestamps as Instant, everything else as PostgreSQL's text. */
    private static Map<String, Object> row(DataSource dataSource, String table, UUID id) {
        if (!table.equals("users") && !table.equals("refresh_tokens")) {
            throw new IllegalArgumentException(table);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT * FROM " + table + " WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("%s row %s exists", table, id).isTrue();
                ResultSetMetaData meta = rs.getMetaData();
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    boolean timestamp = meta.getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE
                            || meta.getColumnType(i) == Types.TIMESTAMP;
                    Object value;
                    if (timestamp) {
                        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                        value = t == null ? null : t.toInstant();
                    } else {
                        value = rs.getString(i);
                    }
                    out.put(meta.getColumnName(i), value);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
