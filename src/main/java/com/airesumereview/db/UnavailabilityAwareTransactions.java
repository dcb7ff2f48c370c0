package com.airesumereview.db;

import com.airesumereview.db.internal.SqlFailures;
import java.sql.SQLException;
import org.jooq.ConnectionProvider;
import org.jooq.TransactionContext;
import org.jooq.impl.ThreadLocalTransactionProvider;

/**
 * jOOQ's thread-bound transactions, with begin, commit and rollback failures on a dead connection raised as
 * {@link DatabaseUnavailableException}: those happen outside any statement, so no ExecuteListener sees them.
 * It extends (rather than wraps) {@link ThreadLocalTransactionProvider} because jOOQ recognises that type to
 * bind repository calls to the running transaction.
 */
final class UnavailabilityAwareTransactions extends ThreadLocalTransactionProvider {

    UnavailabilityAwareTransactions(ConnectionProvider connections) {
        super(connections, true);
    }

    @Override
    public void begin(TransactionContext ctx) {
        try {
            super.begin(ctx);
        } catch (RuntimeException e) {
            throw translated(e, "begin");
        }
    }

    @Override
    public void commit(TransactionContext ctx) {
        try {
            super.commit(ctx);
        } catch (RuntimeException e) {
            throw translated(e, "commit");
        }
    }

    @Override
    public void rollback(TransactionContext ctx) {
        try {
            super.rollback(ctx);
        } catch (RuntimeException e) {
            throw translated(e, "rollback");
        }
    }

    /** The library exception when a connection failure caused {@code e}; {@code e} itself otherwise. */
    static RuntimeException translated(RuntimeException e, String step) {
        if (e instanceof ResumeReviewDbException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SqlFailures.isUnavailable(sql.getSQLState())) {
                return new DatabaseUnavailableException("the database connection failed at transaction " + step
                        + " (SQLSTATE " + sql.getSQLState() + "); if this was a commit, the outcome is unknown",
                        sql.getSQLState(), e);
            }
        }
        return e;
    }
}
