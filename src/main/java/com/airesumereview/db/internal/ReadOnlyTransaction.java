package com.airesumereview.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs read work on one connection inside a {@code REPEATABLE READ, READ ONLY} transaction (one consistent view;
 * the server refuses any write), always rolled back, and hands a pooled connection back with the autocommit and
 * read-only settings it came with. Used by {@code verify} and {@code audit}, which must never write.
 */
public final class ReadOnlyTransaction {

    /** Work on the connection; it may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {
        /** Reads through {@code connection}. */
        T read(Connection connection) throws SQLException;
    }

    private ReadOnlyTransaction() {
    }

    /**
     * Runs {@code work} in a read-only snapshot transaction on {@code connection}. Autocommit is off while it
     * runs, which is also what lets pgJDBC stream with a cursor when a fetch size is set.
     */
    public static <T> T read(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        boolean readOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            try (Statement statement = connection.createStatement()) {
                // setReadOnly is a driver hint; this makes the server refuse any write, and gives one snapshot.
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            return work.read(connection);
        } finally {
            connection.rollback();
            // A pooled connection goes back as it came.
            connection.setAutoCommit(autoCommit);
            connection.setReadOnly(readOnly);
        }
    }
}
