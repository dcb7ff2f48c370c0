package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.ProductionInvariantsExtension;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.generated.vocabulary.RefreshTokenStatus;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions against real PostgreSQL; every test ends with the production invariants checked. */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class RefreshTokenRepositoryTest {
    private static final Duration WEEK = Duration.ofDays(7);

    // ---- issue ----------------------------------------------------------------------------------

    @Test
    void issueStoresOnlyTheSha256AndARandomUuidSessionExpiringInSevenDays(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();

        IssuedToken issued = db.refreshTokens().issue(NewRefreshToken.forUser(user)
                .rawToken("abc").deviceInfo("Firefox on Linux").ipAddress("2001:db8::1").build());

        String sha256OfAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        RefreshToken token = issued.token();
        assertThat(token.tokenHash()).isEqualTo(sha256OfAbc);
        assertThat(RefreshToken.hashOf("abc")).isEqualTo(sha256OfAbc);
        assertThat(rows.queryString("SELECT token_hash FROM refresh_tokens WHERE id = ?", token.id()))
                .isEqualTo(sha256OfAbc);
        assertThat(token.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(token.sessionId()).hasSize(36).isEqualTo(UUID.fromString(token.sessionId()).toString());
        assertThat(token.deviceInfo()).isEqualTo("Firefox on Linux");
        assertThat(token.ipAddress()).isEqualTo("2001:db8::1");
        assertThat(token.expiresAt()).isEqualTo(token.createdAt().plus(WEEK));
        assertThat(token.lastUsedAt()).isEqualTo(token.createdAt());
        assertThat(issued.displacedSession()).isEmpty();
        assertThat(db.refreshTokens().issue(NewRefreshToken.forUser(user).rawToken("def").build()).token().sessionId())
                .as("a new random session id each time").isNotEqualTo(token.sessionId());
    }

    @Test
    void issueKeepsACallerGivenUuidSessionIdAndRefusesOtherForms(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        String session = UUID.randomUUID().toString();

        assertThat(db.refreshTokens().issue(TestRefreshTokens.newToken(user, session)).token().sessionId())
                .isEqualTo(session);
        String before = rows.contents("refresh_tokens");
        for (String bad : List.of("web-1", session.toUpperCase(java.util.Locale.ROOT), "session-" + session, " ")) {
            assertRejected(() -> db.refreshTokens().issue(TestRefreshTokens.newToken(user, bad)), "refreshToken.sessionId");
        }
        assertThat(rows.contents("refresh_tokens")).isEqualTo(before);
    }

    @Test
    void sessionLifetimeComesOnceFromTheConfiguration(ProvisionedDatabase database) {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder().url(database.url()).schemaCheck(SchemaCheck.OFF)
                .sessionLifetime(Duration.ofHours(1)).build();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config)) {
            UUID user = db.users().create(TestUsers.newUser()).id();
            NewRefreshToken token = TestRefreshTokens.newToken(user);
            RefreshToken issued = db.refreshTokens().issue(token).token();
            RotationResult rotated = db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken());

            assertThat(issued.expiresAt()).isEqualTo(issued.createdAt().plus(Duration.ofHours(1)));
            assertThat(rotated).isInstanceOfSatisfying(RotationResult.Rotated.class, r -> assertThat(r.token().expiresAt())
                    .isEqualTo(r.token().lastUsedAt().plus(Duration.ofHours(1))));
            db.users().delete(user);   // the invariant check after the test knows the production lifetime, 7 days
        }
    }

    @Test
    void insideATransactionASessionLoggedOutEarlierIsNotReportedAsDisplaced(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        String first = TestRefreshTokens.rawToken();
        db.refreshTokens().issue(NewRefreshToken.forUser(user).rawToken(first).build());
        db.refreshTokens().issue(TestRefreshTokens.newToken(user));

        IssuedToken issued = db.inTransaction(tx -> {
            tx.refreshTokens().logout(first);           // revoked by this transaction, before the issue
            return tx.refreshTokens().issue(TestRefreshTokens.newToken(user));
        });

        assertThat(issued.displacedSession()).as("2 active before the issue: the trigger revoked none").isEmpty();
        assertThat(db.refreshTokens().countActiveSessions(user)).isEqualTo(2);
    }

    @Test
    void aFailedIssueLeavesNoLockAndNoRowBehind(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        db.refreshTokens().issue(TestRefreshTokens.newToken(user));
        String taken = TestRefreshTokens.rawToken();
        db.refreshTokens().issue(NewRefreshToken.forUser(user).rawToken(taken).build());

        // The same raw token again: the insert fails on token_hash's unique index, after the lock statement ran.
        assertThatThrownBy(() -> db.refreshTokens().issue(NewRefreshToken.forUser(user).rawToken(taken).build()))
                .isInstanceOf(com.airesumereview.db.ResumeReviewDbException.class);

        assertThat(db.refreshTokens().countActiveSessions(user)).isEqualTo(2);
        // The lock went with the failed round trip's transaction: a second issue does not wait for it.
        assertThat(db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token().userId()).isEqualTo(user);
    }

    @Test
    void aFourthSessionReportsTheOldestSessionTheTriggerRevoked(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        RefreshToken middle = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        RefreshToken oldest = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        RefreshToken newest = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        rows.execute("UPDATE refresh_tokens SET created_at = created_at - interval '3 hours' WHERE id = ?", oldest.id());
        rows.execute("UPDATE refresh_tokens SET created_at = created_at - interval '2 hours' WHERE id = ?", middle.id());

        IssuedToken fourth = db.refreshTokens().issue(TestRefreshTokens.newToken(user));

        assertThat(fourth.displacedSession().orElseThrow().id()).isEqualTo(oldest.id());
        assertThat(fourth.displacedSession().orElseThrow().status()).isEqualTo(RefreshTokenStatus.REVOKED);
        assertThat(db.refreshTokens().countActiveSessions(user)).isEqualTo(3);
        assertThat(db.refreshTokens().findBySessionId(newest.sessionId())).map(RefreshToken::status)
                .contains(RefreshTokenStatus.ACTIVE);
    }

    @Test
    void refusesToIssueTheSameRawTokenTwice(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user);
        db.refreshTokens().issue(token);
        String before = rows.contents("refresh_tokens");

        assertThatThrownBy(() -> db.refreshTokens().issue(NewRefreshToken.forUser(user)
                .rawToken(token.rawToken()).build()))
                .isInstanceOfSatisfying(DuplicateException.class, e -> {
                    assertThat(e.constraint()).isEqualTo("refresh_tokens_token_hash_key");
                    assertThat(e.field()).isEqualTo("refreshToken.tokenHash");
                })
                .hasMessageNotContaining(token.rawToken())
                .hasMessageNotContaining(RefreshToken.hashOf(token.rawToken()));
        assertThat(rows.contents("refresh_tokens")).isEqualTo(before);
    }

    @Test
    void refusesATokenForAUserThatDoesNotExist(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        assertThatThrownBy(() -> db.refreshTokens().issue(TestRefreshTokens.newToken(UUID.randomUUID())))
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConstraintViolationException.Kind.FOREIGN_KEY);
                    assertThat(e.field()).isEqualTo("refreshToken.userId");
                });
        assertThat(new UserRows(dataSource).contents("refresh_tokens")).isEmpty();
    }

    @Test
    void rejectsInvalidInputNamingTheFieldWithoutShowingTheToken(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken live = TestRefreshTokens.newToken(user);
        db.refreshTokens().issue(live);
        String before = rows.contents("refresh_tokens");
        String raw = "raw-token-value\0";

        assertRejected(() -> db.refreshTokens().issue(NewRefreshToken.forUser(user)
                .rawToken(raw).build()), "refreshToken.rawToken");
        assertThatThrownBy(() -> db.refreshTokens().issue(NewRefreshToken.forUser(user).rawToken(raw).build()))
                .hasMessageNotContaining("raw-token-value");
        assertRejected(() -> db.refreshTokens().issue(NewRefreshToken.forUser(null)
                .rawToken("x").build()), "refreshToken.userId");
        assertRejected(() -> db.refreshTokens().issue(NewRefreshToken.forUser(user)
                .rawToken("x").ipAddress("1".repeat(46)).build()),
                "refreshToken.ipAddress");
        assertRejected(() -> db.refreshTokens().rotate(live.rawToken(), ""), "refreshToken.newRawToken");
        assertRejected(() -> db.refreshTokens().rotate(null, "x"), "refreshToken.rawToken");
        assertRejected(() -> db.refreshTokens().logout(null), "refreshToken.rawToken");
        assertRejected(() -> db.refreshTokens().findBySessionId(null), "refreshToken.sessionId");
        assertRejected(() -> db.refreshTokens().revokeAll(null), "refreshToken.userId");
        assertThat(rows.contents("refresh_tokens")).isEqualTo(before);
    }

    // ---- usable = active and unexpired ------------------------------------------------------------

    /** Production holds 16 such rows: 'active', issued more than 7 days ago, never expired by the function. */
    @Test
    void anActiveTokenPastItsExpiryIsNotUsable(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user);
        RefreshToken issued = db.refreshTokens().issue(token).token();
        rows.execute("UPDATE refresh_tokens SET created_at = now() - interval '8 days', last_used_at = now() - interval"
                + " '8 days', expires_at = now() - interval '1 day' WHERE id = ?", issued.id());
        String before = rows.contents("refresh_tokens");

        assertThat(db.refreshTokens().findActive(token.rawToken())).isEmpty();
        assertThat(db.refreshTokens().findByRawToken(token.rawToken())).map(RefreshToken::status)
                .contains(RefreshTokenStatus.ACTIVE);
        assertThat(db.refreshTokens().findByRawToken(token.rawToken()).orElseThrow().isUsableAt(Instant.now())).isFalse();
        assertThat(db.refreshTokens().listActiveSessions(user)).isEmpty();
        assertThat(db.refreshTokens().countActiveSessions(user)).isZero();
        assertThat(db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken()))
                .isInstanceOf(RotationResult.Expired.class);
        assertThat(rows.contents("refresh_tokens")).as("nothing written").isEqualTo(before);
    }

    // ---- rotation in place -----------------------------------------------------------------------

    @Test
    void rotationKeepsTheSessionsOneRowAndItsIdsWithANewHashAndExpiry(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user);
        RefreshToken issued = db.refreshTokens().issue(token).token();
        rows.execute("UPDATE refresh_tokens SET created_at = created_at - interval '2 days', last_used_at = last_used_at"
                + " - interval '2 days', expires_at = expires_at - interval '2 days' WHERE id = ?", issued.id());
        String next = TestRefreshTokens.rawToken();

        RotationResult result = db.refreshTokens().rotate(token.rawToken(), next);

        assertThat(result).isInstanceOf(RotationResult.Rotated.class);
        RefreshToken rotated = ((RotationResult.Rotated) result).token();
        assertThat(rotated.id()).isEqualTo(issued.id());
        assertThat(rotated.sessionId()).isEqualTo(issued.sessionId());
        assertThat(rotated.tokenHash()).isEqualTo(RefreshToken.hashOf(next));
        assertThat(rotated.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(rotated.lastUsedAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(rotated.expiresAt()).isEqualTo(rotated.lastUsedAt().plus(WEEK));
        assertThat(rotated.expiresAt().minus(WEEK)).as("expires_at - created_at > 7 days, as on rotated production rows")
                .isAfter(rotated.createdAt());
        assertThat(rotated.deviceInfo()).isEqualTo(issued.deviceInfo());
        assertThat(rotated.ipAddress()).isEqualTo(issued.ipAddress());
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ?", user)).isEqualTo(1);
        assertThat(db.refreshTokens().findActive(token.rawToken())).as("the old raw token matches nothing").isEmpty();
        assertThat(db.refreshTokens().findByRawToken(token.rawToken())).isEmpty();
        assertThat(db.refreshTokens().findActive(next)).map(RefreshToken::id).contains(issued.id());
        assertThat(db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken()))
                .as("the replaced token is refused").isInstanceOf(RotationResult.UnknownToken.class);
    }

    @Test
    void rotatingARevokedOrUnknownTokenWritesNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken revoked = TestRefreshTokens.newToken(user);
        db.refreshTokens().issue(revoked);
        db.refreshTokens().logout(revoked.rawToken());
        NewRefreshToken expired = TestRefreshTokens.newToken(user);
        db.refreshTokens().issue(expired);
        rows.execute("UPDATE refresh_tokens SET status = 'expired' WHERE token_hash = ?",
                RefreshToken.hashOf(expired.rawToken()));
        String before = rows.contents("refresh_tokens");

        assertThat(db.refreshTokens().rotate(revoked.rawToken(), TestRefreshTokens.rawToken()))
                .isInstanceOf(RotationResult.Revoked.class);
        assertThat(db.refreshTokens().rotate(expired.rawToken(), TestRefreshTokens.rawToken()))
                .isInstanceOf(RotationResult.Expired.class);
        assertThat(db.refreshTokens().rotate("never-issued", TestRefreshTokens.rawToken()))
                .isInstanceOf(RotationResult.UnknownToken.class);
        assertThat(rows.contents("refresh_tokens")).isEqualTo(before);
    }

    @Test
    void rotatingATokenToItselfIsRejectedBecauseItWouldStayValid(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user);
        db.refreshTokens().issue(token);
        String before = rows.contents("refresh_tokens");

        assertRejected(() -> db.refreshTokens().rotate(token.rawToken(), token.rawToken()),
                "refreshToken.newRawToken");
        assertThatThrownBy(() -> db.refreshTokens().rotate(token.rawToken(), token.rawToken()))
                .hasMessageContaining("must differ from the presented token").hasMessageNotContaining(token.rawToken());
        assertThat(rows.contents("refresh_tokens")).as("nothing written").isEqualTo(before);
    }

    @Test
    void ofTwoConcurrentRotationsOfOneTokenExactlyOneWinsAndTheOtherIsToldItLost(DataSource dataSource)
            throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user);
        RefreshToken issued = db.refreshTokens().issue(token).token();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<RotationResult> results;
        try (Connection blocker = dataSource.getConnection()) {
            // Hold the row so both rotations read it as usable and then queue on their compare-and-set.
            blocker.setAutoCommit(false);
            try (PreparedStatement s = blocker.prepareStatement("SELECT 1 FROM refresh_tokens WHERE id = ? FOR UPDATE")) {
                s.setObject(1, issued.id());
                s.executeQuery().close();
            }
            Future<RotationResult> one = pool.submit(() ->
                    db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken()));
            Future<RotationResult> two = pool.submit(() ->
                    db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken()));
            UserRepositoryTest.awaitBackendsWaitingOnLocks(rows, 2);
            blocker.commit();
            results = List.of(one.get(30, TimeUnit.SECONDS), two.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }

        assertThat(results).filteredOn(RotationResult.Rotated.class::isInstance).hasSize(1);
        assertThat(results).filteredOn(RotationResult.LostRace.class::isInstance).hasSize(1);
        RefreshToken winner = results.stream().filter(RotationResult.Rotated.class::isInstance)
                .map(r -> ((RotationResult.Rotated) r).token()).findFirst().orElseThrow();
        RefreshToken seenByLoser = results.stream().filter(RotationResult.LostRace.class::isInstance)
                .map(r -> ((RotationResult.LostRace) r).session()).findFirst().orElseThrow();
        assertThat(seenByLoser.tokenHash()).as("the loser sees the winner's hash").isEqualTo(winner.tokenHash());
        assertThat(rows.queryString("SELECT token_hash FROM refresh_tokens WHERE id = ?", issued.id()))
                .isEqualTo(winner.tokenHash());
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ?", user)).isEqualTo(1);
    }

    // ---- sessions: find, list, count, logout, revoke ----------------------------------------------

    @Test
    void findsASessionBySessionIdInAnyStatus(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user);
        RefreshToken issued = db.refreshTokens().issue(token).token();
        db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken());
        db.refreshTokens().revokeAll(user);

        assertThat(db.refreshTokens().findBySessionId(issued.sessionId())).hasValueSatisfying(s -> {
            assertThat(s.id()).isEqualTo(issued.id());
            assertThat(s.status()).isEqualTo(RefreshTokenStatus.REVOKED);
        });
        assertThat(db.refreshTokens().findBySessionId(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void listsAndCountsAUsersActiveSessionsMostRecentlyUsedFirst(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken a = TestRefreshTokens.newToken(user);
        RefreshToken first = db.refreshTokens().issue(a).token();
        RefreshToken second = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        RefreshToken revoked = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        db.refreshTokens().revokeSession(user, revoked.sessionId());
        db.refreshTokens().issue(TestRefreshTokens.newToken(other));
        rows.execute("UPDATE refresh_tokens SET created_at = created_at - interval '1 hour', last_used_at = last_used_at"
                + " - interval '1 hour', expires_at = expires_at - interval '1 hour' WHERE id = ?", second.id());
        rows.execute("UPDATE refresh_tokens SET created_at = created_at - interval '2 hours', last_used_at = last_used_at"
                + " - interval '2 hours', expires_at = expires_at - interval '2 hours' WHERE id = ?", first.id());
        db.refreshTokens().rotate(a.rawToken(), TestRefreshTokens.rawToken());   // first is now the most recently used

        assertThat(db.refreshTokens().listActiveSessions(user)).extracting(RefreshToken::id)
                .containsExactly(first.id(), second.id());
        assertThat(db.refreshTokens().countActiveSessions(user)).isEqualTo(2);
        assertThat(db.refreshTokens().countActiveSessions(other)).isEqualTo(1);
    }

    @Test
    void logoutRevokesThePresentedSessionOnly(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken phone = TestRefreshTokens.newToken(user);
        NewRefreshToken laptop = TestRefreshTokens.newToken(user);
        RefreshToken phoneRow = db.refreshTokens().issue(phone).token();
        db.refreshTokens().issue(laptop);

        assertThat(db.refreshTokens().logout(phone.rawToken())).hasValueSatisfying(t -> {
            assertThat(t.id()).isEqualTo(phoneRow.id());
            assertThat(t.status()).isEqualTo(RefreshTokenStatus.REVOKED);
        });
        assertThat(db.refreshTokens().logout(phone.rawToken())).as("already revoked").isEmpty();
        assertThat(db.refreshTokens().logout("never-issued")).isEmpty();
        assertThat(db.refreshTokens().findActive(phone.rawToken())).isEmpty();
        assertThat(db.refreshTokens().findActive(laptop.rawToken())).isPresent();
    }

    @Test
    void revokeAllButTheCurrentSessionAndLogOutEverywhere(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        RefreshToken current = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        RefreshToken second = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        RefreshToken third = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        RefreshToken othersSession = db.refreshTokens().issue(TestRefreshTokens.newToken(other)).token();

        assertThat(db.refreshTokens().revokeAllExcept(user, current.sessionId())).extracting(RefreshToken::id)
                .containsExactlyInAnyOrder(second.id(), third.id());
        assertThat(db.refreshTokens().listActiveSessions(user)).extracting(RefreshToken::id).containsExactly(current.id());

        assertThat(db.refreshTokens().revokeAll(user)).extracting(RefreshToken::id).containsExactly(current.id());
        assertThat(db.refreshTokens().countActiveSessions(user)).isZero();
        assertThat(db.refreshTokens().findBySessionId(othersSession.sessionId())).map(RefreshToken::status)
                .contains(RefreshTokenStatus.ACTIVE);
    }

    @Test
    void revokeSessionTouchesOnlyThatSessionOfThatUser(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        RefreshToken mine = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();
        RefreshToken theirs = db.refreshTokens().issue(TestRefreshTokens.newToken(other)).token();

        assertThat(db.refreshTokens().revokeSession(user, theirs.sessionId())).as("not the user's").isEmpty();
        assertThat(db.refreshTokens().revokeSession(user, mine.sessionId())).map(RefreshToken::status)
                .contains(RefreshTokenStatus.REVOKED);
        assertThat(db.refreshTokens().countActiveSessions(other)).isEqualTo(1);
    }

    // ---- maintenance and mapping --------------------------------------------------------------------

    @Test
    void expiresOverdueTokensAndCleansUpOldOnesReturningTheCount(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        UUID overdue = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token().id();
        UUID live = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token().id();
        UUID longExpired = db.refreshTokens().issue(TestRefreshTokens.newToken(other)).token().id();
        UUID oldRevoked = db.refreshTokens().issue(TestRefreshTokens.newToken(other)).token().id();
        String issuedDaysAgo = "UPDATE refresh_tokens SET created_at = now() - ? * interval '1 day', last_used_at = now()"
                + " - ? * interval '1 day', expires_at = now() - ? * interval '1 day' + interval '7 days' WHERE id = ?";
        rows.execute(issuedDaysAgo, 8, 8, 8, overdue);
        rows.execute(issuedDaysAgo, 40, 40, 40, longExpired);
        rows.execute("UPDATE refresh_tokens SET status = 'expired' WHERE id = ?", longExpired);
        rows.execute(issuedDaysAgo, 8, 8, 8, oldRevoked);
        rows.execute("UPDATE refresh_tokens SET status = 'revoked' WHERE id = ?", oldRevoked);

        db.refreshTokens().markOverdueExpired();

        assertThat(rows.queryString("SELECT status FROM refresh_tokens WHERE id = ?", overdue)).isEqualTo("expired");
        assertThat(rows.queryString("SELECT status FROM refresh_tokens WHERE id = ?", live)).isEqualTo("active");
        assertThat(db.refreshTokens().deleteStaleTokens()).isEqualTo(2);
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens")).isEqualTo(2);
        assertThat(db.refreshTokens().deleteStaleTokens()).isZero();
    }

    @Test
    void everyColumnReadsBackIntoItsSameNamedField(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        RefreshToken token = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token();

        String columns = rows.queryString("SELECT concat_ws('|', id, user_id, token_hash, session_id, status, "
                + "device_info, ip_address, "
                + "to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                + "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                + "to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) "
                + "FROM refresh_tokens WHERE id = ?", token.id());

        assertThat(columns).isEqualTo(String.join("|", token.id().toString(), user.toString(), token.tokenHash(),
                token.sessionId(), "active", token.deviceInfo(), token.ipAddress(), micros(token.expiresAt()),
                micros(token.createdAt()), micros(token.lastUsedAt())));
        assertThat(token.toString()).doesNotContain(token.tokenHash()).contains("tokenHash=***");
        assertThat(TestRefreshTokens.newToken(user).toString()).contains("rawToken=***").doesNotContain("rt_");
    }

    private static String micros(Instant instant) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(instant);
    }

    private static void assertRejected(Runnable call, String field) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field + ": ");
    }
}
