package com.airesumereview.db.replication;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts the connections the calling thread took from it, so a test can tell where one call
 * ran (the router's probe threads take connections too, but on their own threads).
 */
final class ThreadCountingDataSource implements DataSource {
    private final DataSource target;
    private final ThreadLocal<int[]> taken = ThreadLocal.withInitial(() -> new int[1]);

    ThreadCountingDataSource(DataSource target) {
        this.target = target;
    }

    /** Connections the calling thread has taken so far. */
    int takenByThisThread() {
        return taken.get()[0];
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = target.getConnection();
        taken.get()[0]++;
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Connection c = target.getConnection(username, password);
        taken.get()[0]++;
        return c;
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
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }
}
