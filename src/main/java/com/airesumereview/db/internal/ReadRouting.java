package com.airesumereview.db.internal;

/**
 * Where read statements outside a transaction run: a replica that has caught up with the caller, or the
 * primary. The engine uses none (every statement on the primary) when no replica is configured.
 */
public interface ReadRouting extends AutoCloseable {
    /** A connection for one read statement outside any transaction (replica or primary); the caller closes it. */
    java.sql.Connection readConnection() throws java.sql.SQLException;

    /** Called after a write committed on the primary (autocommit statement or a committed inTransaction) by the calling thread. */
    void written();

    /**
     * Called when a read on the calling thread's last {@link #readConnection()} failed with {@code failure}.
     * Returns true when the failure was the replica's connection breaking (server down or restarting): the
     * replica is set aside and the read may be run again on a fresh {@link #readConnection()}, which no longer
     * picks it; or a hot-standby query cancelled by replay ({@code conflict with recovery}). Returns false for
     * every other failure (the primary's, a statement error): report it as usual. Callers retry a bounded number
     * of times (reads outside transactions are safe to run again).
     */
    default boolean readFailed(java.sql.SQLException failure) {
        return false;
    }

    @Override
    void close();
}
