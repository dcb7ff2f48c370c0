package com.airesumereview.db;

import com.airesumereview.db.domain.User;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUsers;
import java.util.function.Function;

/**
 * Run by {@link WithoutSpringTest} inside a class loader that has no Spring: connect with the start-up check, the
 * library's own transactions (inTransaction, a savepoint, jOOQ's dsl().transaction), an operation of several
 * statements, close. Returns what it saw, as text, because the test's own classes live in another loader.
 */
public final class WithoutSpringScenario implements Function<String[], String> {
    @Override
    public String apply(String[] url) {
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder()
                .url(DatabaseUrl.of(url[0], url[1], url[2]))
                .maximumPoolSize(2)
                .schemaCheck(SchemaCheck.WARN)
                // DriverManager registered the driver of the test's own loader, which this loader cannot see.
                .poolCustomizer(hikari -> hikari.setDriverClassName("org.postgresql.Driver"))
                .build();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config)) {
            User user = db.inTransaction(tx -> {
                User created = tx.users().create(TestUsers.newUser());
                tx.refreshTokens().issue(TestRefreshTokens.newToken(created.id()));   // several statements
                try {
                    tx.useTransaction(inner -> {
                        inner.users().create(TestUsers.newUser());
                        throw new IllegalStateException("savepoint rolled back");
                    });
                } catch (IllegalStateException expected) {
                    // only the savepoint's user is gone
                }
                return created;
            });
            db.dsl().transaction(() -> db.users().recordFailedLogin(user.id()));
            return "users " + db.dsl().fetchCount(com.airesumereview.db.generated.Tables.USERS)
                    + ", sessions " + db.refreshTokens().countActiveSessions(user.id())
                    + ", failed logins " + db.users().findById(user.id()).orElseThrow().failedLoginAttempts();
        }
    }

    /** Asking for Spring's transactions without Spring: a clear ConfigurationException, not NoClassDefFoundError. */
    public static final class AskForSpringTransactions implements Function<String[], String> {
        @Override
        public String apply(String[] ignored) {
            try {
                ResumeReviewDbConfig.builder().transactionManager(new Object());
                return "accepted";
            } catch (ConfigurationException e) {
                return e.setting() + ": " + e.getMessage();
            }
        }
    }
}
