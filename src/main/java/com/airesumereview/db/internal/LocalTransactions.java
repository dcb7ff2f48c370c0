package com.airesumereview.db.internal;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.DatabaseUnavailableException;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.TransactionContext;

/**
 * Transactions the library binds to the calling thread itself: the first {@link #inTransaction} (or jOOQ's
 * {@code dsl().transaction(..)}) takes a pooled connection and turns autocommit off, nested ones are savepoints,
 * and every statement on the thread meanwhile runs on that connection.
 *
 * <p>Two rules keep it safe. The thread's state is removed in a {@code finally} whatever a broken connection
 * throws at rollback or commit, so the next transaction on the thread starts clean (jOOQ's own thread-local
 * provider keeps a stale entry when its rollback throws, and every later transaction on that thread then fails).
 * And a connection that arrives with autocommit already off belongs to someone else's transaction (a
 * {@code TransactionAwareDataSourceProxy} inside Spring's, say): the library joins it and never commits or rolls
 * it back.
 *
 * <p>A connection whose begin, commit or rollback failed never goes back to the pool: it is evicted (HikariCP's
 * {@code evictConnection}, or aborted for another pool). Returned, it would keep autocommit off when turning it on
 * failed, and the next transaction on it would take it for someone else's, join it and never commit: its writes
 * acknowledged and then lost, and every later transaction on that connection stuck in the same state.
 */
public final class LocalTransactions extends Transactions {
    private final DataSource dataSource;
    private final ThreadLocal<Bound> bound = new ThreadLocal<>();

    /** The thread's transaction: its connection, whether this object began it, and what waits for its commit. */
    private static final class Bound {
        final Connection connection;
        final boolean ours;
        final List<Runnable> afterCommit = new ArrayList<>(2);

        Bound(Connection connection, boolean ours) {
            this.connection = connection;
            this.ours = ours;
        }
    }

    /** One level of transaction: the outermost (no savepoint) or a nested one. */
    private record Level(Bound bound, Savepoint savepoint) {
    }

    public LocalTransactions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public boolean active() {
        return bound.get() != null;
    }

    @Override
    public Connection acquire() {
        Bound b = bound.get();
        return b != null ? b.connection : pooled();
    }

    @Override
    public void release(Connection connection) {
        Bound b = bound.get();
        if (b != null && b.connection == connection) {
            return;
        }
        closeQuietly(connection);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Level level = begin();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            try {
                rollback(level);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        commit(level);
        return result;
    }

    @Override
    public void afterCommit(Runnable action) {
        Bound b = bound.get();
        if (b == null || !b.ours) {
            // No transaction, or someone else's whose commit we cannot see: now is the best we know.
            action.run();
        } else {
            b.afterCommit.add(action);
        }
    }

    @Override
    public void begin(TransactionContext ctx) {
        ctx.transaction(new JooqLevel(begin()));
    }

    @Override
    public void commit(TransactionContext ctx) {
        commit(((JooqLevel) ctx.transaction()).level);
    }

    @Override
    public void rollback(TransactionContext ctx) {
        // jOOQ calls rollback also when begin itself failed: then there is nothing to undo.
        if (ctx.transaction() instanceof JooqLevel l) {
            rollback(l.level);
        }
    }

    private record JooqLevel(Level level) implements org.jooq.Transaction {
    }

    private Level begin() {
        Bound b = bound.get();
        if (b != null) {
            try {
                return new Level(b, b.connection.setSavepoint());
            } catch (SQLException e) {
                throw boundaryFailure("savepoint", e);
            }
        }
        Connection c = pooled();
        boolean ours;
        try {
            ours = c.getAutoCommit();
            if (ours) {
                c.setAutoCommit(false);
            }
        } catch (SQLException | RuntimeException e) {
            evict(c);
            throw boundaryFailure("begin", e);
        }
        Bound fresh = new Bound(c, ours);
        bound.set(fresh);
        return new Level(fresh, null);
    }

    private void commit(Level level) {
        Bound b = level.bound();
        if (level.savepoint() != null) {
            try {
                b.connection.releaseSavepoint(level.savepoint());
            } catch (SQLException e) {
                throw boundaryFailure("savepoint release", e);
            }
            return;
        }
        boolean clean = false;
        try {
            if (b.ours) {
                b.connection.commit();
            }
            clean = true;
        } catch (SQLException | RuntimeException e) {
            // PostgreSQL ends the transaction either way; a later rollback(level) finds nothing bound.
            throw boundaryFailure("commit", e);
        } finally {
            end(b, clean);
        }
        for (Runnable action : b.afterCommit) {
            action.run();
        }
    }

    private void rollback(Level level) {
        Bound b = level.bound();
        if (bound.get() != b) {
            return;   // already ended (a commit that failed after the binding was released)
        }
        if (level.savepoint() != null) {
            try {
                b.connection.rollback(level.savepoint());
            } catch (SQLException e) {
                throw boundaryFailure("rollback to savepoint", e);
            }
            return;
        }
        boolean clean = false;
        try {
            if (b.ours) {
                b.connection.rollback();
            }
            clean = true;
        } catch (SQLException | RuntimeException e) {
            throw boundaryFailure("rollback", e);
        } finally {
            end(b, clean);
        }
    }

    /**
     * Unbinds the thread first, whatever the connection does next, then gives the connection back, or evicts it
     * when its commit or rollback failed or autocommit cannot be turned on again. After a failed commit or rollback
     * autocommit is left off: turning it on would commit whatever the server still holds.
     */
    private void end(Bound b, boolean clean) {
        bound.remove();
        if (!clean) {
            evict(b.connection);
            return;
        }
        if (b.ours) {
            try {
                b.connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                evict(b.connection);
                return;
            }
        }
        closeQuietly(b.connection);
    }

    /**
     * Takes {@code c} out of the pool for good: HikariCP closes it instead of lending it again (whatever its state or
     * SQLSTATE); another pool gets it back aborted, which every pool detects as broken.
     */
    private void evict(Connection c) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(c);
                return;
            }
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // Closing below is the last resort; the pool's own checks take it from there.
        }
        closeQuietly(c);
    }

    private Connection pooled() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            ConfigurationException pooler = SqlFailures.poolerMismatch(e, "connect");
            if (pooler != null) {
                throw pooler;
            }
            throw new DatabaseUnavailableException("no database connection could be obtained: " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // Nothing the caller can do; the pool evicts a connection that cannot be returned.
        }
    }
}
