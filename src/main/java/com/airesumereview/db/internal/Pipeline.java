package com.airesumereview.db.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Statements of one repository operation sent to the server together, in one round trip: their texts joined by
 * {@code ;} into one prepared statement, which pgJDBC sends as one Parse/Bind/Execute per statement and a single
 * {@code Sync}, then reads every result. Each statement runs with its own snapshot, so a later one sees what an
 * earlier one (and the triggers it fired) wrote; the server runs them in one transaction (the caller's, or the
 * implicit one that ends at the {@code Sync}), so they commit or fail together.
 *
 * <p>For what one statement cannot say: a trigger's change is invisible to the statement that fired it. The
 * statements cannot pass values to each other (the client sees the results only after the last has run), so each
 * later statement finds its rows in SQL.
 *
 * <pre>{@code
 * private static final Pipeline ISSUE = Pipeline.of("refreshTokens.issue", LOCK_ACTIVE, INSERT, REVOKED_NOW);
 * Pipeline.Results r = db.pipeline(ISSUE, Binds.of("userId", id, ...));
 * List<RefreshToken> before = r.list(LOCK_ACTIVE);
 * }</pre>
 */
public final class Pipeline {
    private final String repository;
    private final String method;
    private final List<Statement<?>> parts;
    private final String sql;
    private final Set<String> names;
    /** The number of {@code ?} in {@link #sql}. */
    private final int placeholders;

    private Pipeline(String name, List<Statement<?>> parts) {
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new IllegalArgumentException("pipeline name must be repository.method, was " + name);
        }
        if (parts.size() < 2) {
            throw new IllegalArgumentException(name + ": a pipeline takes two or more statements");
        }
        this.repository = name.substring(0, dot);
        this.method = name.substring(dot + 1);
        this.parts = List.copyOf(parts);
        StringBuilder text = new StringBuilder();
        Set<String> all = new LinkedHashSet<>();
        for (Statement<?> s : this.parts) {
            if (s.sql().indexOf(';') >= 0) {
                // pgJDBC splits the joined text at every ';' outside quotes: a statement of its own must hold none.
                throw new IllegalArgumentException(name + ": a pipelined statement must not contain ';': " + s.sql());
            }
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(s.sql());
            all.addAll(s.parameterNames());
        }
        this.sql = text.toString();
        this.names = Set.copyOf(all);
        this.placeholders = this.parts.stream().mapToInt(Statement::placeholders).sum();
    }

    /** Sends {@code parts} in one round trip, in this order, as the operation {@code name} (repository.method). */
    public static Pipeline of(String name, Statement<?>... parts) {
        Objects.requireNonNull(name, "name");
        return new Pipeline(name, List.of(parts));
    }

    /** The text sent: the statements' texts joined by {@code "; "}. */
    public String sql() {
        return sql;
    }

    /** The statements, in the order they run. */
    public List<Statement<?>> parts() {
        return parts;
    }

    String repository() {
        return repository;
    }

    String method() {
        return method;
    }

    /**
     * Every placeholder's value, statement after statement; a name shared by two statements takes one value.
     *
     * @throws IllegalStateException naming the parameter when one is missing, of the wrong type, or unknown to
     *                               every statement
     */
    Object[] positional(Binds binds) {
        for (int i = 0; i < binds.size(); i++) {
            if (!names.contains(binds.name(i))) {
                throw new IllegalStateException(repository + "." + method + ": none of its statements has a parameter '"
                        + binds.name(i) + "' (they take " + names + ")");
            }
        }
        Object[] out = new Object[placeholders];
        int at = 0;
        for (Statement<?> s : parts) {
            Object[] values = s.positional(binds, true);
            System.arraycopy(values, 0, out, at, values.length);
            at += values.length;
        }
        return out;
    }

    /** What each statement of a pipeline returned, looked up by the statement. */
    public static final class Results {
        private final List<Statement<?>> parts;
        private final List<Object> results;

        Results(List<Statement<?>> parts, List<Object> results) {
            this.parts = parts;
            this.results = results;
        }

        /** The rows {@code part} returned, in its order; an unmodifiable list. */
        @SuppressWarnings("unchecked")
        public <T> List<T> list(Statement<T> part) {
            Object r = results.get(index(part));
            if (!(r instanceof List<?> rows)) {
                throw new IllegalStateException(part + " returns no rows");
            }
            return (List<T>) rows;
        }

        /** The first row {@code part} returned; fails when it returned none. */
        public <T> T one(Statement<T> part) {
            List<T> rows = list(part);
            if (rows.isEmpty()) {
                throw new IllegalStateException(part + " returned no row");
            }
            return rows.get(0);
        }

        /** The number of rows {@code part} (a statement without a reader) changed. */
        public int updated(Statement<?> part) {
            Object r = results.get(index(part));
            if (!(r instanceof Integer n)) {
                throw new IllegalStateException(part + " returns rows, not a count");
            }
            return n;
        }

        private int index(Statement<?> part) {
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i) == part) {
                    return i;
                }
            }
            throw new IllegalArgumentException(part + " is not part of this pipeline");
        }
    }
}
