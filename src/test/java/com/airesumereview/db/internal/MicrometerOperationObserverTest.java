package com.airesumereview.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.NotFoundException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The observer called directly, as the statement engine calls it, recording into Micrometer's SimpleMeterRegistry. */
class MicrometerOperationObserverTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OperationObserver observer = new MicrometerOperationObserver(registry);

    @Test
    void timesEachOperationByRepositoryAndMethod() {
        observer.completed("users", "create", TimeUnit.MILLISECONDS.toNanos(3), null);
        observer.completed("users", "create", TimeUnit.MILLISECONDS.toNanos(5), null);
        observer.completed("users", "findById", TimeUnit.MILLISECONDS.toNanos(1), null);

        Timer create = registry.get("resume_review_db.operation")
                .tags("repository", "users", "method", "create", "exception", "none").timer();
        assertThat(create.count()).isEqualTo(2);
        assertThat(create.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8.0);
        assertThat(registry.get("resume_review_db.operation").tags("method", "findById").timer().count()).isEqualTo(1);
        assertThat(registry.find("resume_review_db.constraint_violations").counters()).isEmpty();
        assertThat(registry.find("resume_review_db.unavailable").counters()).isEmpty();
    }

    @Test
    void countsConstraintViolationsByConstraintAndKind() {
        observer.completed("users", "create", 1_000, new DuplicateException("users_email_key", "user.email", "user.email: already exists", null));
        observer.completed("users", "create", 1_000, new DuplicateException("users_email_key", "user.email", "user.email: already exists", null));
        observer.completed("fileUploads", "create", 1_000, new ConstraintViolationException(
                ConstraintViolationException.Kind.FOREIGN_KEY, "file_uploads_user_id_fkey", "fileUpload.userId", "refers to ...", null));
        observer.completed("users", "create", 1_000, new ConstraintViolationException(
                ConstraintViolationException.Kind.NOT_NULL, null, null, "a column is null", null));

        assertThat(registry.get("resume_review_db.constraint_violations")
                .tags("constraint", "users_email_key", "kind", "unique").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("resume_review_db.constraint_violations")
                .tags("constraint", "file_uploads_user_id_fkey", "kind", "foreign_key").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("resume_review_db.constraint_violations")
                .tags("constraint", "unknown", "kind", "not_null").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("resume_review_db.operation")
                .tags("repository", "users", "method", "create", "exception", "DuplicateException").timer().count())
                .as("failed operations are timed too, tagged with the exception type").isEqualTo(2);
        assertThat(registry.find("resume_review_db.unavailable").counters()).isEmpty();
    }

    @Test
    void countsUnavailabilityByOperation() {
        observer.completed("analyses", "claimNextPending", 1_000,
                new DatabaseUnavailableException("the database connection failed", "08006", null));
        observer.completed("users", "findById", 1_000, new NotFoundException("user", "x"));

        assertThat(registry.get("resume_review_db.unavailable")
                .tags("repository", "analyses", "method", "claimNextPending").counter().count()).isEqualTo(1.0);
        assertThat(registry.find("resume_review_db.unavailable").counters()).hasSize(1);
        assertThat(registry.find("resume_review_db.constraint_violations").counters()).isEmpty();
        assertThat(registry.get("resume_review_db.operation").tags("exception", "NotFoundException").timer().count())
                .isEqualTo(1);
    }

    @Test
    void tagsHoldOnlyNamesNeverMessages() {
        observer.completed("users", "create", 1_000,
                new DuplicateException("users_email_key", "user.email", "ada@example.com already exists", null));
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain("ada@"));
            assertThat(meter.getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
                    .isSubsetOf("repository", "method", "exception", "constraint", "kind");
        }
    }
}
