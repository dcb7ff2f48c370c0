package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * EXPLAIN of every lookup, list and update of users and refresh tokens over 30,000 users with one token
 * each: each must be served by an index production already has, except the infix search, which no index
 * can serve (asserted and documented here too).
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class UserQueryPlanTest {
    /** Set-up the library never does (bulk rows, ANALYZE) runs as the owner, also in least-privilege runs. */
    private DataSource owner;

    @BeforeEach
    void connectAsOwner(ProvisionedDatabase database) {
        owner = database.ownerDataSource();
    }

    private static final Instant IN_A_WEEK = Instant.now().plus(Duration.ofDays(7));

    @Test
    void findByEmailUsesTheEmailIndex(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        QueryPlans.assertNoSeqScanOn(dataSource, "users",
                db -> assertThat(db.users().findByEmail(user.email().toUpperCase(Locale.ROOT))).isPresent());
    }

    @Test
    void findByIdAndEveryUpdateByIdUseThePrimaryKey(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        QueryPlans.assertNoSeqScanOn(dataSource, "users", db -> {
            db.users().findById(user.id());
            db.users().updateProfile(user.id(), "New", "Name");
            db.users().changeRole(user.id(), com.airesumereview.db.generated.vocabulary.UserRole.ADMIN);
            db.users().setActive(user.id(), true);
            db.users().setEmailVerified(user.id(), true);
            db.users().changePasswordHash(user.id(), "$2b$12$changed");
            db.users().recordFailedLogin(user.id(), 5, Duration.ofMinutes(15));
            db.users().recordSuccessfulLogin(user.id());
            db.users().isLocked(user.id(), Instant.now());
            db.users().delete(user.id());
        });
    }

    @Test
    void listActiveWalksThePrimaryKeyInsteadOfScanningAndSorting(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        QueryPlans.assertNoSeqScanOn(dataSource, "users", db -> {
            assertThat(db.users().listActive(null, 50)).hasSize(50);
            assertThat(db.users().listActive(user.id(), 50)).isNotEmpty();
        });
        String sql = QueryPlans.statements(dataSource, db -> db.users().listActive(null, 50)).get(0);
        assertThat(nodeTypes(QueryPlans.explain(dataSource, sql))).doesNotContain("Sort");
    }

    @Test
    void searchCannotUseAnIndexForItsInfixMatch(DataSource dataSource) {
        loadAndCreateUser(dataSource, owner);
        List<String> statements = QueryPlans.statements(dataSource, db -> db.users().search("lovelace", null, 20));

        JsonNode plan = QueryPlans.explain(dataSource, statements.get(0));

        // Documented in UserRepository.search: the ILIKE is a filter over rows, never an index condition.
        assertThat(plan.toString()).doesNotContain("Index Cond\":\"((email)::text ~~*")
                .contains("~~*");
    }

    @Test
    void findActiveTokenUsesTheTokenHashIndex(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        NewRefreshToken token = TestRefreshTokens.newToken(user.id());
        ResumeReviewDb.create(dataSource).refreshTokens().issue(token);
        QueryPlans.assertNoSeqScanOn(dataSource, "refresh_tokens", db -> {
            assertThat(db.refreshTokens().findActive(token.rawToken())).isPresent();
            assertThat(db.refreshTokens().findByRawToken(token.rawToken())).isPresent();
        });
    }

    @Test
    void listSessionsUsesTheUserIndexes(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        ResumeReviewDb.create(dataSource).refreshTokens().issue(TestRefreshTokens.newToken(user.id()));
        QueryPlans.assertNoSeqScanOn(dataSource, "refresh_tokens",
                db -> assertThat(db.refreshTokens().listSessions(user.id())).hasSize(1));
    }

    @Test
    void issueRotateTouchAndRevocationsUseIndexes(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        ResumeReviewDb setup = ResumeReviewDb.create(dataSource);
        NewRefreshToken first = TestRefreshTokens.newToken(user.id(), "one");
        setup.refreshTokens().issue(first);
        setup.refreshTokens().issue(TestRefreshTokens.newToken(user.id(), "two"));
        setup.refreshTokens().issue(TestRefreshTokens.newToken(user.id(), "three"));
        QueryPlans.assertNoSeqScanOn(dataSource, "refresh_tokens", db -> {
            var issued = db.refreshTokens().issue(TestRefreshTokens.newToken(user.id(), "four"));
            assertThat(issued.displacedSession()).isPresent();
            db.refreshTokens().touch(issued.token().id());
            db.refreshTokens().rotate(first.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null); // reuse
            db.refreshTokens().revokeSession(user.id(), "two");
            db.refreshTokens().revokeAllExcept(user.id(), "three");
            db.refreshTokens().revokeAll(user.id());
        });
    }

    @Test
    void rotationOfAnActiveTokenUsesIndexes(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        NewRefreshToken token = TestRefreshTokens.newToken(user.id());
        ResumeReviewDb.create(dataSource).refreshTokens().issue(token);
        QueryPlans.assertNoSeqScanOn(dataSource, "refresh_tokens", db -> assertThat(db.refreshTokens()
                .rotate(token.rawToken(), TestRefreshTokens.rawToken(), IN_A_WEEK, null))
                .isInstanceOf(com.airesumereview.db.domain.RotationResult.Rotated.class));
    }

    /** 30,000 users (every tenth inactive) with one active token each, analyzed; then one more user. */
    private static User loadAndCreateUser(DataSource dataSource, DataSource owner) {
        UserRows rows = new UserRows(owner);
        rows.execute("INSERT INTO users (email, password_hash, first_name, last_name, is_active) "
                + "SELECT 'bulk' || g || '@example.com', '$2b$12$bulk', 'First' || g, 'Last' || g, g % 10 <> 0 "
                + "FROM generate_series(1, 30000) g");
        rows.execute("INSERT INTO refresh_tokens (user_id, token_hash, session_id, expires_at) "
                + "SELECT id, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), 'bulk-' || id, "
                + "now() + interval '7 days' FROM users");
        rows.execute("ANALYZE users");
        rows.execute("ANALYZE refresh_tokens");
        return ResumeReviewDb.create(dataSource).users().create(TestUsers.newUser("Ada.Lovelace." + System.nanoTime()
                + "@example.com"));
    }

    private static List<String> nodeTypes(JsonNode plan) {
        List<String> out = new ArrayList<>();
        out.add(plan.path("Node Type").asText());
        for (JsonNode child : plan.path("Plans")) {
            out.addAll(nodeTypes(child));
        }
        return out;
    }
}
