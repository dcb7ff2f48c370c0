package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.UserRole;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class UserRepositoryTest {
    private static final Duration LOCK = Duration.ofMinutes(15);
    /** PostgreSQL orders uuids by unsigned bytes, i.e. by their text; Java's UUID.compareTo is signed. */
    private static final Comparator<UUID> DATABASE_UUID_ORDER = Comparator.comparing(UUID::toString);

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void createsUserWithTrimmedLowercaseEmailAndDefaults(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        User user = db.users().create(new NewUser("  Ada.Lovelace@Example.COM ", "$2b$12$hash", "Ada", "Lovelace",
                UserRole.ADMIN));

        assertThat(user.email()).isEqualTo("ada.lovelace@example.com");
        assertThat(user.passwordHash()).isEqualTo("$2b$12$hash");
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
    void rejectsNewUserWhenALegacyRowHoldsTheEmailInMixedCase(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        rows.insertUser("Legacy.User@Example.com");
        String before = rows.contents("users");

        assertThatThrownBy(() -> db.users().create(TestUsers.newUser("legacy.user@example.com")))
                .isInstanceOfSatisfying(DuplicateException.class,
                        e -> assertThat(e.constraint()).isEqualTo("users_email_key"));
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
            // The guard cannot see the uncommitted row; the insert then waits on users_email_key.
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

        assertRejected(() -> db.users().create(new NewUser("no-at-sign", hash, "A", "B", UserRole.CONSULTANT)),
                "user.email");
        assertRejected(() -> db.users().create(new NewUser("a".repeat(250) + "@x.com", hash, "A", "B",
                UserRole.CONSULTANT)), "user.email");
        assertRejected(() -> db.users().create(new NewUser(null, hash, "A", "B", UserRole.CONSULTANT)), "user.email");
        assertRejected(() -> db.users().create(new NewUser("a@x.com", "", "A", "B", UserRole.CONSULTANT)),
                "user.passwordHash");
        assertRejected(() -> db.users().create(new NewUser("a@x.com", "h".repeat(256), "A", "B", UserRole.CONSULTANT)),
                "user.passwordHash");
        assertRejected(() -> db.users().create(new NewUser("a@x.com", hash, " ", "B", UserRole.CONSULTANT)),
                "user.firstName");
        assertRejected(() -> db.users().create(new NewUser("a@x.com", hash, "A", "b".repeat(101), UserRole.CONSULTANT)),
                "user.lastName");
        assertRejected(() -> db.users().create(new NewUser("a@x.com", hash, "A\0", "B", UserRole.CONSULTANT)),
                "user.firstName");
        assertRejected(() -> db.users().create(new NewUser("a@x.com", hash, "A", "B", null)), "user.role");
        assertThatThrownBy(() -> db.users().create(new NewUser("a@x.com", "secret\0hash", "A", "B", UserRole.ADMIN)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("user.passwordHash")
                .hasMessageNotContaining("secret");

        assertThat(rows.contents("users")).isEqualTo(before);
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
    void findsALegacyMixedCaseRowByItsExactSpellingOnly(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID legacy = new UserRows(dataSource).insertUser("Old.Timer@Example.com");

        assertThat(db.users().findByEmail(" Old.Timer@Example.com")).map(User::id).contains(legacy);
        assertThat(db.users().findByEmail("old.timer@example.com"))
                .as("documented limit: no index serves lower(email)").isEmpty();
    }

    @Test
    void findsByIdOrNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User user = db.users().create(TestUsers.newUser());

        assertThat(db.users().findById(user.id())).contains(user);
        assertThat(db.users().findById(UUID.randomUUID())).isEmpty();
    }

    @Test
    void listsActiveUsersPageByPageInIdOrder(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        List<User> users = IntStream.range(0, 7).mapToObj(i -> db.users().create(TestUsers.newUser())).toList();
        db.users().setActive(users.get(1).id(), false);
        db.users().setActive(users.get(4).id(), false);
        List<UUID> expected = users.stream().map(User::id)
                .filter(id -> !id.equals(users.get(1).id()) && !id.equals(users.get(4).id()))
                .sorted(DATABASE_UUID_ORDER).toList();

        List<User> first = db.users().listActive(null, 2);
        List<User> second = db.users().listActive(first.get(1).id(), 2);
        List<User> third = db.users().listActive(second.get(1).id(), 2);
        List<User> fourth = db.users().listActive(third.get(0).id(), 2);

        assertThat(first).extracting(User::id).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(second).extracting(User::id).containsExactlyElementsOf(expected.subList(2, 4));
        assertThat(third).extracting(User::id).containsExactly(expected.get(4));
        assertThat(fourth).isEmpty();
        assertRejected(() -> db.users().listActive(null, 0), "limit");
        assertRejected(() -> db.users().listActive(null, 1001), "limit");
    }

    @Test
    void searchesFirstLastFullNameAndEmailIgnoringCase(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User ada = db.users().create(new NewUser("ada@example.com", "h", "Ada", "Lovelace", UserRole.CONSULTANT));
        User grace = db.users().create(new NewUser("grace@navy.mil", "h", "Grace", "Hopper", UserRole.ADMIN));
        db.users().create(new NewUser("alan@example.org", "h", "Alan", "Turing", UserRole.CONSULTANT));

        assertThat(db.users().search("LOVE", null, 10)).extracting(User::id).containsExactly(ada.id());
        assertThat(db.users().search("navy", null, 10)).extracting(User::id).containsExactly(grace.id());
        assertThat(db.users().search("ada lovelace", null, 10)).extracting(User::id).containsExactly(ada.id());
        assertThat(db.users().search("example.com", null, 10)).extracting(User::id).containsExactly(ada.id());
        assertThat(db.users().search("nobody", null, 10)).isEmpty();
    }

    @Test
    void searchTreatsPercentUnderscoreAndBackslashAsPlainCharacters(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User percent = db.users().create(new NewUser("p@example.com", "h", "100%", "Sure", UserRole.CONSULTANT));
        User underscore = db.users().create(new NewUser("u@example.com", "h", "snake_case", "Fan", UserRole.CONSULTANT));
        User backslash = db.users().create(new NewUser("b@example.com", "h", "Back\\slash", "Fan", UserRole.CONSULTANT));
        db.users().create(new NewUser("plain@example.com", "h", "Plain", "Name", UserRole.CONSULTANT));

        assertThat(db.users().search("%", null, 10)).extracting(User::id).containsExactly(percent.id());
        assertThat(db.users().search("_", null, 10)).extracting(User::id).containsExactly(underscore.id());
        assertThat(db.users().search("\\", null, 10)).extracting(User::id).containsExactly(backslash.id());
        assertThat(db.users().search("k\\s", null, 10)).extracting(User::id).containsExactly(backslash.id());
        assertRejected(() -> db.users().search("  ", null, 10), "query");
    }

    @Test
    void searchPagesInIdOrder(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        List<UUID> ids = IntStream.range(0, 5)
                .mapToObj(i -> db.users().create(new NewUser("smith" + i + "@example.com", "h", "Jo", "Smith",
                        UserRole.CONSULTANT)).id())
                .sorted(DATABASE_UUID_ORDER).toList();

        List<User> first = db.users().search("smith", null, 3);
        List<User> second = db.users().search("smith", first.get(2).id(), 3);

        assertThat(first).extracting(User::id).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(second).extracting(User::id).containsExactlyElementsOf(ids.subList(3, 5));
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
                id -> db.users().changePasswordHash(id, "h"),
                id -> db.users().recordSuccessfulLogin(id),
                id -> db.users().recordFailedLogin(id, 5, LOCK),
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
        assertRejected(() -> db.users().changePasswordHash(id, " "), "user.passwordHash");
        assertRejected(() -> db.users().updateProfile(null, "A", "B"), "user.id");
        assertRejected(() -> db.users().recordFailedLogin(id, 0, LOCK), "maxAttempts");
        assertRejected(() -> db.users().recordFailedLogin(id, 5, Duration.ZERO), "lockDuration");
        assertRejected(() -> db.users().recordFailedLogin(id, 5, Duration.ofDays(3651)), "lockDuration");
        assertRejected(() -> db.users().recordFailedLogin(id, 5, null), "lockDuration");

        assertThat(rows.contents("users")).isEqualTo(before);
    }

    @Test
    void changingThePasswordHashStampsPasswordChangedAt(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        User user = db.users().create(TestUsers.newUser());
        rows.execute("UPDATE users SET password_changed_at = '2020-01-01T00:00:00Z' WHERE id = ?", user.id());

        User changed = db.users().changePasswordHash(user.id(), "$2b$12$new-hash");

        assertThat(changed.passwordHash()).isEqualTo("$2b$12$new-hash");
        assertThat(changed.passwordChangedAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(rows.queryString("SELECT password_hash FROM users WHERE id = ?", user.id()))
                .isEqualTo("$2b$12$new-hash");
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

    @Test
    void failedLoginsCountUpAndLockExactlyWhenTheCountReachesTheMaximum(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();

        LoginFailure first = db.users().recordFailedLogin(id, 3, LOCK);
        LoginFailure second = db.users().recordFailedLogin(id, 3, LOCK);
        LoginFailure third = db.users().recordFailedLogin(id, 3, LOCK);
        LoginFailure fourth = db.users().recordFailedLogin(id, 3, LOCK);

        assertThat(first).isEqualTo(new LoginFailure(1, null, false));
        assertThat(second).isEqualTo(new LoginFailure(2, null, false));
        assertThat(third.failedLoginAttempts()).isEqualTo(3);
        assertThat(third.locked()).isTrue();
        assertThat(third.lockedUntil()).isCloseTo(Instant.now().plus(LOCK), within(1, ChronoUnit.MINUTES));
        assertThat(fourth).as("a running lock is not extended").isEqualTo(new LoginFailure(4, third.lockedUntil(), true));
        User user = db.users().findById(id).orElseThrow();
        assertThat(user.failedLoginAttempts()).isEqualTo(4);
        assertThat(user.lockedUntil()).isEqualTo(third.lockedUntil());
        assertThat(user.isLockedAt(Instant.now())).isTrue();
        assertThat(db.users().isLocked(id, Instant.now())).isTrue();
        assertThat(db.users().isLocked(id, third.lockedUntil())).as("the lock ends at lockedUntil").isFalse();
    }

    @Test
    void failedLoginCountsANullCountAsZero(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        new UserRows(dataSource).execute("UPDATE users SET failed_login_attempts = NULL WHERE id = ?", id);

        assertThat(db.users().recordFailedLogin(id, 5, LOCK)).isEqualTo(new LoginFailure(1, null, false));
    }

    @Test
    void aFailureAfterALockRanOutLocksAgain(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID id = db.users().create(TestUsers.newUser()).id();
        new UserRows(dataSource).execute("UPDATE users SET failed_login_attempts = 5, "
                + "locked_until = now() - interval '1 minute' WHERE id = ?", id);
        assertThat(db.users().isLocked(id, Instant.now())).isFalse();

        LoginFailure failure = db.users().recordFailedLogin(id, 5, LOCK);

        assertThat(failure.failedLoginAttempts()).isEqualTo(6);
        assertThat(failure.locked()).isTrue();
        assertThat(failure.lockedUntil()).isCloseTo(Instant.now().plus(LOCK), within(1, ChronoUnit.MINUTES));
    }

    @Test
    void sixteenConcurrentFailuresAreEachCountedOnceAndLockOnce(DataSource dataSource) throws Exception {
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
                    return db.users().recordFailedLogin(id, 5, LOCK);
                }));
            }
            start.countDown();
            List<LoginFailure> results = new ArrayList<>();
            for (Future<LoginFailure> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            results.sort(Comparator.comparingInt(LoginFailure::failedLoginAttempts));

            assertThat(results).extracting(LoginFailure::failedLoginAttempts)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 16).boxed().toList());
            assertThat(results.subList(0, 4)).allSatisfy(r -> {
                assertThat(r.locked()).isFalse();
                assertThat(r.lockedUntil()).isNull();
            });
            assertThat(results.subList(4, 16)).allSatisfy(r -> assertThat(r.locked()).isTrue());
            Set<Instant> locks = results.stream().map(LoginFailure::lockedUntil).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
            assertThat(locks).as("one lock, set by the 5th failure and never extended").hasSize(1);
            User user = db.users().findById(id).orElseThrow();
            assertThat(user.failedLoginAttempts()).isEqualTo(16);
            assertThat(user.lockedUntil()).isEqualTo(locks.iterator().next());
        } finally {
            pool.shutdownNow();
        }
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
        NewUser input = new NewUser("ts@example.com", "$2b$12$very-secret-hash", "T", "S", UserRole.CONSULTANT);
        User user = db.users().create(input);

        assertThat(input.toString()).doesNotContain("very-secret-hash").contains("passwordHash=***");
        assertThat(user.toString()).doesNotContain("very-secret-hash").contains("ts@example.com");
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
