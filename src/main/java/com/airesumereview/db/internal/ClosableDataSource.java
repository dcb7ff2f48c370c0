package com.airesumereview.db.internal;

import com.airesumereview.db.DatabaseClosedException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A view of a {@link DataSource} that refuses connections with {@link DatabaseClosedException} once
 * {@link #close()} was called, without closing the data source behind it (which may be the caller's). Every
 * path to the database of a ResumeReviewDb (repositories, transactions, schema check, audit) borrows through it,
 * so one flag decides "closed" for all of them. Thread-safe.
 */
public final class ClosableDataSource implements DataSource {
    private final DataSource target;
    private volatile boolean closed;

    public ClosableDataSource(DataSource target) {
        this.target = Objects.requireNonNull(target, "target");
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

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target.isWrapperFor(type);
    }
}
