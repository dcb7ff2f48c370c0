package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metrics end to end: a MeterRegistry given to the config sees repository calls and the pool. */
@ExtendWith(SnapshotDatabaseExtension.class)
class MetricsTest {

    @Test
    void repositoryCallsAreTimedAndConstraintViolationsCounted(ProvisionedDatabase database) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String name = "prompt_" + UUID.randomUUID().toString().replace("-", "");
        try (ResumeReviewDb db = ResumeReviewDb.connect(config(database, registry, 2))) {
            db.prompts().create(NewPrompt.builder()
                    .name(name).template("secret-template-text").promptType(PromptType.CONTENT).build());
            assertThatThrownBy(() -> db.prompts().create(NewPrompt.builder()
                    .name(name).template("t").promptType(PromptType.CONTENT).build()))
                    .isInstanceOf(DuplicateException.class);
            db.schemaMigrations().list();
            db.schemaMigrations().list();
        }

        assertThat(registry.get("resume_review_db.operation")
                .tags("repository", "prompts", "method", "create", "exception", "none").timer().count()).isEqualTo(1);
        assertThat(registry.get("resume_review_db.operation")
                .tags("repository", "prompts", "method", "create", "exception", "DuplicateException").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("resume_review_db.operation")
                .tags("repository", "schemaMigrations", "method", "list").timer().count()).isEqualTo(2);
        assertThat(registry.get("resume_review_db.constraint_violations")
                .tags("constraint", "prompts_name_key", "kind", "unique").counter().count()).isEqualTo(1.0);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).extracting(Tag::getValue)
                    .as("tags of %s hold no bind value", meter.getId().getName())
                    .noneMatch(value -> value.contains(name) || value.contains("secret-template-text"));
        }
    }

    @Test
    void aRepositoryCallIsOneSampleWhateverItsStatementsAndAValidationFailureIsOne(ProvisionedDatabase database) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config(database, registry, 2))) {
            // users.list after a cursor past the last row sends two statements (the empty page, then its total).
            db.users().list(com.airesumereview.db.domain.UserFilter.all(),
                    new com.airesumereview.db.domain.PageCursor(java.time.Instant.parse("1970-01-01T00:00:00Z"),
                            new java.util.UUID(0, 0)), 10);
            assertThatThrownBy(() -> db.users().findById(null)).isInstanceOf(ValidationException.class);
        }
        assertThat(registry.get("resume_review_db.operation")
                .tags("repository", "users", "method", "list", "exception", "none").timer().count())
                .as("one sample for one call of two statements").isEqualTo(1);
        assertThat(registry.get("resume_review_db.operation")
                .tags("repository", "users", "method", "findById", "exception", "ValidationException").timer().count())
                .as("a call refused before any SQL is still a call").isEqualTo(1);
    }

    @Test
    void routineCallsAndCopyAreTimedLikeEveryOtherCall(ProvisionedDatabase database) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config(database, registry, 2))) {
            db.refreshTokens().markOverdueExpired();
            db.fileUploads().cleanupOldUploads();
            var user = db.users().create(com.airesumereview.db.testing.TestUsers.newUser());
            db.fileUploads().createAll(com.airesumereview.db.testing.TestUploads.many(user.id(), 3));
        }
        for (String[] call : new String[][] {{"refreshTokens", "markOverdueExpired"}, {"fileUploads", "cleanupOldUploads"},
                {"fileUploads", "createAll"}}) {
            assertThat(registry.get("resume_review_db.operation")
                    .tags("repository", call[0], "method", call[1], "exception", "none").timer().count())
                    .as("%s.%s", call[0], call[1]).isEqualTo(1);
        }
    }

    @Test
    void everyPoolTheLibraryCreatesPublishesHikariMetrics(ProvisionedDatabase database) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config(database, registry, 3))) {
            db.schemaMigrations().list();
            assertThat(registry.get("hikaricp.connections.max").tag("pool", "resume-review-db").gauge().value())
                    .isEqualTo(3.0);
            assertThat(registry.get("hikaricp.connections.acquire").tag("pool", "resume-review-db").timer().count())
                    .isPositive();
        }
    }

    @Test
    void anOperationThatCannotGetAConnectionCountsAsUnavailable(ProvisionedDatabase database) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try (ResumeReviewDb db = ResumeReviewDb.connect(config(database, registry, 1))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> held = holder.submit(() -> db.useTransaction(tx -> {
                tx.schemaMigrations().list();
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> db.schemaMigrations().list()).isInstanceOf(DatabaseUnavailableException.class);
            release.countDown();
            held.get(10, TimeUnit.SECONDS);
        } finally {
            holder.shutdownNow();
        }
        assertThat(registry.get("resume_review_db.unavailable")
                .tags("repository", "schemaMigrations", "method", "list").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("resume_review_db.operation")
                .tags("method", "list", "exception", "DatabaseUnavailableException").timer().count()).isEqualTo(1);
    }

    private static ResumeReviewDbConfig config(ProvisionedDatabase database, SimpleMeterRegistry registry, int poolSize) {
        return ResumeReviewDbConfig.builder()
                .url(database.url())
                .maximumPoolSize(poolSize)
                .connectionTimeout(Duration.ofMillis(300))
                .schemaCheck(SchemaCheck.OFF)
                .meterRegistry(registry)
                .build();
    }
}
