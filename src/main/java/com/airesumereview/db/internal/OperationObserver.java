package com.airesumereview.db.internal;

/**
 * Told about every repository call (metrics): once per call, from call to return or throw, whatever the number of
 * statements it ran, including calls refused by validation before any SQL ({@link Database#operation}).
 * Implementations must be fast and thread-safe and must never see bind values: only the operation's name and the
 * outcome.
 */
public interface OperationObserver {
    /**
     * @param repository     e.g. {@code users}
     * @param method         e.g. {@code findById}
     * @param nanos          wall time of the call, from call to return or throw
     * @param failureOrNull  the library exception the caller got, or null on success
     */
    void completed(String repository, String method, long nanos, Throwable failureOrNull);

    /** Observes nothing. */
    OperationObserver NONE = (r, m, n, f) -> { };
}
