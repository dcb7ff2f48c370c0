package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.ProductionInvariantsExtension;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.LoginAttempt;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Users against real PostgreSQL; every test ends with the production invariants checked. */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class UserRepositoryTest {
    /** The library's default lock, the Python service's. */
    private static final Duration LOCK = Duration.ofMinutes(30);

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void createsUserWithTrimmedLowercaseEmailAndDefaults(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        User user = db.users().create(NewUser.builder()
                .email("  Ada.Lovelace@Example.COM ").passwordHash(TestUsers.PASSWORD_HASH).firstName("Ada")
                .lastName("Lovelace").role(UserRole.ADMIN).build());

        assertThat(user.email()).isEqualTo("ada.lovelace@example.com");
        assertThat(user.passwordHash()).isEqualTo(TestUsers.PASSWORD_HASH);
        assertThat(user.firstName()).isEqualTo("Ada");
        assertThat(user.lastName()).isEqualTo("Lovelace");
        assertThat(user.role()).isEqualTo(UserRole.ADMIN);
        assertThat(user.active()).isTrue();
        assertThat(user.emailVerified()).isFalse();
        assertThat(user.failedLoginAttempts()).isZero();
        assertThat(user.lockedUntil()).isNull();
        assertThat(user.lastLoginAt()).isNull();
        assertThat(user.createdAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(new UserRows(dataSource).queryString("SELECT email FROM users WHERE id = ?", user.id()))
                .isEqualTo("ada.lovelace@example.com");
        assertThat(db.users().findById(user.id())).contains(user);
    }

    @Test
    void rejectsSecondUserWithSameEmailInAnyCase(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        db.users().create(TestUsers.newUser("grace@example.com"));
        String before = rows.contents("users");

        assertThatThrownBy(() -> db.users().create(TestUsers.newUser(" GRACE@Example.com")))
                .isInstanceOfSatisfying(DuplicateException.class, e -> {
                    assertThat(e.field()).isEqualTo("user.email");
                    assertThat(e.constraint()).isEqualTo("users_email_key");
                })
                .hasMessageContaining("user.email");
        assertThat(rows.contents("users")).isEqualTo(before);
    }

    @Test
    void translatesTheUniqueKeyWhenAConcurrentInsertOfTheSameEmailCommitsFirst(DataSource dataSource) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement s = other.prepareStatement("INSERT INTO users (email, password_hash, first_name, "
                    + "last_name) VALUES ('race@example.com', 'x', 'Other', 'Writer')")) {
                s.executeUpdate();
            }
            // The plain INSERT waits on users_email_key until the other transaction ends.
            Future<User> create = pool.submit(() -> db.users().create(TestUsers.newUser("Race@Example.com")));
            awaitBackendsWaitingOnLocks(rows, 1);
            other.commit();

            assertThatThrownBy(() -> create.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(DuplicateException.class, e -> {
                        assertThat(e.field()).isEqualTo("user.email");
                        assertThat(e.constraint()).isEqualTo("users_email_key");
                    });
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows.queryLong("SELECT count(*) FROM users")).isEqualTo(1);
        assertThat(rows.queryString("SELECT first_name FROM users")).isEqualTo("Other");
    }

    @Test
    void rejectsInvalidNewUsersNamingTheFieldAndWritingNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        db.users().create(TestUsers.newUser());
        String before = rows.contents("users");
        String hash = TestUsers.passwordHash();

        assertRejected(() -> db.users().create(NewUser.builder()
                .email("no-at-sign").passwordHash(hash).firstName("A").lastName("B").role(UserRole.CONSULTANT).build()),
                "user.email");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email("a".repeat(250) + "@x.com").passwordHash(hash).firstName("A").lastName("B")
                .role(UserRole.CONSULTANT).build()), "user.email");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email(null).passwordHash(hash).firstName("A").lastName("B").role(UserRole.CONSULTANT).build()), "user.email");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email("a@x.com").passwordHash("").firstName("A").lastName("B").role(UserRole.CONSULTANT).build()),
                "user.passwordHash");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email("a@x.com").passwordHash("h".repeat(256)).firstName("A").lastName("B").role(UserRole.CONSULTANT)
                .build()),
                "user.passwordHash");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email("a@x.com").passwordHash(hash).firstName(" ").lastName("B").role(UserRole.CONSULTANT).build()),
                "user.firstName");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email("a@x.com").passwordHash(hash).firstName("A").lastName("b".repeat(101)).role(UserRole.CONSULTANT)
                .build()),
                "user.lastName");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email("a@x.com").passwordHash(hash).firstName("A\0").lastName("B").role(UserRole.CONSULTANT).build()),
                "user.firstName");
        assertRejected(() -> db.users().create(NewUser.builder()
                .email("a@x.com").passwordHash(hash).firstName("A").lastName("B").role(null).build()), "user.role");
        assertThatThrownBy(() -> db.users().create(NewUser.builder()
                .email("a@x.com").passwordHash("secret\0hash").firstName("A").lastName("B").role(UserRole.ADMIN).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("user.passwordHash")
                .hasMessageNotContaining("secret");

        assertThat(rows.contents("users")).isEqualTo(before);
    }

    /** Values a caller might put where a bcrypt hash belongs; none can be verified by the Python service. */
    static Stream<String> notBcrypt() {
        String body = TestUsers.PASSWORD_HASH.substring(7);                      // 53 characters of bcrypt base64
        return Stream.of(
                "hunter2",                                                       // a plain-text password
                "$2b$12$" + body.substring(1),                                   // 59 characters
                TestUsers.PASSWORD_HASH + "x",                                   // 61 characters
                "$2x$12$" + body,                                                // crypt_blowfish's buggy variant
                "$2b$3$" + body + "x",                                           // one-digit cost
                "$2b$12$" + body.substring(1) + "!",                             // not bcrypt's alphabet
                "$1$abcdefgh$" + "x".repeat(48),                                 // MD5-crypt, 60 characters
                "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", // another scheme
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");  // a SHA-256 hex digest
    }

    @ParameterizedTest
    @MethodSource("notBcrypt")
    void refusesPasswordHashesThatAreNotBcryptWithoutShowingThem(String notBcrypt, DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        String before = rows.contents("users");

        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> NewUser.builder().email("a@x.com").passwordHash(notBcrypt).firstName("A").lastName("B")
                        .role(UserRole.CONSULTANT).build(),
                () -> db.users().setPassword(id, notBcrypt),
                () -> db.users().resetPasswordForcingChange(id, notBcrypt))) {
            assertThatThrownBy(call).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("user.passwordHash: must be a bcrypt hash")
                    .hasMessageNotContaining(notBcrypt)
                    .extracting(e -> ((ValidationException) e).rejectedValue()).isEqualTo("***");
        }
        assertThat(rows.contents("users")).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2a$", "$2b$", "$2y$"})
    void acceptsEachBcryptPrefixPasslibVerifies(String prefix, DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        String hash = prefix + TestUsers.PASSWORD_HASH.substring(4);

        User user = db.users().create(NewUser.builder().email(TestUsers.uniqueEmail()).passwordHash(hash)
                .firstName("Ada").lastName("Lovelace").role(UserRole.CONSULTANT).build());

        assertThat(user.passwordHash()).isEqualTo(hash).hasSize(60);
        assertThat(db.users().setPassword(user.id(), hash).passwordHash()).isEqualTo(hash);
    }

    // ---- lookups --------------------------------------------------------------------------------

    @Test
    void findsByEmailInAnyCaseIgnoringSurroundingBlanks(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User user = db.users().create(TestUsers.newUser("mixed.Case@Example.com"));

        assertThat(db.users().findByEmail("MIXED.case@example.COM  ")).map(User::id).contains(user.id());
        assertThat(db.users().findByEmail("mixed.case@example.com")).map(User::id).contains(user.id());
        assertThat(db.users().findByEmail("other@example.com")).isEmpty();
    }

    @Test
    void findByEmailTreatsPercentAndUnderscoreAsPlainCharacters(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User user = db.users().create(TestUsers.newUser("a_b@example.com"));
        db.users().create(TestUsers.newUser("a%c@example.com"));

        assertThat(db.users().findByEmail("A_B@example.com")).map(User::id).contains(user.id());
        assertThat(db.users().findByEmail("axb@example.com")).isEmpty();
        assertThat(db.users().findByEmail("a%@example.com")).isEmpty();
        assertThat(db.users().findByEmail("%")).isEmpty();
        assertThat(db.users().findByEmail("a_c@example.com")).isEmpty();
    }

    @Test
    void findsByIdOrNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User user = db.users().create(TestUsers.newUser());

        assertThat(db.users().findById(user.id())).contains(user);
        assertThat(db.users().findById(UUID.randomUUID())).isEmpty();
    }

    // ---- updates --------------------------------------------------------------------------------

    @Test
    void updatesProfileRoleActiveAndVerifiedFlags(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET updated_at = '2020-01-01T00:00:00Z' WHERE id = ?", user.id());

        User renamed = db.users().updateProfile(user.id(), "Augusta", "King");
        User promoted = db.users().changeRole(user.id(), UserRole.ADMIN);
        User deactivated = db.users().setActive(user.id(), false);
        User verified = db.users().setEmailVerified(user.id(), true);

        assertThat(renamed.firstName()).isEqualTo("Augusta");
        assertThat(renamed.lastName()).isEqualTo("King");
        assertThat(renamed.updatedAt()).as("trigger update_users_updated_at")
                .isAfter(Instant.parse("2020-01-02T00:00:00Z"));
        assertThat(promoted.role()).isEqualTo(UserRole.ADMIN);
        assertThat(deactivated.active()).isFalse();
        assertThat(verified.emailVerified()).isTrue();
        assertThat(db.users().findById(user.id())).contains(verified);
        assertThat(verified.firstName()).isEqualTo("Augusta");
        assertThat(rows.queryString("SELECT role || ',' || is_active || ',' || email_verified FROM users WHERE id = ?",
                user.id())).isEqualTo("admin,false,true");
    }

    @Test
    void updatesOfAMissingUserThrowNotFound(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID missing = UUID.randomUUID();
        List<Consumer<UUID>> updates = List.of(
                id -> db.users().updateProfile(id, "A", "B"),
                id -> db.users().changeRole(id, UserRole.ADMIN),
                id -> db.users().setActive(id, false),
                id -> db.users().setEmailVerified(id, true),
                id -> db.users().setPassword(id, TestUsers.passwordHash()),
                id -> db.users().resetPasswordForcingChange(id, TestUsers.passwordHash()),
                id -> db.users().unlock(id),
                id -> db.users().changeEmail(id, "new@example.com"),
                id -> db.users().recordSuccessfulLogin(id),
                id -> db.users().recordFailedLogin(id),
                id -> db.users().isLocked(id, Instant.now()));

        for (Consumer<UUID> update : updates) {
            assertThatThrownBy(() -> update.accept(missing))
                    .isInstanceOfSatisfying(NotFoundException.class, e -> {
                        assertThat(e.entity()).isEqualTo("user");
                        assertThat(e.key()).isEqualTo(missing.toString());
                    });
        }
    }

    @Test
    void rejectsInvalidUpdatesNamingTheFieldAndWritingNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        String before = rows.contents("users");

        assertRejected(() -> db.users().updateProfile(id, "", "B"), "user.firstName");
        assertRejected(() -> db.users().updateProfile(id, "A", null), "user.lastName");
        assertRejected(() -> db.users().changeRole(id, null), "user.role");
        assertRejected(() -> db.users().setPassword(id, " "), "user.passwordHash");
        assertRejected(() -> db.users().resetPasswordForcingChange(id, null), "user.passwordHash");
        assertRejected(() -> db.users().changeEmail(id, "not-an-email"), "user.email");
        assertRejected(() -> db.users().changeEmail(id, null), "user.email");
        assertRejected(() -> db.users().updateProfile(null, "A", "B"), "user.id");
        assertRejected(() -> db.users().recordFailedLogin(null), "user.id");
        assertRejected(() -> db.users().unlock(null), "user.id");
        assertRejected(() -> db.users().list(UserFilter.all().withSearch("x".repeat(256)), null, 10), "filter.search");
        assertRejected(() -> db.users().list(UserFilter.all(), null, 0), "limit");

        assertThat(rows.contents("users")).isEqualTo(before);
    }

    // ---- logins and locks -----------------------------------------------------------------------

    @Test
    void successfulLoginStampsLastLoginAndClearsFailuresAndLock(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET failed_login_attempts = 4, locked_until = now() + interval '1 hour' "
                + "WHERE id = ?", user.id());

        User after = db.users().recordSuccessfulLogin(user.id());

        assertThat(after.failedLoginAttempts()).isZero();
        assertThat(after.lockedUntil()).isNull();
        assertThat(after.lastLoginAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(rows.queryString("SELECT failed_login_attempts || ',' || (locked_until IS NULL) FROM users "
                + "WHERE id = ?", user.id())).isEqualTo("0,true");
    }

    // ---- logins and locks, with the Python service's meaning -----------------------------------

    @Test
    void fiveFailuresInARowLockForThirtyMinutesByDefault(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();

        List<LoginFailure> failures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            failures.add(db.users().recordFailedLogin(id));
        }

        assertThat(failures.subList(0, 4)).containsExactly(new LoginFailure(true, 1, null, false),
                new LoginFailure(true, 2, null, false), new LoginFailure(true, 3, null, false),
                new LoginFailure(true, 4, null, false));
        LoginFailure fifth = failures.get(4);
        assertThat(fifth.counted()).isTrue();
        assertThat(fifth.failedLoginAttempts()).isEqualTo(5);
        assertThat(fifth.locked()).isTrue();
        assertThat(fifth.lockedUntil()).isCloseTo(Instant.now().plus(LOCK), within(1, ChronoUnit.MINUTES));
        assertThat(db.users().isLocked(id, Instant.now())).isTrue();
        assertThat(db.users().isLocked(id, fifth.lockedUntil())).as("the lock ends at lockedUntil").isFalse();
    }

    @Test
    void aLoginOnALockedAccountIsRefusedWithoutChangingTheCount(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET failed_login_attempts = 5, locked_until = now() + interval '20 minutes'"
                + " WHERE id = ?", user.id());
        String before = rows.contents("users");

        LoginAttempt attempt = db.users().attemptLogin(user.email().toUpperCase(java.util.Locale.ROOT));
        LoginFailure failure = db.users().recordFailedLogin(user.id());

        assertThat(attempt).isInstanceOfSatisfying(LoginAttempt.Locked.class, locked -> {
            assertThat(locked.lockedUntil()).isCloseTo(Instant.now().plus(Duration.ofMinutes(20)),
                    within(1, ChronoUnit.MINUTES));
            assertThat(locked.user().failedLoginAttempts()).isEqualTo(5);
        });
        assertThat(failure.counted()).isFalse();
        assertThat(failure.failedLoginAttempts()).isEqualTo(5);
        assertThat(failure.locked()).isTrue();
        assertThat(rows.contents("users")).as("nothing written while locked").isEqualTo(before);
    }

    /** Production holds 20 such rows: 5 attempts and a lock that ran out. */
    @Test
    void anExpiredLockIsAFreshStartWithFiveNewAttempts(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        rows.execute("UPDATE users SET failed_login_attempts = 5, locked_until = now() - interval '3 days' WHERE id = ?",
                id);
        assertThat(db.users().isLocked(id, Instant.now())).isFalse();

        LoginFailure typo = db.users().recordFailedLogin(id);

        assertThat(typo).as("the first failure of a fresh start").isEqualTo(new LoginFailure(true, 1, null, false));
        assertThat(rows.queryString("SELECT failed_login_attempts || ',' || (locked_until IS NULL) FROM users"
                + " WHERE id = ?", id)).isEqualTo("1,true");
        for (int i = 2; i <= 4; i++) {
            assertThat(db.users().recordFailedLogin(id).locked()).as("failure %d", i).isFalse();
        }
        assertThat(db.users().recordFailedLogin(id).locked()).as("the fifth locks again").isTrue();
    }

    @Test
    void attemptLoginClearsAnExpiredLockBeforeThePasswordCheck(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET failed_login_attempts = 5, locked_until = now() - interval '1 hour' WHERE id = ?",
                user.id());

        LoginAttempt attempt = db.users().attemptLogin("  " + user.email() + " ");

        assertThat(attempt).isInstanceOfSatisfying(LoginAttempt.CheckPassword.class, ok -> {
            assertThat(ok.user().failedLoginAttempts()).isZero();
            assertThat(ok.user().lockedUntil()).isNull();
            assertThat(ok.user().lastLoginAt()).isNull();
        });
        assertThat(rows.queryString("SELECT failed_login_attempts || ',' || (locked_until IS NULL) FROM users"
                + " WHERE id = ?", user.id())).isEqualTo("0,true");
    }

    @Test
    void attemptLoginRefusesUnknownAndDeactivatedAccountsAndWritesNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User active = db.users().create(TestUsers.newUser());
        User inactive = db.users().setActive(db.users().create(TestUsers.newUser()).id(), false);
        rows.execute("UPDATE users SET failed_login_attempts = 5, locked_until = now() - interval '1 hour' WHERE id = ?",
                inactive.id());
        String before = rows.contents("users");

        assertThat(db.users().attemptLogin("nobody@example.com")).isInstanceOf(LoginAttempt.UnknownEmail.class);
        assertThat(db.users().attemptLogin(inactive.email())).isInstanceOf(LoginAttempt.Inactive.class);
        assertThat(db.users().attemptLogin(active.email())).isInstanceOfSatisfying(LoginAttempt.CheckPassword.class,
                ok -> assertThat(ok.user().id()).isEqualTo(active.id()));
        assertThat(rows.contents("users")).isEqualTo(before);
    }

    @Test
    void successfulLoginAfterFailuresClearsCountAndStampsLastLogin(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        db.users().recordFailedLogin(id);
        db.users().recordFailedLogin(id);

        User after = db.users().recordSuccessfulLogin(id);

        assertThat(after.failedLoginAttempts()).isZero();
        assertThat(after.lockedUntil()).isNull();
        assertThat(after.lastLoginAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void failedLoginCountsANullCountAsZero(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        new UserRows(dataSource).execute("UPDATE users SET failed_login_attempts = NULL WHERE id = ?", id);

        assertThat(db.users().recordFailedLogin(id)).isEqualTo(new LoginFailure(true, 1, null, false));
    }

    @Test
    void sixteenConcurrentFailuresCountFiveLockOnceAndRefuseTheRest(DataSource dataSource) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<LoginFailure>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return db.users().recordFailedLogin(id);
                }));
            }
            start.countDown();
            List<LoginFailure> results = new ArrayList<>();
            for (Future<LoginFailure> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(results).filteredOn(LoginFailure::counted).extracting(LoginFailure::failedLoginAttempts)
                    .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
            assertThat(results).filteredOn(r -> !r.counted()).hasSize(11)
                    .allSatisfy(r -> assertThat(r).extracting(LoginFailure::failedLoginAttempts, LoginFailure::locked)
                            .containsExactly(5, true));
            Set<Instant> locks = results.stream().map(LoginFailure::lockedUntil).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
            assertThat(locks).as("one lock, set by the 5th failure and never extended").hasSize(1);
            User user = db.users().findById(id).orElseThrow();
            assertThat(user.failedLoginAttempts()).isEqualTo(5);
            assertThat(user.lockedUntil()).isEqualTo(locks.iterator().next());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lockOutSettingsComeOnceFromTheConfiguration(ProvisionedDatabase database) {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder().url(database.url()).schemaCheck(SchemaCheck.OFF)
                .maxFailedLogins(3).lockDuration(Duration.ofMinutes(2)).build();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config)) {
            UUID id = db.users().create(TestUsers.newUser()).id();
            db.users().recordFailedLogin(id);
            db.users().recordFailedLogin(id);

            LoginFailure third = db.users().recordFailedLogin(id);

            assertThat(third.failedLoginAttempts()).isEqualTo(3);
            assertThat(third.locked()).isTrue();
            assertThat(third.lockedUntil()).isCloseTo(Instant.now().plus(Duration.ofMinutes(2)),
                    within(30, ChronoUnit.SECONDS));
            db.users().unlock(id);   // the invariant check after the test knows the production setting, 5
        }
    }

    // ---- password, unlock, email ------------------------------------------------------------------

    @Test
    void setPasswordStampsPasswordChangedAtAndClearsCountAndLock(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET password_changed_at = '2020-01-01T00:00:00Z', failed_login_attempts = 5,"
                + " locked_until = now() + interval '10 minutes' WHERE id = ?", user.id());

        String newHash = TestUsers.passwordHash();
        User changed = db.users().setPassword(user.id(), newHash);

        assertThat(changed.passwordHash()).isEqualTo(newHash);
        assertThat(changed.passwordChangedAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(changed.failedLoginAttempts()).isZero();
        assertThat(changed.lockedUntil()).isNull();
        assertThat(rows.queryString("SELECT password_hash || ',' || failed_login_attempts || ',' || (locked_until IS NULL)"
                + " FROM users WHERE id = ?", user.id())).isEqualTo(newHash + ",0,true");
    }

    @Test
    void adminResetForcesAChangeAtNextLoginAndUnlocks(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET failed_login_attempts = 5, locked_until = now() + interval '10 minutes'"
                + " WHERE id = ?", user.id());

        String temporary = TestUsers.passwordHash();
        User reset = db.users().resetPasswordForcingChange(user.id(), temporary);

        assertThat(reset.passwordHash()).isEqualTo(temporary);
        assertThat(reset.passwordChangedAt()).isCloseTo(Instant.now().minus(Duration.ofDays(365)),
                within(1, ChronoUnit.MINUTES));
        assertThat(reset.failedLoginAttempts()).isZero();
        assertThat(reset.lockedUntil()).isNull();
    }

    @Test
    void unlockClearsCountAndLockAndNothingElse(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET failed_login_attempts = 5, locked_until = now() + interval '10 minutes',"
                + " last_login_at = '2025-09-01T08:00:00Z' WHERE id = ?", user.id());
        String otherColumns = "SELECT email || password_hash || first_name || last_name || role || is_active"
                + " || email_verified || created_at || last_login_at || password_changed_at FROM users WHERE id = ?";
        String before = rows.queryString(otherColumns, user.id());

        User unlocked = db.users().unlock(user.id());

        assertThat(unlocked.failedLoginAttempts()).isZero();
        assertThat(unlocked.lockedUntil()).isNull();
        assertThat(unlocked.lastLoginAt()).isEqualTo(Instant.parse("2025-09-01T08:00:00Z"));
        assertThat(rows.queryString(otherColumns, user.id())).isEqualTo(before);
    }

    @Test
    void changeEmailStoresItTrimmedAndLowerCase(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User user = db.users().create(TestUsers.newUser("before@example.com"));

        User changed = db.users().changeEmail(user.id(), "  After.Change@Example.COM ");
        User sameAgain = db.users().changeEmail(user.id(), "AFTER.change@example.com");

        assertThat(changed.email()).isEqualTo("after.change@example.com");
        assertThat(sameAgain.email()).isEqualTo("after.change@example.com");
        assertThat(db.users().findByEmail("After.Change@example.com")).map(User::id).contains(user.id());
        assertThat(db.users().findByEmail("before@example.com")).isEmpty();
    }

    @Test
    void changeEmailToAnotherUsersAddressInAnyCaseIsAClearDuplicate(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        db.users().create(TestUsers.newUser("taken@example.com"));
        User user = db.users().create(TestUsers.newUser("mine@example.com"));
        String before = rows.contents("users");

        assertThatThrownBy(() -> db.users().changeEmail(user.id(), " Taken@EXAMPLE.com"))
                .isInstanceOfSatisfying(DuplicateException.class, e -> {
                    assertThat(e.field()).isEqualTo("user.email");
                    assertThat(e.constraint()).isEqualTo("users_email_key");
                })
                .hasMessageContaining("user.email").hasMessageContaining("users_email_key");
        assertThat(rows.contents("users")).isEqualTo(before);
    }

    // ---- the one list of users ---------------------------------------------------------------------

    @Test
    void listsNewestFirstWithATotalAndKeysetPages(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            UUID id = db.users().create(TestUsers.newUser()).id();
            // minutes apart, two sharing a timestamp so that the id breaks the tie
            rows.execute("UPDATE users SET created_at = '2025-01-01T00:00:00Z'::timestamptz + ? * interval '1 minute'"
                    + " WHERE id = ?", i == 6 ? 5 : i, id);
            ids.add(id);
        }
        List<UUID> expected = new ArrayList<>(ids.subList(0, 5));
        java.util.Collections.reverse(expected);
        List<UUID> tied = new ArrayList<>(ids.subList(5, 7));
        tied.sort(Comparator.comparing(UUID::toString).reversed());   // PostgreSQL orders uuids like their text
        expected.addAll(0, tied);

        Page<User> first = db.users().list(UserFilter.all(), null, 3);
        Page<User> second = db.users().list(UserFilter.all(), first.next().orElseThrow(), 3);
        Page<User> third = db.users().list(UserFilter.all(), second.next().orElseThrow(), 3);

        List<UUID> seen = new ArrayList<>();
        for (Page<User> p : List.of(first, second, third)) {
            assertThat(p.total()).hasValue(7);
            p.items().forEach(u -> seen.add(u.id()));
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(first.items()).hasSize(3);
        assertThat(third.items()).hasSize(1);
        assertThat(third.hasNext()).isFalse();
    }

    @Test
    void filtersByRoleActiveFlagAndSearchTogether(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User adaAdmin = db.users().create(NewUser.builder()
                .email("ada@example.com").passwordHash(TestUsers.passwordHash()).firstName("Ada").lastName("Lovelace")
                .role(UserRole.ADMIN).build());
        User adaConsultant = db.users().create(NewUser.builder()
                .email("countess@example.com").passwordHash(TestUsers.passwordHash()).firstName("Augusta")
                .lastName("LOVELACE").role(UserRole.CONSULTANT).build());
        User inactiveAdmin = db.users().setActive(db.users().create(NewUser.builder()
                .email("old.admin@example.com").passwordHash(TestUsers.passwordHash()).firstName("Old")
                .lastName("Lovelace").role(UserRole.ADMIN).build()).id(), false);
        User grace = db.users().create(NewUser.builder()
                .email("grace@navy.example").passwordHash(TestUsers.passwordHash()).firstName("Grace")
                .lastName("Hopper").role(UserRole.ADMIN).build());

        assertThat(ids(db.users().list(UserFilter.all().withSearch("lovelace"), null, 10)))
                .containsExactlyInAnyOrder(adaAdmin.id(), adaConsultant.id(), inactiveAdmin.id());
        assertThat(ids(db.users().list(UserFilter.all().withSearch(" NAVY "), null, 10))).containsExactly(grace.id());
        assertThat(ids(db.users().list(UserFilter.all().withSearch("augUSTA"), null, 10)))
                .containsExactly(adaConsultant.id());
        assertThat(ids(db.users().list(UserFilter.all().withRole(UserRole.ADMIN), null, 10)))
                .containsExactlyInAnyOrder(adaAdmin.id(), inactiveAdmin.id(), grace.id());
        assertThat(ids(db.users().list(UserFilter.all().withActive(false), null, 10))).containsExactly(inactiveAdmin.id());
        Page<User> combined = db.users().list(UserFilter.all().withRole(UserRole.ADMIN).withActive(true)
                .withSearch("love"), null, 10);
        assertThat(ids(combined)).containsExactly(adaAdmin.id());
        assertThat(combined.total()).hasValue(1);
        assertThat(db.users().list(UserFilter.all().withSearch("   "), null, 10).total()).as("blank: no search")
                .hasValue(4);
    }

    @Test
    void searchTreatsPercentUnderscoreAndBackslashLiterally(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User underscore = db.users().create(TestUsers.newUser("a_b@example.com"));
        User percent = db.users().create(TestUsers.newUser("100%sure@example.com"));
        User backslash = db.users().create(NewUser.builder()
                .email("slash@example.com").passwordHash(TestUsers.passwordHash()).firstName("Back\\slash")
                .lastName("X").role(UserRole.CONSULTANT).build());
        db.users().create(TestUsers.newUser("axb@example.com"));

        assertThat(ids(db.users().list(UserFilter.all().withSearch("a_b"), null, 10))).containsExactly(underscore.id());
        assertThat(ids(db.users().list(UserFilter.all().withSearch("0%s"), null, 10))).containsExactly(percent.id());
        assertThat(ids(db.users().list(UserFilter.all().withSearch("%"), null, 10))).containsExactly(percent.id());
        assertThat(ids(db.users().list(UserFilter.all().withSearch("_"), null, 10))).containsExactly(underscore.id());
        assertThat(ids(db.users().list(UserFilter.all().withSearch("k\\s"), null, 10))).containsExactly(backslash.id());
    }

    @Test
    void anEmptyListHasATotalOfZeroAndNoNextPage(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        db.users().create(TestUsers.newUser());

        Page<User> page = db.users().list(UserFilter.all().withSearch("no such user"), null, 10);

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).hasValue(0);
        assertThat(page.hasNext()).isFalse();
    }

    private static List<UUID> ids(Page<User> page) {
        return page.items().stream().map(User::id).toList();
    }

    // ---- delete ---------------------------------------------------------------------------------

    @Test
    void deletingAUserCascadesToTheirRefreshTokens(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        User other = db.users().create(TestUsers.newUser());
        db.refreshTokens().issue(TestRefreshTokens.newToken(user.id()));
        db.refreshTokens().issue(TestRefreshTokens.newToken(other.id()));

        assertThat(db.users().delete(user.id())).isTrue();

        assertThat(db.users().findById(user.id())).isEmpty();
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ?", user.id())).isZero();
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ?", other.id())).isEqualTo(1);
        assertThat(db.users().delete(user.id())).as("already gone").isFalse();
    }

    @Test
    void toStringNeverShowsThePasswordHash(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        String secret = TestUsers.PASSWORD_HASH.substring(7);
        NewUser input = NewUser.builder().email("ts@example.com").passwordHash(TestUsers.PASSWORD_HASH).firstName("T")
                .lastName("S").role(UserRole.CONSULTANT).build();
        User user = db.users().create(input);

        assertThat(input.toString()).doesNotContain(secret).contains("passwordHash=***");
        assertThat(user.toString()).doesNotContain(secret).contains("ts@example.com");
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void assertRejected(Runnable call, String field) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field + ": ");
    }

    /** Waits until {@code n} other sessions of this database wait on a lock. */
    static void awaitBackendsWaitingOnLocks(UserRows rows, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rows.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND wait_event_type = 'Lock'") < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(n + " sessions never started waiting on a lock");
            }
            Thread.sleep(20);
        }
    }
}
