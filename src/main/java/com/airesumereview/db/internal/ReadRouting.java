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

    @Override
    void close();
}
