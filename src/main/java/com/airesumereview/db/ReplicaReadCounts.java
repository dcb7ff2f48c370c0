package com.airesumereview.db;

/**
 * How reads outside transactions were routed since the {@link ResumeReviewDb} was created, for metrics and health
 * pages ({@link ResumeReviewDb#replicaReadCounts()}). All zero without read replicas.
 *
 * @param replicaReads          reads served by a replica
 * @param primaryReadsBehind    reads sent to the primary because no replica had replayed what the caller must
 *                              see (its own write, its token) or was within the staleness limit
 * @param primaryReadsUnavailable reads sent to the primary because no replica could serve at all (down,
 *                              promoted, another cluster, not probed yet)
 * @param retriedReads          reads whose replica connection broke and that ran again on another connection
 * @param replicaStateChanges   changes of a replica's state (serving, lagging, down, promoted, foreign)
 */
public record ReplicaReadCounts(long replicaReads, long primaryReadsBehind, long primaryReadsUnavailable,
        long retriedReads, long replicaStateChanges) {

    /**
     * Reads sent to the primary for either reason.
     *
     * @return {@code primaryReadsBehind + primaryReadsUnavailable}
     */
    public long primaryReads() {
        return primaryReadsBehind + primaryReadsUnavailable;
    }
}
