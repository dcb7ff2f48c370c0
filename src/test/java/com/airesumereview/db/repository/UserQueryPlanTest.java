package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
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
 * each (200,000 users for registration): each must be served by an index production already has, except
 * the users list (filters, infix search, total), which no index can serve (asserted and documented here too).
 */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class UserQueryPlanTest {
    /** Set-up the library never does (bulk rows, ANALYZE) runs as the owner, also in least-privilege runs. */
    private DataSource owner;

    @BeforeEach
    void connectAsOwner(ProvisionedDatabase database) {
        owner = database.ownerDataSource();
    }


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
            db.users().setPassword(user.id(), TestUsers.passwordHash());
            db.users().resetPasswordForcingChange(user.id(), TestUsers.passwordHash());
            db.users().recordFailedLogin(user.id());
            db.users().unlock(user.id());
            db.users().recordSuccessfulLogin(user.id());
            db.users().changeEmail(user.id(), "changed." + user.email());
            db.users().isLocked(user.id(), Instant.now());
            db.users().delete(user.id());
        });
    }

    @Test
    void attemptLoginUsesTheEmailIndex(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        QueryPlans.assertNoSeqScanOn(dataSource, "users", db -> assertThat(db.users().attemptLogin(user.email()))
                .isInstanceOf(com.airesumereview.db.domain.LoginAttempt.CheckPassword.class));
    }

    /**
     * Registration and email change are a plain INSERT and a primary-key UPDATE: the unique index
     * users_email_key decides duplicates, no statement reads users by lower(email). Proven on 200,000 users.
     */
    @Test
    void registrationAndEmailChangeAreDecidedByTheUniqueIndexAt200000Users(DataSource dataSource) {
        UserRows rows = new UserRows(owner);
        rows.execute("INSERT INTO users (email, password_hash, first_name, last_name) "
                + "SELECT 'bulk' || g || '@example.com', '" + TestUsers.PASSWORD_HASH + "', 'First' || g, 'Last' || g "
                + "FROM generate_series(1, 200000) g");
        rows.execute("ANALYZE users");
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        User existing = db.users().create(TestUsers.newUser("existing@example.com"));

        List<String> register = QueryPlans.statements(dataSource, lib -> lib.users().create(TestUsers.newUser()));
        List<String> change = QueryPlans.statements(dataSource,
                lib -> lib.users().changeEmail(existing.id(), "Changed@Example.com"));
        List<String> duplicate = QueryPlans.statements(dataSource, lib -> assertThatThrownBy(
                () -> lib.users().create(TestUsers.newUser("BULK77@example.com")))
                .isInstanceOfSatisfying(DuplicateException.class,
                        e -> assertThat(e.constraint()).isEqualTo("users_email_key")));

        assertThat(register).singleElement().satisfies(sql -> assertThat(sql).startsWith("insert into"));
        assertThat(change).singleElement().satisfies(sql -> assertThat(sql).startsWith("update"));
        assertThat(duplicate).singleElement().satisfies(sql -> assertThat(sql).startsWith("insert into"));
        for (String sql : List.of(register.get(0), change.get(0), duplicate.get(0))) {
            JsonNode plan = QueryPlans.explain(dataSource, sql);
            assertThat(QueryPlans.seqScannedRelations(plan)).as("plan of %s:%n%s", sql, plan.toPrettyString()).isEmpty();
            assertThat(plan.toString()).doesNotContain("lower(");
        }
        assertThat(nodeTypes(QueryPlans.explain(dataSource, change.get(0)))).contains("Index Scan");
        assertThat(QueryPlans.explain(dataSource, change.get(0)).toString()).contains("users_pkey");
    }

    @Test
    void theUsersListCannotUseAnIndexAndSaysSo(DataSource dataSource) {
        loadAndCreateUser(dataSource, owner);
        List<String> statements = QueryPlans.statements(dataSource, db -> db.users().list(
                UserFilter.all().withActive(true).withSearch("lovelace"), null, 20));

        // Documented in UserRepository.list: no index covers created_at, is_active or an infix search; the page
        // and its total (a scalar subquery) are one statement.
        assertThat(statements).hasSize(1);
        for (String sql : statements) {
            JsonNode plan = QueryPlans.explain(dataSource, sql);
            assertThat(QueryPlans.seqScannedRelations(plan)).contains("users");
            assertThat(plan.toString()).contains("~~*");
        }
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
    void sessionLookupsListsAndRevocationsUseIndexes(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        ResumeReviewDb setup = ResumeReviewDb.create(dataSource);
        NewRefreshToken first = TestRefreshTokens.newToken(user.id());
        String one = setup.refreshTokens().issue(first).token().sessionId();
        String two = setup.refreshTokens().issue(TestRefreshTokens.newToken(user.id())).token().sessionId();
        String three = setup.refreshTokens().issue(TestRefreshTokens.newToken(user.id())).token().sessionId();
        QueryPlans.assertNoSeqScanOn(dataSource, "refresh_tokens", db -> {
            var issued = db.refreshTokens().issue(TestRefreshTokens.newToken(user.id()));
            assertThat(issued.displacedSession()).isPresent();
            assertThat(db.refreshTokens().findBySessionId(one)).isPresent();
            assertThat(db.refreshTokens().listActiveSessions(user.id())).hasSize(3);
            assertThat(db.refreshTokens().countActiveSessions(user.id())).isEqualTo(3);
            db.refreshTokens().rotate(first.rawToken(), TestRefreshTokens.rawToken());
            db.refreshTokens().revokeSession(user.id(), two);
            db.refreshTokens().revokeAllExcept(user.id(), three);
            db.refreshTokens().logout(first.rawToken());
            db.refreshTokens().revokeAll(user.id());
        });
    }

    @Test
    void rotationOfAUsableTokenUsesIndexes(DataSource dataSource) {
        User user = loadAndCreateUser(dataSource, owner);
        NewRefreshToken token = TestRefreshTokens.newToken(user.id());
        ResumeReviewDb.create(dataSource).refreshTokens().issue(token);
        QueryPlans.assertNoSeqScanOn(dataSource, "refresh_tokens", db -> assertThat(db.refreshTokens()
                .rotate(token.rawToken(), TestRefreshTokens.rawToken()))
                .isInstanceOf(com.airesumereview.db.domain.RotationResult.Rotated.class));
    }

    /** 30,000 users (every tenth inactive) with one active token each, analyzed; then one more user. */
    private static User loadAndCreateUser(DataSource dataSource, DataSource owner) {
        UserRows rows = new UserRows(owner);
        rows.execute("INSERT INTO users (email, password_hash, first_name, last_name, is_active) "
                + "SELECT 'bulk' || g || '@example.com', '" + TestUsers.PASSWORD_HASH + "', 'First' || g, 'Last' || g, g % 10 <> 0 "
                + "FROM generate_series(1, 30000) g");
        rows.execute("INSERT INTO refresh_tokens (user_id, token_hash, session_id, expires_at) "
                + "SELECT id, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), id::text, "
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
