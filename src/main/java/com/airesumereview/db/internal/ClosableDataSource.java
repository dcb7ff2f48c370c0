package com.airesumereview.db.internal;

import com.airesumereview.db.DatabaseClosedException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A view of a {@link DataSource} that refuses connections with {@link DatabaseClosedException} once
 * {@link #close()} was called, without closing the data source behind it (which may be the caller's). Every
 * path to the database of a ResumeReviewDb (repositories, transactions, schema check, audit) borrows through it,
 * so one flag decides "closed" for all of them. Thread-safe.
 */
public final class ClosableDataSource extends DataSourceWrapper {
    private volatile boolean closed;

    public ClosableDataSource(DataSource target) {
        super(target);
    }

    /** From now on every request for a connection fails; connections already lent are unaffected. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** @throws DatabaseClosedException after {@link #close()} */
    public void requireOpen() {
        if (closed) {
            throw new DatabaseClosedException();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        requireOpen();
        return target.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        requireOpen();
        return target.getConnection(username, password);
    }
}
