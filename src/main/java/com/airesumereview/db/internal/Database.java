package com.airesumereview.db.internal;

import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import com.airesumereview.db.generated.vocabulary.Vocabulary;
import org.jooq.DSLContext;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

/**
 * Runs the repositories' {@link Statement}s with plain JDBC: one per {@code ResumeReviewDb}, thread-safe.
 *
 * <p>Whether a statement runs inside a transaction, and on which connection, is {@link Transactions}' answer
 * alone (the library's own, one begun through jOOQ, or Spring's): writes, and every statement inside a
 * transaction, run on the primary; reads outside one go to the {@link ReadRouting} when replicas are configured,
 * and the router hears of a write only once it has committed. Every {@link SQLException} becomes a library
 * exception through {@link SqlFailures}. Statements are bound by name ({@link Binds}) and rows read by column
 * ({@link Row#get}). Each repository call is reported once to the {@link OperationObserver} ({@link #operation}).
 */
public final class Database {
    /** A read whose replica failed under it runs at most this often in all (see {@link ReadRouting#readFailed}). */
    private static final int MAX_READ_ATTEMPTS = 3;
    private final DSLContext dsl;
    private final Transactions transactions;
    private final ReadRouting routing;
    private final OperationObserver observer;
    /** False for {@link OperationObserver#NONE}: then no call is timed and no thread-local marks it. */
    private final boolean observed;
    /**
     * The repository call ({@link #operation}) running on this thread in slot 0, or null; a slot per thread, so a
     * call sets a field rather than a new thread-local entry.
     */
    private final ThreadLocal<String[]> current = ThreadLocal.withInitial(() -> new String[1]);
    /** {@code repository.method} -> {repository, method}, so reporting a call allocates nothing. */
    private final java.util.concurrent.ConcurrentMap<String, String[]> split =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Driver-side timeout of every statement in milliseconds, 0 for none (the server's statement_timeout rules). */
    private final long clientTimeoutMillis;

    /**
     * @param dsl           the primary's context, whose transaction provider is {@code transactions}
     * @param transactions  the one notion of the current transaction
     * @param routing       where reads outside a transaction go, or null for "the primary"
     * @param observer      told about every statement
     * @param clientTimeout a driver-side timeout for each statement ({@link Duration#ZERO} for none), for servers
     *                      reached through a pooler that cannot carry {@code statement_timeout} as a startup option
     */
    public Database(DSLContext dsl, Transactions transactions, ReadRouting routing, OperationObserver observer,
                    Duration clientTimeout) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.routing = routing;
        this.observer = Objects.requireNonNull(observer, "observer");
        this.observed = observer != OperationObserver.NONE;
        this.clientTimeoutMillis = Objects.requireNonNull(clientTimeout, "clientTimeout").toMillis();
    }

    /** The primary's jOOQ context (transactions, and queries a service writes through {@code ResumeReviewDb.dsl()}). */
    public DSLContext dsl() {
        return dsl;
    }

    /**
     * Runs one repository call: {@code work} validates its input and runs its statements, and the
     * {@link OperationObserver} hears of the call once, from call to return or throw, whatever the number of
     * statements (none when validation refuses the input). A call inside another call is part of it.
     *
     * @param name {@code repository.method}, e.g. {@code users.attemptLogin}
     */
    public <T> T operation(String name, Supplier<T> work) {
        if (!observed) {
            return work.get();
        }
        String[] running = current.get();
        if (running[0] != null) {
            return work.get();
        }
        running[0] = name;
        long started = now();
        Throwable failure = null;
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            running[0] = null;
            report(name, now() - started, failure);
        }
    }

    /** Like {@link #operation(String, Supplier)} for a call without a result. */
    public void operation(String name, Runnable work) {
        operation(name, () -> {
            work.run();
            return null;
        });
    }

    /** The first row, or empty. */
    public <T> Optional<T> one(Statement<T> statement, Binds binds) {
        return Optional.ofNullable(run(statement, false, binds, Database::first));
    }

    /** Like {@link #one}, always on the primary (e.g. to re-read a row right after a failed compare-and-set). */
    public <T> Optional<T> oneOnPrimary(Statement<T> statement, Binds binds) {
        return Optional.ofNullable(run(statement, true, binds, Database::first));
    }

    /** Every row, in the statement's order; an unmodifiable list. */
    public <T> List<T> list(Statement<T> statement, Binds binds) {
        return run(statement, false, binds, (s, ps) -> {
            try (ResultSet rs = ps.executeQuery()) {
                return readAll(s, rs);
            }
        });
    }

    /** Every row, always on the primary. */
    public <T> List<T> listOnPrimary(Statement<T> statement, Binds binds) {
        return run(statement, true, binds, (s, ps) -> {
            try (ResultSet rs = ps.executeQuery()) {
                return readAll(s, rs);
            }
        });
    }

    /** A statement whose one row is one number ({@code select count(*) ...}). */
    public long count(Statement<? extends Number> statement, Binds binds) {
        Number n = run(statement, false, binds, Database::first);
        return n == null ? 0 : n.longValue();
    }

    /** Runs a statement without a result and returns the number of rows it changed. */
    public int execute(Statement<?> statement, Binds binds) {
        return run(statement, true, binds, (s, ps) -> ps.executeUpdate());
    }

    /**
     * Sends a {@link Pipeline}'s statements in one round trip, always on the primary, and returns what each
     * returned. Outside a transaction the server runs them in the implicit transaction that ends at the round
     * trip's {@code Sync}: they commit together, or none does; inside one (the library's, jOOQ's or Spring's) they
     * are part of it.
     */
    public Pipeline.Results pipeline(Pipeline pipeline, Binds named) {
        String name = pipeline.repository() + "." + pipeline.method();
        long started = now();
        Object[] binds;
        try {
            binds = pipeline.positional(named);
        } catch (RuntimeException e) {
            observeStatement(name, now() - started, e);
            throw e;
        }
        return onPrimary(name, started, connection -> {
            List<Object> results = new ArrayList<>(pipeline.parts().size());
            try (PreparedStatement ps = connection.prepareStatement(pipeline.sql())) {
                if (clientTimeoutMillis > 0) {
                    timeout(ps, clientTimeoutMillis);
                }
                bind(connection, ps, binds, name);
                boolean rows = ps.execute();
                for (Statement<?> part : pipeline.parts()) {
                    if (part.reader() == null) {
                        results.add(ps.getUpdateCount());
                    } else if (!rows) {
                        throw new IllegalStateException(part + ": returned no result set in its pipeline");
                    } else {
                        try (ResultSet rs = ps.getResultSet()) {
                            results.add(readAll(part, rs));
                        }
                    }
                    rows = ps.getMoreResults();
                }
            }
            return new Pipeline.Results(pipeline.parts(), results);
        });
    }

    private static <T> List<T> readAll(Statement<T> s, ResultSet rs) throws SQLException {
        List<T> out = new ArrayList<>();
        Row row = row(s, rs);
        while (rs.next()) {
            out.add(s.reader().read(row));
        }
        return List.copyOf(out);
    }

    /** Writes rows with {@code COPY ... FROM STDIN}; see {@link #copy(String, String, CopyWriter)}. */
    @FunctionalInterface
    public interface CopyWriter {
        /** Writes every row to {@code in} (COPY's text format) and does not end the copy. */
        void write(org.postgresql.copy.CopyIn in) throws SQLException;
    }

    /**
     * Runs {@code COPY ... FROM STDIN} on the primary (joining the caller's transaction when there is one) like any
     * other statement: failures through {@link SqlFailures}, the router told of the write, observed when not part of
     * an {@link #operation}. Returns the number of rows copied.
     *
     * @param name {@code repository.method}
     * @param sql  the COPY statement, rendered from the generated table and columns
     */
    public long copy(String name, String sql, CopyWriter rows) {
        return onPrimary(name, now(), connection -> {
            org.postgresql.copy.CopyIn in = connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                rows.write(in);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        });
    }

    @FunctionalInterface
    private interface PrimaryWork<R> {
        R run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on the primary's connection (the caller's transaction's when there is one) for what is not
     * one {@link Statement} (pipelines, COPY): failures through {@link SqlFailures}, the router told of the write
     * once it commits, observed when not part of an {@link #operation}.
     */
    private <R> R onPrimary(String name, long started, PrimaryWork<R> work) {
        Throwable failure = null;
        Connection connection = null;
        try {
            connection = transactions.acquire();
            R result = work.run(connection);
            if (routing != null) {
                transactions.afterCommit(routing::written);
            }
            return result;
        } catch (SQLException e) {
            ResumeReviewDbException translated = SqlFailures.translate(e, name);
            failure = translated;
            throw translated;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (connection != null) {
                release(connection, false);
            }
            observeStatement(name, now() - started, failure);
        }
    }

    /**
     * The one compare-and-set: runs {@code update} (an {@code UPDATE ... WHERE id = ? AND state = ? RETURNING ...})
     * and returns its row; when it changed nothing, re-reads the row on the primary with {@code findById} and
     * throws {@link NotFoundException} if it is gone, else {@link StaleStateException} naming the state found.
     *
     * @param entity   the entity's name in messages, e.g. {@code fileUpload}
     * @param id       the row's id, as shown in messages
     * @param expected the state(s) the update expected, as shown in messages
     * @param stateOf  reads the state of a re-read row, as shown in messages
     * @param find     the binds of {@code findById}
     */
    public <T> T transition(String entity, Object id, String expected, Function<T, Object> stateOf,
                            Statement<T> update, Binds binds, Statement<T> findById, Binds find) {
        Optional<T> changed = Optional.ofNullable(run(update, true, binds, Database::first));
        if (changed.isPresent()) {
            return changed.get();
        }
        T current = oneOnPrimary(findById, find).orElseThrow(() -> new NotFoundException(entity, String.valueOf(id)));
        Object state = stateOf.apply(current);
        throw new StaleStateException(entity, String.valueOf(id), expected, String.valueOf(state));
    }

    /**
     * Runs {@code work} in one transaction on the primary: commits when it returns, rolls back when it throws
     * (the exception propagates). Inside a transaction (the library's, jOOQ's or Spring's) it is a savepoint.
     */
    public <T> T inTransaction(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        return transactions.inTransaction(() -> {
            T result = work.get();
            if (routing != null) {
                // Also covers writes made through dsl() inside the work, which the engine does not see.
                transactions.afterCommit(routing::written);
            }
            return result;
        });
    }

    /**
     * Runs the statements of one repository operation atomically: inside the caller's transaction when there is
     * one (joining it), else in a short transaction of its own. Never commits a transaction it did not start.
     */
    public <T> T atomically(Supplier<T> work) {
        return transactions.atomically(work);
    }

    /** True while the calling thread is inside a transaction, whoever began it. */
    public boolean inTransaction() {
        return transactions.active();
    }

    @FunctionalInterface
    private interface Execution<T, R> {
        R run(Statement<T> statement, PreparedStatement ps) throws SQLException;
    }

    private static <T> T first(Statement<T> s, PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? s.reader().read(row(s, rs)) : null;
        }
    }

    private static Row row(Statement<?> s, ResultSet rs) {
        return new Row(rs, s.columns(), s.name());
    }

    /** A statement outside any {@link #operation} (e.g. run directly by a test) is observed on its own. */
    private void observeStatement(String name, long nanos, Throwable failure) {
        if (observed && current.get()[0] == null) {
            report(name, nanos, failure);
        }
    }

    /** The clock, read only when someone observes: nothing is timed for {@link OperationObserver#NONE}. */
    private long now() {
        return observed ? System.nanoTime() : 0L;
    }

    private void report(String name, long nanos, Throwable failure) {
        String[] parts = split.computeIfAbsent(name, n -> {
            int dot = n.indexOf('.');
            return new String[] {n.substring(0, dot), n.substring(dot + 1)};
        });
        observer.completed(parts[0], parts[1], nanos, failure);
    }

    private <T, R> R run(Statement<T> statement, boolean forcePrimary, Binds named, Execution<T, R> execution) {
        long started = now();
        Object[] binds;
        try {
            binds = statement.positional(named);
        } catch (RuntimeException e) {
            observeStatement(statement.name(), now() - started, e);
            throw e;
        }
        boolean replica = routing != null && statement.isRead() && !forcePrimary && !transactions.active();
        Throwable failure = null;
        Connection connection = null;
        try {
            connection = replica ? routing.readConnection() : transactions.acquire();
            R result;
            for (int attempt = 1; ; attempt++) {
                try (PreparedStatement ps = connection.prepareStatement(statement.sql())) {
                    if (clientTimeoutMillis > 0) {
                        timeout(ps, clientTimeoutMillis);
                    }
                    bind(connection, ps, binds, statement.name());
                    result = execution.run(statement, ps);
                    break;
                } catch (SQLException e) {
                    // A replica's connection broke (or replay cancelled the read): the router sets it aside and the
                    // read runs again, on another replica or the primary. Reads outside a transaction are safe to repeat.
                    if (!replica || attempt >= MAX_READ_ATTEMPTS || !routing.readFailed(e)) {
                        throw e;
                    }
                    release(connection, true);
                    connection = null;
                    connection = routing.readConnection();
                }
            }
            if (!statement.isRead() && routing != null) {
                transactions.afterCommit(routing::written);
            }
            return result;
        } catch (SQLException e) {
            ResumeReviewDbException translated = SqlFailures.translate(e,
                    statement.name());
            failure = translated;
            throw translated;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (connection != null) {
                release(connection, replica);
            }
            observeStatement(statement.name(), now() - started, failure);
        }
    }

    private void release(Connection connection, boolean replica) {
        try {
            if (replica) {
                connection.close();
            } else {
                transactions.release(connection);
            }
        } catch (SQLException | RuntimeException e) {
            // The statement's own outcome stands; a connection that cannot go back is the pool's to evict.
        }
    }

    /** pgJDBC takes milliseconds; any other driver gets whole seconds, rounded up. */
    private static void timeout(PreparedStatement ps, long millis) throws SQLException {
        if (ps.isWrapperFor(org.postgresql.jdbc.PgStatement.class)) {
            ps.unwrap(org.postgresql.jdbc.PgStatement.class).setQueryTimeoutMs(millis);
        } else {
            ps.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
        }
    }

    private static void bind(Connection c, PreparedStatement ps, Object[] binds, String statement)
            throws SQLException {
        for (int i = 0; i < binds.length; i++) {
            int p = i + 1;
            Object v = binds[i];
            if (v == null) {
                ps.setNull(p, Types.OTHER);
            } else if (v instanceof String s) {
                ps.setString(p, s);
            } else if (v instanceof Instant instant) {
                ps.setObject(p, offset(instant));
            } else if (v instanceof Vocabulary word) {
                ps.setString(p, word.literal());
            } else if (v instanceof Duration d) {
                // Days plus seconds: a PGInterval's seconds alone overflow past 2^31 s (68 years).
                long days = d.toDays();
                Duration rest = d.minusDays(days);
                ps.setObject(p, new PGInterval(0, 0, Math.toIntExact(days), 0, 0,
                        rest.getSeconds() + rest.getNano() / 1e9));
            } else if (v instanceof Collection<?> list) {
                ps.setArray(p, c.createArrayOf("text", list.toArray()));
            } else if (v instanceof java.util.UUID[] ids) {
                ps.setArray(p, c.createArrayOf("uuid", ids));
            } else if (v instanceof String[] array) {
                ps.setArray(p, c.createArrayOf("text", array));
            } else if (v instanceof JsonNode json) {
                PGobject jsonb = new PGobject();
                jsonb.setType("jsonb");
                try {
                    jsonb.setValue(Jsonb.write(json));
                } catch (JsonProcessingException e) {
                    throw new ValidationException(statement + " (jsonb)",
                            "must be JSON nested at most " + Jsonb.MAX_NESTING + " levels deep", "a deeper value");
                }
                ps.setObject(p, jsonb);
            } else {
                ps.setObject(p, v);
            }
        }
    }

    /** pgJDBC writes OffsetDateTime.MAX/MIN as infinity/-infinity, and years beyond 9999 or BC in its own form. */
    private static OffsetDateTime offset(Instant instant) {
        if (instant.equals(Instant.MAX)) {
            return OffsetDateTime.MAX;
        }
        if (instant.equals(Instant.MIN)) {
            return OffsetDateTime.MIN;
        }
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
