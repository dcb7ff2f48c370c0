package com.airesumereview.db.internal;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DatabaseUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Records repository operations in Micrometer. Tags hold names the code chooses (repository, method, exception
 * type, constraint), never a value a caller passed, so their number is bounded and no email or hash reaches a
 * metrics backend.
 * <ul>
 *   <li>{@value #OPERATION}: timer, tags {@code repository}, {@code method}, {@code exception}
 *       ({@code none} or the library exception's simple name)</li>
 *   <li>{@value #CONSTRAINT_VIOLATIONS}: counter, tags {@code constraint} (production's name, {@code unknown} when
 *       the server did not say) and {@code kind} (unique, foreign_key, check, not_null, exclusion)</li>
 *   <li>{@value #UNAVAILABLE}: counter, tags {@code repository}, {@code method}</li>
 * </ul>
 */
public final class MicrometerOperationObserver implements OperationObserver {
    /** Timer per repository operation. */
    public static final String OPERATION = "resume_review_db.operation";
    /** Writes refused by a database constraint. */
    public static final String CONSTRAINT_VIOLATIONS = "resume_review_db.constraint_violations";
    /** Operations that failed because the database could not be reached. */
    public static final String UNAVAILABLE = "resume_review_db.unavailable";

    private final MeterRegistry registry;
    // Micrometer looks meters up by id on every register(); the few tag combinations are kept here instead.
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public MicrometerOperationObserver(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void completed(String repository, String method, long nanos, Throwable failureOrNull) {
        String exception = failureOrNull == null ? "none" : failureOrNull.getClass().getSimpleName();
        timers.computeIfAbsent(repository + '\0' + method + '\0' + exception, key -> Timer.builder(OPERATION)
                        .description("Time of one repository operation, from call to return or throw")
                        .tag("repository", repository)
                        .tag("method", method)
                        .tag("exception", exception)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (failureOrNull instanceof ConstraintViolationException violation) {
            String constraint = violation.constraint() == null ? "unknown" : violation.constraint();
            String kind = violation.kind() == null ? "unknown" : violation.kind().name().toLowerCase(java.util.Locale.ROOT);
            counters.computeIfAbsent(CONSTRAINT_VIOLATIONS + '\0' + constraint + '\0' + kind,
                    key -> Counter.builder(CONSTRAINT_VIOLATIONS)
                            .description("Writes the database refused because of a constraint")
                            .tag("constraint", constraint)
                            .tag("kind", kind)
                            .register(registry)).increment();
        } else if (failureOrNull instanceof DatabaseUnavailableException) {
            counters.computeIfAbsent(UNAVAILABLE + '\0' + repository + '\0' + method,
                    key -> Counter.builder(UNAVAILABLE)
                            .description("Repository operations that failed because the database could not be reached")
                            .tag("repository", repository)
                            .tag("method", method)
                            .register(registry)).increment();
        }
    }
}
