package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUsers;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * field-mapping.csv rows of entity User that are not {@code direct}: {@code active <-> is_active} (rename).
 * Plus the claims of the direct rows that production data can stress: a NULL failed-login count, infinite
 * timestamps, and emails that the library stores lowercase.
 */
// No ProductionInvariantsExtension: this class writes legacy rows outside the invariants on purpose (NULL count, mixed case).
@ExtendWith(SnapshotDatabaseExtension.class)
class UserMappingTest {

    @Test
    void activeIsWrittenToIsActive(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        assertThat(rows.queryString("SELECT is_active::text FROM users WHERE id = ?", user.id())).isEqualTo("true");

        db.users().setActive(user.id(), false);

        assertThat(rows.queryString("SELECT is_active::text FROM users WHERE id = ?", user.id())).isEqualTo("false");
    }

    @Test
    void isActiveReadsBackAsActive(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID inactive = rows.insertUser("inactive@example.com");
        UUID active = rows.insertUser("active@example.com");
        rows.execute("UPDATE users SET is_active = false WHERE id = ?", inactive);

        assertThat(db.users().findById(inactive)).map(User::active).contains(false);
        assertThat(db.users().findById(active)).map(User::active).contains(true);
        assertThat(db.users().list(com.airesumereview.db.domain.UserFilter.all().withActive(true), null, 10).items())
                .extracting(User::id).containsExactly(active);
    }

    @Test
    void readsAPythonWrittenRowWithNullCountAndInfiniteTimestamps(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID id = rows.insertUser("Mixed.Case@Example.com");
        rows.execute("UPDATE users SET failed_login_attempts = NULL, locked_until = 'infinity', "
                + "last_login_at = '-infinity', role = 'admin', email_verified = true WHERE id = ?", id);

        User user = db.users().findById(id).orElseThrow();

        assertThat(user.email()).as("read as stored").isEqualTo("Mixed.Case@Example.com");
        assertThat(user.failedLoginAttempts()).isNull();
        assertThat(user.lockedUntil()).isEqualTo(Instant.MAX);
        assertThat(user.lastLoginAt()).isEqualTo(Instant.MIN);
        assertThat(user.isLockedAt(Instant.parse("9999-12-31T23:59:59Z"))).isTrue();
        assertThat(user.role()).isEqualTo(UserRole.ADMIN);
        assertThat(user.emailVerified()).isTrue();
        assertThat(db.users().recordFailedLogin(id))
                .as("an infinite lock stays, the refused attempt is not counted")
                .isEqualTo(new com.airesumereview.db.domain.LoginFailure(false, 0, Instant.MAX, true));
    }

    @Test
    void everyDirectColumnReadsBackIntoItsSameNamedField(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newAdmin());
        rows.execute("UPDATE users SET last_login_at = '2024-05-06T07:08:09.123456Z', "
                + "locked_until = '2030-01-02T03:04:05.000001Z', failed_login_attempts = 7 WHERE id = ?", user.id());

        User read = db.users().findById(user.id()).orElseThrow();

        assertThat(rows.queryString("SELECT concat_ws('|', id, email, password_hash, first_name, last_name, role, "
                + "email_verified::text, failed_login_attempts) FROM users WHERE id = ?", user.id()))
                .isEqualTo(String.join("|", read.id().toString(), read.email(), read.passwordHash(), read.firstName(),
                        read.lastName(), read.role().literal(), String.valueOf(read.emailVerified()),
                        String.valueOf(read.failedLoginAttempts())));
        assertThat(read.lastLoginAt()).isEqualTo(Instant.parse("2024-05-06T07:08:09.123456Z"));
        assertThat(read.lockedUntil()).isEqualTo(Instant.parse("2030-01-02T03:04:05.000001Z"));
        assertThat(rows.queryLong("SELECT count(*) FROM users WHERE id = ? AND created_at = ? AND updated_at = ? "
                + "AND password_changed_at = ?", user.id(), java.time.OffsetDateTime.ofInstant(read.createdAt(),
                java.time.ZoneOffset.UTC), java.time.OffsetDateTime.ofInstant(read.updatedAt(), java.time.ZoneOffset.UTC),
                java.time.OffsetDateTime.ofInstant(read.passwordChangedAt(), java.time.ZoneOffset.UTC))).isEqualTo(1);
    }
}
