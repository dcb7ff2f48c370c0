package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestPrompts;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every repository method's statement budget, pinned: the statements it sends and the pool checkouts it takes,
 * counted at the JDBC level (a proxy of the data source), steady state. A method that starts sending one more
 * statement fails here, not in production as a slower service. The budgets are declared in the methods'
 * Javadoc ("Statement budget: ...", one where none is written).
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class StatementBudgetTest {
    /** A cursor older than every row: the page after it is empty. */
    private static final PageCursor PAST_THE_END = new PageCursor(Instant.parse("1970-01-01T00:00:00Z"), new UUID(0, 0));
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger checkouts = new AtomicInteger();
    private final List<String> sent = new ArrayList<>();

    @Test
    void everyRepositoryMethodSendsItsDeclaredStatementsOverOneCheckout(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(counting(dataSource));
        SoftAssertions softly = new SoftAssertions();
        User user = db.users().create(TestUsers.newUser());
        User other = db.users().create(TestUsers.newUser());
        String raw = TestRefreshTokens.rawToken();
        db.refreshTokens().issue(com.airesumereview.db.domain.NewRefreshToken.forUser(other.id()).rawToken(raw).build());
        FileUpload upload = db.fileUploads().create(TestUploads.pdf(user.id()));
        AnalysisRequest request = db.analyses().create(TestAnalyses.newRequest(user.id()));
        Prompt prompt = db.prompts().create(TestPrompts.newPrompt(PromptType.ANALYSIS));
        db.analyses().claimNextPending();

        budget(softly, "users.create", 1, () -> db.users().create(TestUsers.newUser()));
        budget(softly, "users.findById", 1, () -> db.users().findById(user.id()));
        budget(softly, "users.findByEmail", 1, () -> db.users().findByEmail(user.email()));
        budget(softly, "users.list", 1, () -> db.users().list(UserFilter.all(), (PageCursor) null, 10));
        budget(softly, "users.list (after the last row: the total alone)", 2, 2,
                () -> db.users().list(UserFilter.all(), PAST_THE_END, 10));
        budget(softly, "users.updateProfile", 1, () -> db.users().updateProfile(user.id(), "A", "B"));
        budget(softly, "users.setActive", 1, () -> db.users().setActive(user.id(), true));
        budget(softly, "users.attemptLogin", 1, () -> db.users().attemptLogin(user.email()));
        budget(softly, "users.recordFailedLogin", 1, () -> db.users().recordFailedLogin(user.id()));
        User locked = db.users().create(TestUsers.newUser());
        for (int i = 0; i < 20 && !db.users().recordFailedLogin(locked.id()).locked(); i++) {
            // fail until the lock-out locks the user
        }
        budget(softly, "users.recordFailedLogin (locked)", 1, () -> db.users().recordFailedLogin(locked.id()));
        budget(softly, "users.recordSuccessfulLogin", 1, () -> db.users().recordSuccessfulLogin(user.id()));
        budget(softly, "users.unlock", 1, () -> db.users().unlock(user.id()));
        budget(softly, "users.isLocked", 1, () -> db.users().isLocked(user.id(), java.time.Instant.now()));

        db.refreshTokens().issue(TestRefreshTokens.newToken(user.id())); // an active session: issue re-reads it
        budget(softly, "refreshTokens.issue", 1, () -> db.refreshTokens().issue(TestRefreshTokens.newToken(user.id())));
        db.refreshTokens().issue(TestRefreshTokens.newToken(user.id()));
        budget(softly, "refreshTokens.issue (displacing the oldest of 3)", 1,
                () -> db.refreshTokens().issue(TestRefreshTokens.newToken(user.id())));
        String next = TestRefreshTokens.rawToken();
        budget(softly, "refreshTokens.rotate", 1, () -> db.refreshTokens().rotate(raw, next));
        budget(softly, "refreshTokens.findActive", 1, () -> db.refreshTokens().findActive(next));
        budget(softly, "refreshTokens.findByRawToken", 1, () -> db.refreshTokens().findByRawToken(next));
        budget(softly, "refreshTokens.listActiveSessions", 1, () -> db.refreshTokens().listActiveSessions(user.id()));
        budget(softly, "refreshTokens.countActiveSessions", 1, () -> db.refreshTokens().countActiveSessions(user.id()));
        budget(softly, "refreshTokens.logout", 1, () -> db.refreshTokens().logout(next));
        budget(softly, "refreshTokens.revokeAll", 1, () -> db.refreshTokens().revokeAll(user.id()));
        budget(softly, "refreshTokens.markOverdueExpired", 1, () -> db.refreshTokens().markOverdueExpired());
        budget(softly, "refreshTokens.deleteStaleTokens", 1, () -> db.refreshTokens().deleteStaleTokens());

        budget(softly, "fileUploads.create", 1, () -> db.fileUploads().create(TestUploads.pdf(user.id())));
        budget(softly, "fileUploads.findById", 1, () -> db.fileUploads().findById(upload.id()));
        budget(softly, "fileUploads.findByContentHash", 1,
                () -> db.fileUploads().findByContentHash(user.id(), upload.fileHash()));
        budget(softly, "fileUploads.listByUser", 1, () -> db.fileUploads().listByUser(user.id(), null, 10));
        budget(softly, "fileUploads.listByUser (after the last row: the total alone)", 2, 2,
                () -> db.fileUploads().listByUser(user.id(), PAST_THE_END, 10));
        budget(softly, "fileUploads.listInPipeline", 1, () -> db.fileUploads().listInPipeline(user.id(), null, 10));
        budget(softly, "fileUploads.listRecent", 1, () -> db.fileUploads().listRecent(null, 10));
        budget(softly, "fileUploads.advance", 1,
                () -> db.fileUploads().advance(upload.id(), UploadStatus.PENDING, UploadStatus.VALIDATING));
        budget(softly, "fileUploads.updateProgress", 1, () -> db.fileUploads().updateProgress(upload.id(), 50));
        budget(softly, "fileUploads.statistics", 1, () -> db.fileUploads().statistics(user.id()));
        budget(softly, "fileUploads.cleanupOldUploads", 1, () -> db.fileUploads().cleanupOldUploads());

        budget(softly, "analyses.create", 1, () -> db.analyses().create(TestAnalyses.newRequest(user.id())));
        db.analyses().create(TestAnalyses.newRequest(user.id()));
        db.analyses().claimNextPending(); // the first claim after a second probes the low-water mark
        budget(softly, "analyses.claimNextPending (steady state)", 1, () -> db.analyses().claimNextPending());
        budget(softly, "analyses.complete", 1, () -> db.analyses().complete(request.id(), TestAnalyses.newResult()));
        budget(softly, "analyses.find", 2, () -> db.analyses().find(request.id()));
        budget(softly, "analyses.listByUser", 1,
                () -> db.analyses().listByUser(user.id(), AnalysisStatus.COMPLETED, null, 10));
        budget(softly, "analyses.listByUser (after the last row: the total alone)", 2, 2,
                () -> db.analyses().listByUser(user.id(), AnalysisStatus.COMPLETED, PAST_THE_END, 10));
        budget(softly, "analyses.countByStatus", 1, () -> db.analyses().countByStatus(user.id()));
        budget(softly, "analyses.requeueStuck", 1, () -> db.analyses().requeueStuck(Duration.ofDays(1)));

        budget(softly, "prompts.findActiveByName", 1, () -> db.prompts().findActiveByName(prompt.name()));
        budget(softly, "prompts.listActiveByType", 1, () -> db.prompts().listActiveByType(PromptType.ANALYSIS));
        budget(softly, "prompts.recordUse", 1, () -> db.prompts().recordUse(request.id(), prompt));
        budget(softly, "prompts.historyOfRequest", 1, () -> db.prompts().historyOfRequest(request.id()));
        budget(softly, "schemaMigrations.list", 1, () -> db.schemaMigrations().list());
        budget(softly, "users.delete", 1, () -> db.users().delete(other.id()));
        softly.assertAll();
    }

    private void budget(SoftAssertions softly, String method, int expected, Runnable call) {
        budget(softly, method, expected, 1, call);
    }

    /**
     * {@code expectedCheckouts} is 1 but for a list after a cursor past its last row (rows deleted between two
     * pages): no row carries the total, so a second, separate statement counts it.
     */
    private void budget(SoftAssertions softly, String method, int expected, int expectedCheckouts, Runnable call) {
        statements.set(0);
        checkouts.set(0);
        synchronized (sent) {
            sent.clear();
        }
        call.run();
        softly.assertThat(statements.get()).as("%s: statements sent %s", method, sent).isEqualTo(expected);
        softly.assertThat(checkouts.get()).as("%s: pool checkouts", method).isEqualTo(expectedCheckouts);
    }

    private DataSource counting(DataSource target) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (result instanceof Connection c) {
                        checkouts.incrementAndGet();
                        return connection(c);
                    }
                    return result;
                });
    }

    private Connection connection(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(c, method, args);
                    if (result instanceof PreparedStatement ps && method.getName().startsWith("prepare")) {
                        return statement(ps, PreparedStatement.class, (String) args[0]);
                    }
                    if (result instanceof Statement s && method.getName().equals("createStatement")) {
                        return statement(s, Statement.class, null);
                    }
                    return result;
                });
    }

    private Object statement(Statement s, Class<?> type, String sql) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                statements.incrementAndGet();
                synchronized (sent) {
                    sent.add(sql != null ? sql.substring(0, Math.min(60, sql.length()))
                            : String.valueOf(args == null ? "" : args[0]));
                }
            }
            return invoke(s, method, args);
        });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
