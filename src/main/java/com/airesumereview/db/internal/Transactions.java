package com.airesumereview.db.internal;

import com.airesumereview.db.DatabaseOperationException;
import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.ResumeReviewDbException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jooq.ConnectionProvider;
import org.jooq.TransactionContext;
import org.jooq.impl.ThreadLocalTransactionProvider;

/**
 * The one answer to "is the calling thread inside a transaction, and whose?". Routing (primary or replica),
 * read-your-writes ({@link #afterCommit}), nested calls (savepoints), the operations that need several statements
 * ({@link #atomically}) and jOOQ's own {@code dsl().transaction(..)} all ask this object, so they cannot disagree.
 *
 * <p>Two implementations: {@link LocalTransactions}, where the library binds its own transactions to the thread,
 * and {@code SpringTransactions}, where the current transaction is Spring's ({@code @Transactional},
 * {@code TransactionTemplate}) and the library joins it. Neither ever commits or rolls back a transaction it did
 * not start.
 *
 * <p>It extends jOOQ's {@link ThreadLocalTransactionProvider} only because jOOQ accepts the context form
 * {@code dsl().transaction(() -> ..)} with that type alone; every method that matters is overridden here, and
 * jOOQ's own thread-local state is never used (jOOQ hands every connection request to {@link #acquire()}).
 */
public abstract class Transactions extends ThreadLocalTransactionProvider {

    protected Transactions() {
        this(new Holder());
    }

    private Transactions(Holder holder) {
        super(holder, true);
        holder.owner = this;
    }

    /** True while the calling thread is inside a transaction: the library's, one begun through jOOQ, or Spring's. */
    public abstract boolean active();

    /**
     * A connection for one statement: the current transaction's when {@link #active()}, else a pooled one in
     * autocommit mode. Give it back with {@link #release}.
     *
     * @throws DatabaseUnavailableException when no connection can be had
     */
    public abstract Connection acquire();

    /** Gives back a connection from {@link #acquire()}; a transaction's connection stays with the transaction. */
    public abstract void release(Connection connection);

    /**
     * Runs {@code work} in a transaction of its own, or in a savepoint of the current one: commits (or releases
     * the savepoint) when it returns, rolls back (to the savepoint) when it throws, and rethrows.
     */
    public abstract <T> T inTransaction(Supplier<T> work);

    /**
     * Runs the statements of one library operation atomically: inside the current transaction when there is
     * one (joining it, no savepoint: a failure propagates to its owner, who rolls back), else in a short
     * transaction of its own.
     */
    public <T> T atomically(Supplier<T> work) {
        return active() ? work.get() : inTransaction(work);
    }

    /**
     * Runs {@code action} once the current transaction has committed (never when it rolls back), or at once when
     * there is no transaction. Used to tell the replica router that the thread wrote something.
     */
    public abstract void afterCommit(Runnable action);

    // jOOQ's entry points for dsl().transaction(..): subclasses keep their state in the context's transaction.
    @Override
    public abstract void begin(TransactionContext ctx);

    @Override
    public abstract void commit(TransactionContext ctx);

    @Override
    public abstract void rollback(TransactionContext ctx);

    /** Translates a failure at a transaction boundary (begin, commit, rollback, savepoint) into the library's type. */
    protected static ResumeReviewDbException boundaryFailure(String step, Throwable e) {
        if (e instanceof ResumeReviewDbException mine) {
            return mine;
        }
        ResumeReviewDbException pooler = SqlFailures.poolerMismatch(e, "transaction " + step);
        if (pooler != null) {
            return pooler;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SqlFailures.isUnavailable(sql.getSQLState())) {
                return new DatabaseUnavailableException("the database connection failed at transaction " + step
                        + " (SQLSTATE " + sql.getSQLState() + ")" + ("commit".equals(step)
                        ? "; the outcome of the commit is unknown" : "; nothing of the transaction was kept"),
                        sql.getSQLState(), e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return new DatabaseOperationException("transaction " + step + " failed (SQLSTATE " + sql.getSQLState()
                        + ")", sql.getSQLState(), e);
            }
        }
        return new DatabaseOperationException("transaction " + step + " failed: " + e.getClass().getSimpleName(),
                null, e);
    }

    /** What jOOQ calls for connections: always this object's {@link #acquire()} and {@link #release}. */
    private static final class Holder implements ConnectionProvider {
        private Transactions owner;

        @Override
        public Connection acquire() {
            return owner.acquire();
        }

        @Override
        public void release(Connection connection) {
            owner.release(connection);
        }
    }
}
