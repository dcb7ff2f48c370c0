package com.airesumereview.db.internal;

import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.ParamType;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * One SQL statement of a repository: written once with jOOQ from the generated tables (so the compiler checks
 * every table, column and type), rendered once to SQL text with {@code ?} placeholders, and executed by
 * {@link Database} with plain JDBC: nothing is rendered, parsed or copied per call.
 *
 * <pre>{@code
 * private static final Statement<User> FIND_BY_ID = Statement.read("users.findById",
 *         select(COLUMNS).from(USERS).where(USERS.ID.eq(param("id", UUID.class))), UserRows::user);
 * ...
 * db.one(FIND_BY_ID, id);
 * }</pre>
 *
 * <p>Bind values are positional, in the order their parameters appear in the rendered SQL; create parameters
 * with {@code DSL.param(name, type)}. Inline constants ({@code DSL.inline}) become part of the text.
 *
 * @param <T> what one row reads as ({@code Void} for statements without a result)
 */
public final class Statement<T> {
    /** Renders statements; never executes (it has no connection). */
    private static final DSLContext RENDERER = DSL.using(SQLDialect.POSTGRES,
            new Settings().withRenderSchema(true).withParamType(ParamType.INDEXED).withRenderFormatted(false));

    private final String repository;
    private final String method;
    private final String sql;
    private final int parameters;
    private final boolean read;
    private final RowReader<T> reader;

    private Statement(String name, Query query, boolean read, RowReader<T> reader) {
        Objects.requireNonNull(name, "name");
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new IllegalArgumentException("statement name must be repository.method, was " + name);
        }
        this.repository = name.substring(0, dot);
        this.method = name.substring(dot + 1);
        this.sql = RENDERER.render(query);
        this.parameters = query.getBindValues().size();
        this.read = read;
        this.reader = reader;
    }

    /**
     * A read-only statement (select). Outside a transaction it may run on a replica that has replayed the
     * calling thread's last write; inside {@code inTransaction}, or with no replica, on the primary.
     */
    public static <T> Statement<T> read(String name, Query query, RowReader<T> reader) {
        return new Statement<>(name, query, true, Objects.requireNonNull(reader, "reader"));
    }

    /** A statement that writes and returns rows ({@code ... RETURNING}); always on the primary. */
    public static <T> Statement<T> write(String name, Query query, RowReader<T> reader) {
        return new Statement<>(name, query, false, Objects.requireNonNull(reader, "reader"));
    }

    /** A statement that writes and returns only a row count; always on the primary. */
    public static Statement<Void> write(String name, Query query) {
        return new Statement<>(name, query, false, null);
    }

    /** The SQL text as sent to the server. */
    public String sql() {
        return sql;
    }

    /** How many bind values the statement takes. */
    public int parameters() {
        return parameters;
    }

    /** True when the statement only reads (replica-eligible). */
    public boolean isRead() {
        return read;
    }

    public String repository() {
        return repository;
    }

    public String method() {
        return method;
    }

    RowReader<T> reader() {
        return reader;
    }

    @Override
    public String toString() {
        return repository + "." + method + ": " + sql;
    }
}
