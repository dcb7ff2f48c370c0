package com.airesumereview.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * What the library's HikariCP pools open their connections with: the driver's data source, retried every
 * {@code pollInterval} while the server is unreachable, once it has been reached at least once.
 *
 * <p>Why: HikariCP's connection adder sleeps between failed attempts, doubling the sleep from 10 ms up to 5 s
 * ({@code HikariPool.PoolEntryCreator}). After an outage of a few seconds the server is back but the adder may sleep
 * for up to 5 s more, while every caller waits for a connection. Retrying here, inside the adder's one attempt, keeps
 * that attempt going until the server answers, so the first connection is opened at most one poll interval after
 * the server accepts connections again, and the adder never backs off during an outage. Callers are unaffected:
 * they still wait at most the pool's connection timeout and get its timeout failure during the outage.
 *
 * <p>Only connection failures are retried (SQLSTATE class 08 and the server starting or shutting down,
 * {@link SqlFailures#isUnavailable(String)}), never a refused login or a pooler mismatch; and never before the first
 * success, so a wrong address still fails the start-up at once. {@link #close()} ends the retrying (the pool is being
 * closed), and one attempt retries for at most {@link #MAX_RETRYING} (then HikariCP's own backoff, restarted at
 * 10 ms, applies once before the next attempt). Thread-safe.
 */
public final class ReconnectingDataSource extends DataSourceWrapper {
    /** Longest one attempt keeps retrying; the pool's adder thread is its only caller, so it may wait long. */
    static final Duration MAX_RETRYING = Duration.ofMinutes(5);
    private final long pollMillis;
    private volatile boolean reachedOnce;
    private volatile boolean closed;

    public ReconnectingDataSource(DataSource target, Duration pollInterval) {
        super(target);
        this.pollMillis = Math.max(1, pollInterval.toMillis());
    }

    /** The data source it retries. */
    public DataSource target() {
        return target;
    }

    /** From now on a failed attempt fails at once (the pool is closing). */
    public void close() {
        closed = true;
    }

    @FunctionalInterface
    private interface Attempt {
        Connection connect() throws SQLException;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(target::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(() -> target.getConnection(username, password));
    }

    private Connection connect(Attempt attempt) throws SQLException {
        long deadline = System.nanoTime() + MAX_RETRYING.toNanos();
        while (true) {
            try {
                Connection c = attempt.connect();
                reachedOnce = true;
                return c;
            } catch (SQLException e) {
                if (!reachedOnce || closed || System.nanoTime() > deadline || !SqlFailures.isUnavailable(e)
                        || SqlFailures.poolerMismatch(e, "connect") != null) {
                    throw e;
                }
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();   // the pool is shutting its adder down
                    throw e;
                }
            }
        }
    }
}
