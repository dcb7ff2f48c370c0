package com.airesumereview.db.internal;

import com.airesumereview.db.DatabaseUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.TransactionContext;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The current transaction is Spring's: {@code @Transactional} methods and {@code TransactionTemplate}s of the
 * service's {@link PlatformTransactionManager} (a {@code DataSourceTransactionManager} or {@code
 * JdbcTransactionManager} over the same {@link DataSource}). Statements take their connection through
 * {@link DataSourceUtils}, so inside a Spring transaction they run on its connection and see what a
 * {@code JdbcTemplate} wrote before them; {@code inTransaction} is {@code PROPAGATION_NESTED} (a savepoint inside
 * Spring's transaction, a new one outside), as jOOQ's Spring integration does. Loaded only when a transaction
 * manager is configured, so Spring stays an optional dependency.
 */
public final class SpringTransactions extends Transactions {
    private final DataSource dataSource;
    private final ClosableDataSource guard;
    private final PlatformTransactionManager manager;
    private final TransactionTemplate nested;
    private final TransactionTemplate required;

    private SpringTransactions(DataSource dataSource, ClosableDataSource guard, PlatformTransactionManager manager) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.nested = new TransactionTemplate(manager, new DefaultTransactionDefinition(
                TransactionDefinition.PROPAGATION_NESTED));
        this.required = new TransactionTemplate(manager, new DefaultTransactionDefinition(
                TransactionDefinition.PROPAGATION_REQUIRED));
    }

    /**
     * Typed loosely so that callers compile and load without Spring; only this class links against it.
     *
     * @param dataSource the data source the manager binds connections for (Spring's resource key)
     * @param guard      the library's closed flag for that data source
     * @param manager    the service's {@code PlatformTransactionManager}
     */
    public static Transactions create(DataSource dataSource, ClosableDataSource guard, Object manager) {
        return new SpringTransactions(dataSource, guard, (PlatformTransactionManager) manager);
    }

    /** True when {@code candidate} is a Spring {@code PlatformTransactionManager}; needs Spring on the classpath. */
    public static boolean isTransactionManager(Object candidate) {
        return candidate instanceof PlatformTransactionManager;
    }

    /** True when Spring runs a real transaction on this thread holding a connection of this data source. */
    @Override
    public boolean active() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder
                && holder.isSynchronizedWithTransaction();
    }

    @Override
    public Connection acquire() {
        guard.requireOpen();
        try {
            return DataSourceUtils.getConnection(dataSource);
        } catch (CannotGetJdbcConnectionException e) {
            SQLException cause = e.getCause() instanceof SQLException sql ? sql : null;
            throw new DatabaseUnavailableException("no database connection could be obtained: "
                    + (cause != null ? cause.getMessage() : e.getMessage()), cause != null ? cause.getSQLState() : null, e);
        }
    }

    @Override
    public void release(Connection connection) {
        DataSourceUtils.releaseConnection(connection, dataSource);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return run(nested, work);
    }

    @Override
    public <T> T atomically(Supplier<T> work) {
        return active() ? work.get() : run(required, work);
    }

    @Override
    public void afterCommit(Runnable action) {
        if (active() && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }

    @Override
    public void begin(TransactionContext ctx) {
        try {
            ctx.transaction(new SpringLevel(manager.getTransaction(nested)));
        } catch (TransactionException e) {
            throw boundaryFailure("begin", e);
        }
    }

    @Override
    public void commit(TransactionContext ctx) {
        try {
            manager.commit(((SpringLevel) ctx.transaction()).status());
        } catch (TransactionException e) {
            throw boundaryFailure("commit", e);
        }
    }

    @Override
    public void rollback(TransactionContext ctx) {
        if (ctx.transaction() instanceof SpringLevel level && !level.status().isCompleted()) {
            try {
                manager.rollback(level.status());
            } catch (TransactionException e) {
                throw boundaryFailure("rollback", e);
            }
        }
    }

    private record SpringLevel(TransactionStatus status) implements org.jooq.Transaction {
    }

    private static <T> T run(TransactionTemplate template, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        try {
            return template.execute(status -> work.get());
        } catch (TransactionException e) {
            // Begin, savepoint or commit failed outside any statement: name it in the library's terms.
            throw boundaryFailure("boundary", e);
        }
    }
}
