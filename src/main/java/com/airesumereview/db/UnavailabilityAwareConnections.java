package com.airesumereview.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jooq.ConnectionProvider;
import org.jooq.exception.DataAccessException;

/**
 * Hands jOOQ connections from the pool, turning "no connection could be had" (server down, pool exhausted
 * past its timeout) into {@link DatabaseUnavailableException} instead of jOOQ's generic wrapper, so callers
 * see one exception hierarchy.
 */
final class UnavailabilityAwareConnections implements ConnectionProvider {
    private final DataSource dataSource;

    UnavailabilityAwareConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection acquire() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("no database connection could be obtained: " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }

    @Override
    public void release(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new DataAccessException("could not return a connection to the pool", e);
        }
    }
}
