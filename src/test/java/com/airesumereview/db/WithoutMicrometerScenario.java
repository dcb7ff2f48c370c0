package com.airesumereview.db;

import com.airesumereview.db.testing.TestUsers;
import java.util.function.Function;

/**
 * Run by {@link WithoutMicrometerTest} inside a class loader that has no Micrometer: the whole no-registry path
 * (config, connect with the start-up check, both statement paths, close). Returns what it saw, as text, because
 * the test's own classes live in another loader.
 */
public final class WithoutMicrometerScenario implements Function<String[], String> {
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
            db.users().create(TestUsers.newUser());
            return "users " + db.dsl().fetchCount(com.airesumereview.db.generated.Tables.USERS)
                    + ", migrations " + db.schemaMigrations().list().size()
                    + ", prompts " + db.prompts().findActiveByName("resume_analysis_system").isPresent();
        }
    }

    /** The one way to ask for metrics without Micrometer: a clear ConfigurationException, not NoClassDefFoundError. */
    public static final class AskForMetrics implements Function<String[], String> {
        @Override
        public String apply(String[] ignored) {
            try {
                ResumeReviewDbConfig.builder().meterRegistry(new Object());
                return "accepted";
            } catch (ConfigurationException e) {
                return e.setting() + ": " + e.getMessage();
            }
        }
    }
}
