package com.airesumereview.db.internal;

/**
 * Told about every repository operation once it has finished, by the statement engine. Implementations must be
 * thread-safe and quick, and must never see bind values: only the repository, the method and the outcome.
 */
public interface OperationObserver {
    /**
     * @param repository     the repository's name, e.g. {@code users}
     * @param method         the operation, e.g. {@code create}
     * @param nanos          how long the operation took
     * @param failureOrNull  the library exception the caller got, or null when it succeeded
     */
    void completed(String repository, String method, long nanos, Throwable failureOrNull);

    /** Observes nothing: the default when no metrics are wanted. */
    OperationObserver NONE = (r, m, n, f) -> { };
}
