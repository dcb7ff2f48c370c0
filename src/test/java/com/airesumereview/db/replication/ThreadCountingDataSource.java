package com.airesumereview.db.replication;

import com.airesumereview.db.internal.DataSourceWrapper;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A data source that counts the connections the calling thread took from it, so a test can tell where one call
 * ran (the router's probe threads take connections too, but on their own threads).
 */
final class ThreadCountingDataSource extends DataSourceWrapper {
    private final ThreadLocal<int[]> taken = ThreadLocal.withInitial(() -> new int[1]);

    ThreadCountingDataSource(DataSource target) {
        super(target);
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
}
