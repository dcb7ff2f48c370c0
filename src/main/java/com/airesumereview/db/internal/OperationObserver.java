package com.airesumereview.db.internal;

/**
 * Told about every statement the repositories run (metrics). Implementations must be fast and thread-safe and
 * must never see bind values: only the operation's name and the outcome.
 */
public interface OperationObserver {
    /**
     * @param repository     e.g. {@code users}
     * @param method         e.g. {@code findById}
     * @param nanos          wall time of the statement, including acquiring the connection
     * @param failureOrNull  the library exception the caller got, or null on success
     */
    void completed(String repository, String method, long nanos, Throwable failureOrNull);

    /** Observes nothing. */
    OperationObserver NONE = (r, m, n, f) -> { };
}
