package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.generated.vocabulary.RefreshTokenStatus;
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

@ExtendWith(SnapshotDatabaseExtension.class)
class RefreshTokenRepositoryTest {
    private static final Instant IN_A_WEEK = Instant.now().plus(Duration.ofDays(7));

    // ---- issue ----------------------------------------------------------------------------------

    @Test
    void storesOnlyTheLowercaseHexSha256OfTheRawToken(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();

        IssuedToken issued = db.refreshTokens().issue(
                new NewRefreshToken(user, "abc", "session-1", "Firefox on Linux", "2001:db8::1", IN_A_WEEK));

        String sha256OfAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(issued.token().tokenHash()).isEqualTo(sha256OfAbc);
        assertThat(RefreshTokenRepository.hashOf("abc")).isEqualTo(sha256OfAbc);
        assertThat(rows.queryString("SELECT token_hash FROM refresh_tokens WHERE id = ?", issued.token().id()))
                .isEqualTo(sha256OfAbc);
        assertThat(issued.token().status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(issued.token().sessionId()).isEqualTo("session-1");
        assertThat(issued.token().deviceInfo()).isEqualTo("Firefox on Linux");
        assertThat(issued.token().ipAddress()).isEqualTo("2001:db8::1");
        assertThat(issued.token().expiresAt()).isCloseTo(IN_A_WEEK, within(1, ChronoUnit.MICROS));
        assertThat(issued.displacedSession()).isEmpty();
    }

    @Test
    void aFourthSessionReportsTheOldestSessionTheTriggerRevoked(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        RefreshToken middle = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "middle")).token();
        RefreshToken oldest = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "oldest")).token();
        RefreshToken newest = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "newest")).token();
        db.refreshTokens().issue(TestRefreshTokens.newToken(other, "other-user"));
        rows.execute("UPDATE refresh_tokens SET created_at = now() - interval '3 hours' WHERE id = ?", oldest.id());
        rows.execute("UPDATE refresh_tokens SET created_at = now() - interval '2 hours' WHERE id = ?", middle.id());

        IssuedToken fourth = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "fourth"));

        assertThat(fourth.displacedSession()).map(RefreshToken::sessionId).contains("oldest");
        assertThat(fourth.displaced().id()).isEqualTo(oldest.id());
        assertThat(fourth.displaced().status()).isEqualTo(RefreshTokenStatus.REVOKED);
        assertThat(db.refreshTokens().listSessions(user)).extracting(RefreshToken::sessionId)
                .containsExactly("fourth", "newest", "middle");
        assertThat(newest.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
        assertThat(db.refreshTokens().listSessions(other)).hasSize(1);
    }

    @Test
    void refusesToIssueTheSameRawTokenTwice(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user);
        db.refreshTokens().issue(token);
        String before = rows.contents("refresh_tokens");

        assertThatThrownBy(() -> db.refreshTokens().issue(
                new NewRefreshToken(user, token.rawToken(), "another-session", null, null, IN_A_WEEK)))
                .isInstanceOfSatisfying(DuplicateException.class, e -> {
                    assertThat(e.constraint()).isEqualTo("refresh_tokens_token_hash_key");
                    assertThat(e.field()).isEqualTo("refreshToken.tokenHash");
                })
                .hasMessageNotContaining(token.rawToken())
                .hasMessageNotContaining(RefreshTokenRepository.hashOf(token.rawToken()));
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
    void rejectsInvalidTokensNamingTheFieldWithoutShowingTheToken(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        db.refreshTokens().issue(TestRefreshTokens.newToken(user));
        String before = rows.contents("refresh_tokens");
        String raw = "raw-token-value\0";

        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(user, raw, "s", null, null, IN_A_WEEK)),
                "refreshToken.rawToken");
        assertThatThrownBy(() -> db.refreshTokens().issue(new NewRefreshToken(user, raw, "s", null, null, IN_A_WEEK)))
                .hasMessageNotContaining("raw-token-value");
        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(user, null, "s", null, null, IN_A_WEEK)),
                "refreshToken.rawToken");
        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(user, "t", " ", null, null, IN_A_WEEK)),
                "refreshToken.sessionId");
        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(user, "t", "s".repeat(256), null, null,
                IN_A_WEEK)), "refreshToken.sessionId");
        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(user, "t", "s", null, "1".repeat(46),
                IN_A_WEEK)), "refreshToken.ipAddress");
        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(user, "t", "s", null, null,
                Instant.now().minusSeconds(1))), "refreshToken.expiresAt");
        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(user, "t", "s", null, null, null)),
                "refreshToken.expiresAt");
        assertRejected(() -> db.refreshTokens().issue(new NewRefreshToken(null, "t", "s", null, null, IN_A_WEEK)),
                "refreshToken.userId");
        assertRejected(() -> db.refreshTokens().rotate("t", "new", Instant.now().minusSeconds(1), null),
                "refreshToken.expiresAt");
        assertRejected(() -> db.refreshTokens().rotate("t", "", IN_A_WEEK, null), "refreshToken.newRawToken");

        assertThat(rows.contents("refresh_tokens")).isEqualTo(before);
    }

    // ---- lookups --------------------------------------------------------------------------------

    @Test
    void findsOnlyAnActiveUnexpiredTokenByItsRawForm(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken live = TestRefreshTokens.newToken(user);
        NewRefreshToken pastExpiry = TestRefreshTokens.newToken(user);
        NewRefreshToken revoked = TestRefreshTokens.newToken(user);
        RefreshToken liveToken = db.refreshTokens().issue(live).token();
        RefreshToken pastToken = db.refreshTokens().issue(pastExpiry).token();
        RefreshToken revokedToken = db.refreshTokens().issue(revoked).token();
        rows.execute("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = ?", pastToken.id());
        db.refreshTokens().revokeSession(user, revokedToken.sessionId());

        assertThat(db.refreshTokens().findActive(live.rawToken())).contains(liveToken);
        assertThat(db.refreshTokens().findActive(pastExpiry.rawToken())).isEmpty();
        assertThat(db.refreshTokens().findActive(revoked.rawToken())).isEmpty();
        assertThat(db.refreshTokens().findActive(TestRefreshTokens.rawToken())).isEmpty();
        assertThat(db.refreshTokens().findByRawToken(revoked.rawToken())).map(RefreshToken::status)
                .contains(RefreshTokenStatus.REVOKED);
    }

    @Test
    void listsActiveSessionsNewestFirst(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        RefreshToken a = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "a")).token();
        RefreshToken b = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "b")).token();
        RefreshToken c = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "c")).token();
        db.refreshTokens().issue(TestRefreshTokens.newToken(other, "other"));
        rows.execute("UPDATE refresh_tokens SET created_at = now() - interval '1 hour' WHERE id = ?", c.id());
        rows.execute("UPDATE refresh_tokens SET created_at = now() - interval '2 hours' WHERE id = ?", a.id());
        rows.execute("UPDATE refresh_tokens SET created_at = now() - interval '3 hours' WHERE id = ?", b.id());

        assertThat(db.refreshTokens().listSessions(user)).extracting(RefreshToken::sessionId)
                .containsExactly("c", "a", "b");

        db.refreshTokens().revokeSession(user, "a");
        rows.execute("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = ?", b.id());
        assertThat(db.refreshTokens().listSessions(user)).extracting(RefreshToken::sessionId).containsExactly("c");
    }

    // ---- rotation -------------------------------------------------------------------------------

    @Test
    void rotationRevokesThePresentedTokenAndIssuesItsSuccessorInTheSameSession(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken first = TestRefreshTokens.newToken(user, "laptop");
        db.refreshTokens().issue(first);
        String next = TestRefreshTokens.rawToken();

        RotationResult result = db.refreshTokens().rotate(first.rawToken(), next, IN_A_WEEK, "198.51.100.4");

        assertThat(result).isInstanceOfSatisfying(RotationResult.Rotated.class, r -> {
            assertThat(r.previous().status()).isEqualTo(RefreshTokenStatus.REVOKED);
            assertThat(r.issued().token().sessionId()).isEqualTo("laptop");
            assertThat(r.issued().token().deviceInfo()).isEqualTo(first.deviceInfo());
            assertThat(r.issued().token().ipAddress()).isEqualTo("198.51.100.4");
            assertThat(r.issued().token().tokenHash()).isEqualTo(RefreshTokenRepository.hashOf(next));
            assertThat(r.issued().displacedSession()).isEmpty();
        });
        assertThat(db.refreshTokens().findActive(first.rawToken())).isEmpty();
        assertThat(db.refreshTokens().findActive(next)).map(RefreshToken::sessionId).contains("laptop");
        assertThat(db.refreshTokens().listSessions(user)).hasSize(1);
    }

    @Test
    void presentingARevokedTokenRevokesEverySessionOfTheUserAndCommits(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken stolen = TestRefreshTokens.newToken(user, "phone");
        db.refreshTokens().issue(stolen);
        db.refreshTokens().issue(TestRefreshTokens.newToken(user, "laptop"));
        db.refreshTokens().issue(TestRefreshTokens.newToken(other, "elsewhere"));
        String successor = TestRefreshTokens.rawToken();
        db.refreshTokens().rotate(stolen.rawToken(), successor, IN_A_WEEK, null);

        RotationResult replay = db.refreshTokens().rotate(stolen.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null);

        assertThat(replay).isInstanceOfSatisfying(RotationResult.ReuseDetected.class, r -> {
            assertThat(r.userId()).isEqualTo(user);
            assertThat(r.presented().sessionId()).isEqualTo("phone");
            assertThat(r.revokedSessions()).extracting(RefreshToken::sessionId)
                    .containsExactlyInAnyOrder("phone", "laptop");
            assertThat(r.revokedSessions()).allSatisfy(t -> assertThat(t.status()).isEqualTo(RefreshTokenStatus.REVOKED));
        });
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ? AND status = 'active'", user))
                .as("committed, seen from another connection").isZero();
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ? AND status = 'active'", other))
                .isEqualTo(1);
        assertThat(db.refreshTokens().findActive(successor)).isEmpty();
    }

    @Test
    void rotatingAnExpiredOrUnknownTokenWritesNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken pastExpiry = TestRefreshTokens.newToken(user);
        NewRefreshToken markedExpired = TestRefreshTokens.newToken(user);
        UUID pastId = db.refreshTokens().issue(pastExpiry).token().id();
        UUID markedId = db.refreshTokens().issue(markedExpired).token().id();
        rows.execute("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = ?", pastId);
        rows.execute("UPDATE refresh_tokens SET status = 'expired' WHERE id = ?", markedId);
        String before = rows.contents("refresh_tokens");

        assertThat(db.refreshTokens().rotate(pastExpiry.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null))
                .isInstanceOfSatisfying(RotationResult.Expired.class,
                        r -> assertThat(r.presented().id()).isEqualTo(pastId));
        assertThat(db.refreshTokens().rotate(markedExpired.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null))
                .isInstanceOfSatisfying(RotationResult.Expired.class,
                        r -> assertThat(r.presented().status()).isEqualTo(RefreshTokenStatus.EXPIRED));
        assertThat(db.refreshTokens().rotate(TestRefreshTokens.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null))
                .isEqualTo(new RotationResult.UnknownToken());
        assertThat(rows.contents("refresh_tokens")).isEqualTo(before);
    }

    @Test
    void ofTwoConcurrentRotationsOfOneTokenExactlyOneWinsAndTheOtherIsToldItLost(DataSource dataSource)
            throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        NewRefreshToken token = TestRefreshTokens.newToken(user, "tab");
        UUID tokenId = db.refreshTokens().issue(token).token().id();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection blocker = dataSource.getConnection()) {
            // Hold the row so both rotations read it as active and then queue on their compare-and-set.
            blocker.setAutoCommit(false);
            try (PreparedStatement s = blocker.prepareStatement("SELECT 1 FROM refresh_tokens WHERE id = ? FOR UPDATE")) {
                s.setObject(1, tokenId);
                s.executeQuery().close();
            }
            Future<RotationResult> one = pool.submit(() ->
                    db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null));
            Future<RotationResult> two = pool.submit(() ->
                    db.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null));
            UserRepositoryTest.awaitBackendsWaitingOnLocks(rows, 2);
            blocker.commit();

            List<RotationResult> results = List.of(one.get(30, TimeUnit.SECONDS), two.get(30, TimeUnit.SECONDS));

            assertThat(results).filteredOn(RotationResult.Rotated.class::isInstance).hasSize(1);
            assertThat(results).filteredOn(RotationResult.LostRace.class::isInstance).hasSize(1)
                    .allSatisfy(r -> assertThat(((RotationResult.LostRace) r).presented().status())
                            .isEqualTo(RefreshTokenStatus.REVOKED));
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens WHERE user_id = ?", user))
                .as("the loser issued nothing").isEqualTo(2);
        assertThat(db.refreshTokens().listSessions(user)).extracting(RefreshToken::sessionId).containsExactly("tab");
    }

    // ---- usage, logout, maintenance -------------------------------------------------------------

    @Test
    void touchStampsLastUsedAt(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID id = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token().id();
        rows.execute("UPDATE refresh_tokens SET last_used_at = '2020-01-01T00:00:00Z' WHERE id = ?", id);

        RefreshToken touched = db.refreshTokens().touch(id);

        assertThat(touched.lastUsedAt()).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThatThrownBy(() -> db.refreshTokens().touch(UUID.randomUUID()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.entity()).isEqualTo("refreshToken"));
    }

    @Test
    void revokingASessionTouchesOnlyThatSessionOfThatUser(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        db.refreshTokens().issue(TestRefreshTokens.newToken(user, "shared-name"));
        db.refreshTokens().issue(TestRefreshTokens.newToken(user, "keep"));
        db.refreshTokens().issue(TestRefreshTokens.newToken(other, "shared-name"));

        List<RefreshToken> revoked = db.refreshTokens().revokeSession(user, "shared-name");

        assertThat(revoked).singleElement().satisfies(t -> {
            assertThat(t.userId()).isEqualTo(user);
            assertThat(t.status()).isEqualTo(RefreshTokenStatus.REVOKED);
        });
        assertThat(db.refreshTokens().listSessions(user)).extracting(RefreshToken::sessionId).containsExactly("keep");
        assertThat(db.refreshTokens().listSessions(other)).extracting(RefreshToken::sessionId)
                .containsExactly("shared-name");
        assertThat(db.refreshTokens().revokeSession(user, "shared-name")).as("already revoked").isEmpty();
    }

    @Test
    void revokingAllButOneSessionKeepsOnlyThatOne(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id();
        db.refreshTokens().issue(TestRefreshTokens.newToken(user, "here"));
        db.refreshTokens().issue(TestRefreshTokens.newToken(user, "there"));
        db.refreshTokens().issue(TestRefreshTokens.newToken(user, "everywhere"));
        db.refreshTokens().issue(TestRefreshTokens.newToken(other, "there"));

        List<RefreshToken> revoked = db.refreshTokens().revokeAllExcept(user, "here");

        assertThat(revoked).extracting(RefreshToken::sessionId).containsExactlyInAnyOrder("there", "everywhere");
        assertThat(db.refreshTokens().listSessions(user)).extracting(RefreshToken::sessionId).containsExactly("here");
        assertThat(db.refreshTokens().listSessions(other)).hasSize(1);
        assertThat(db.refreshTokens().revokeAll(user)).extracting(RefreshToken::sessionId).containsExactly("here");
        assertThat(db.refreshTokens().listSessions(user)).isEmpty();
    }

    @Test
    void expiresOverdueTokensAndCleansUpOldOnesReturningTheCount(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        UUID other = db.users().create(TestUsers.newUser()).id(); // at most 3 per user: no trigger revocation
        UUID overdue = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token().id();
        UUID live = db.refreshTokens().issue(TestRefreshTokens.newToken(user)).token().id();
        UUID longExpired = db.refreshTokens().issue(TestRefreshTokens.newToken(other)).token().id();
        UUID oldRevoked = db.refreshTokens().issue(TestRefreshTokens.newToken(other)).token().id();
        rows.execute("UPDATE refresh_tokens SET expires_at = now() - interval '1 hour' WHERE id = ?", overdue);
        rows.execute("UPDATE refresh_tokens SET status = 'expired', expires_at = now() - interval '31 days' "
                + "WHERE id = ?", longExpired);
        rows.execute("UPDATE refresh_tokens SET status = 'revoked', created_at = now() - interval '8 days' "
                + "WHERE id = ?", oldRevoked);

        db.refreshTokens().expireOverdue();

        assertThat(rows.queryString("SELECT status FROM refresh_tokens WHERE id = ?", overdue)).isEqualTo("expired");
        assertThat(rows.queryString("SELECT status FROM refresh_tokens WHERE id = ?", live)).isEqualTo("active");

        assertThat(db.refreshTokens().cleanupExpired()).isEqualTo(2);
        assertThat(rows.queryLong("SELECT count(*) FROM refresh_tokens")).isEqualTo(2);
        assertThat(db.refreshTokens().cleanupExpired()).isZero();
    }

    @Test
    void everyColumnReadsBackIntoItsSameNamedField(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        RefreshToken token = db.refreshTokens().issue(TestRefreshTokens.newToken(user, "mapping")).token();

        String columns = rows.queryString("SELECT concat_ws('|', id, user_id, token_hash, session_id, status, "
                + "device_info, ip_address, "
                + "to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                + "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                + "to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) "
                + "FROM refresh_tokens WHERE id = ?", token.id());

        assertThat(columns).isEqualTo(String.join("|", token.id().toString(), user.toString(), token.tokenHash(),
                "mapping", "active", token.deviceInfo(), token.ipAddress(), micros(token.expiresAt()),
                micros(token.createdAt()), micros(token.lastUsedAt())));
        assertThat(token.toString()).doesNotContain(token.tokenHash()).contains("tokenHash=***");
        assertThat(TestRefreshTokens.newToken(user).toString()).contains("rawToken=***").doesNotContain("rt_");
    }

    @Test
    void readsProductionRowsWithNullOptionalColumnsAndInfiniteExpiry(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UserRows rows = new UserRows(dataSource);
        UUID user = db.users().create(TestUsers.newUser()).id();
        String raw = TestRefreshTokens.rawToken();
        rows.execute("INSERT INTO refresh_tokens (user_id, token_hash, session_id, expires_at) "
                + "VALUES (?, ?, 'legacy', 'infinity')", user, RefreshTokenRepository.hashOf(raw));

        RefreshToken token = db.refreshTokens().findActive(raw).orElseThrow();

        assertThat(token.deviceInfo()).isNull();
        assertThat(token.ipAddress()).isNull();
        assertThat(token.expiresAt()).isAfter(Instant.parse("9999-12-31T00:00:00Z"));
        assertThat(token.isUsableAt(Instant.now())).isTrue();
        assertThat(db.refreshTokens().listSessions(user)).containsExactly(token);
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
