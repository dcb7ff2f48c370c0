package com.airesumereview.db.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectField;
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
 *         select(COLUMNS).from(USERS).where(USERS.ID.eq(param("id", UUID.class))), USER_ROW);
 * ...
 * db.one(FIND_BY_ID, Binds.of("id", id));
 * }</pre>
 *
 * <p>Parameters are named ({@code DSL.param(name, type)}); the engine binds a {@link Binds} by name and puts a
 * value into every place its name appears, so no call site knows the render order. A bind value without a name
 * ({@code DSL.val}) is refused when the statement is built; inline constants ({@code DSL.inline}) become part of
 * the text. A statement with a {@link RowReader} checks, when it is built, that its select list (or
 * {@code RETURNING} list) holds every column the reader reads; the reader reads them by column, not by position.
 *
 * @param <T> what one row reads as ({@code Void} for statements without a result)
 */
public final class Statement<T> {
    /** Renders statements; never executes (it has no connection). */
    private static final DSLContext RENDERER = DSL.using(SQLDialect.POSTGRES,
            new Settings().withRenderSchema(true).withParamType(ParamType.INDEXED).withRenderFormatted(false));
    /** A parameter prefix jOOQ never writes otherwise, so that the named rendering shows each name's places. */
    private static final String MARK = "\u00a7\u00a7";
    private static final DSLContext NAMER = DSL.using(SQLDialect.POSTGRES,
            new Settings().withRenderSchema(true).withRenderFormatted(false).withRenderNamedParamPrefix(MARK));

    private final String name;
    private final String repository;
    private final String method;
    private final String sql;
    /** The distinct parameter names, and the Java type each takes. */
    private final String[] names;
    private final Class<?>[] types;
    /** For each {@code ?} in {@link #sql}, in order: its index in {@link #names}. */
    private final int[] slots;
    /** True when each name has one place, in the order of {@link #names}: the values need no rearranging. */
    private final boolean inOrder;
    private final boolean read;
    private final RowReader<T> reader;
    private final Columns columns;

    private Statement(String name, Query query, boolean read, RowReader<T> reader) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new IllegalArgumentException("statement name must be repository.method, was " + name);
        }
        this.name = name;
        this.repository = name.substring(0, dot);
        this.method = name.substring(dot + 1);
        this.sql = RENDERER.render(query);
        Map<String, Param<?>> params = query.getParams();
        List<String> order = new ArrayList<>();
        List<Integer> slotList = new ArrayList<>();
        String named = NAMER.renderNamedParams(query);
        StringBuilder positional = new StringBuilder(named.length());
        for (int i = 0; i < named.length(); ) {
            if (!named.startsWith(MARK, i)) {
                positional.append(named.charAt(i++));
                continue;
            }
            int start = i + MARK.length();
            int end = start;
            while (end < named.length() && (Character.isLetterOrDigit(named.charAt(end)) || named.charAt(end) == '_')) {
                end++;
            }
            String param = named.substring(start, end);
            if (param.isEmpty() || param.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException(name + ": bind value " + param + " has no name; write"
                        + " DSL.param(name, type) (or DSL.inline for a constant): " + sql);
            }
            int index = order.indexOf(param);
            if (index < 0) {
                index = order.size();
                order.add(param);
            }
            slotList.add(index);
            positional.append('?');
            i = end;
        }
        if (!positional.toString().equals(sql) || (slotList.isEmpty() && !query.getBindValues().isEmpty())) {
            // The places found by name must be exactly the placeholders sent; anything else would bind wrongly.
            throw new IllegalStateException(name + ": the named rendering does not match the SQL sent:\n  " + sql
                    + "\n  " + positional);
        }
        this.names = order.toArray(new String[0]);
        this.types = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            Param<?> p = params.get(names[i]);
            types[i] = p == null ? Object.class : p.getType();
        }
        this.slots = slotList.stream().mapToInt(Integer::intValue).toArray();
        boolean identity = slots.length == names.length;
        for (int i = 0; identity && i < slots.length; i++) {
            identity = slots[i] == i;
        }
        this.inOrder = identity;
        this.read = read;
        this.reader = reader;
        this.columns = reader == null ? null : Columns.of(resultFields(name, query));
        if (reader != null) {
            for (Field<?> c : reader.columns()) {
                int at = columns.indexOf(c);
                if (at < 0) {
                    throw new IllegalArgumentException(name + ": the reader reads " + c.getQualifiedName()
                            + ", which the statement's select list does not hold: " + sql);
                }
                // jOOQ's fields() are copies of the generated fields: remember the reader's own instances, so
                // that every read is one identity lookup rather than a lookup by qualified name.
                columns.remember(c, at);
            }
        }
    }

    private static List<? extends SelectField<?>> resultFields(String name, Query query) {
        if (query instanceof ResultQuery<?> rq) {
            return Arrays.asList(rq.fields());
        }
        throw new IllegalArgumentException(name + ": a statement with a reader must return rows (select or RETURNING)");
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

    /** The statement's parameter names, each once, in the order they first appear. */
    public List<String> parameterNames() {
        return List.of(names);
    }

    /** The number of {@code ?} in {@link #sql}. */
    int placeholders() {
        return slots.length;
    }

    /** True when the statement only reads (replica-eligible). */
    public boolean isRead() {
        return read;
    }

    /** {@return {@code repository.method}, as given, e.g. {@code users.findById}} */
    public String name() {
        return name;
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

    Columns columns() {
        return columns;
    }

    /**
     * The value for each placeholder, in order, from {@code binds}.
     *
     * @throws IllegalStateException naming the parameter when a name is missing, unknown, or of the wrong type
     */
    Object[] positional(Binds binds) {
        return positional(binds, false);
    }

    /** Like {@link #positional(Binds)}; with {@code othersAllowed}, names it does not take are left for others. */
    Object[] positional(Binds binds, boolean othersAllowed) {
        Object[] byName = new Object[names.length];
        int found = 0;
        for (int i = 0; i < names.length; i++) {
            int at = binds.indexOf(names[i]);
            if (at < 0) {
                throw new IllegalStateException(this.repository + "." + method + ": no bind value for parameter '"
                        + names[i] + "' (takes " + Arrays.toString(names) + ", got " + binds + ")");
            }
            Object v = binds.value(at);
            if (v != null && !accepts(types[i], v)) {
                throw new IllegalStateException(this.repository + "." + method + ": parameter '" + names[i]
                        + "' takes " + types[i].getSimpleName() + ", got " + v.getClass().getSimpleName());
            }
            byName[i] = v;
            found++;
        }
        if (found != binds.size() && !othersAllowed) {
            for (int i = 0; i < binds.size(); i++) {
                if (!Arrays.asList(names).contains(binds.name(i))) {
                    throw new IllegalStateException(this.repository + "." + method + ": it has no parameter '"
                            + binds.name(i) + "' (takes " + Arrays.toString(names) + ")");
                }
            }
        }
        if (inOrder) {
            return byName;
        }
        Object[] out = new Object[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = byName[slots[i]];
        }
        return out;
    }

    /** The Java type a parameter was declared with, or a form the engine binds as that type. */
    private static boolean accepts(Class<?> type, Object v) {
        if (type == Object.class || type.isInstance(v)) {
            return true;
        }
        if (type == org.jooq.types.DayToSecond.class) {
            return v instanceof java.time.Duration;
        }
        if (type == org.jooq.JSONB.class) {
            return v instanceof com.fasterxml.jackson.databind.JsonNode;
        }
        if (type == List.class || type == String[].class) {
            return v instanceof List<?> || v instanceof String[];
        }
        return false;
    }

    @Override
    public String toString() {
        return repository + "." + method + ": " + sql;
    }

    /** Where each column of a result is, found by the generated field (identity) or its qualified name. */
    static final class Columns {
        private final Map<Field<?>, Integer> byField = new java.util.IdentityHashMap<>();
        private final Map<org.jooq.Name, Integer> byName = new HashMap<>();
        /** By column name alone (a CTE's or union's columns, named like the table's); -1 when ambiguous. */
        private final Map<String, Integer> byColumnName = new HashMap<>();
        private final List<Field<?>> fields;

        private Columns(List<Field<?>> fields) {
            this.fields = fields;
            for (int i = 0; i < fields.size(); i++) {
                byField.putIfAbsent(fields.get(i), i + 1);
                byName.putIfAbsent(fields.get(i).getQualifiedName(), i + 1);
                int at = i + 1;
                byColumnName.merge(fields.get(i).getName(), at, (a, b) -> -1);
            }
        }

        static Columns of(List<? extends SelectField<?>> selectList) {
            List<Field<?>> fields = new ArrayList<>();
            for (SelectField<?> f : selectList) {
                fields.add(f instanceof Field<?> field ? field : DSL.field(f.getQualifiedName(), f.getDataType()));
            }
            return new Columns(List.copyOf(fields));
        }

        /** Makes {@code field}, found at the 1-based position {@code at}, found by identity from now on. */
        void remember(Field<?> field, int at) {
            byField.putIfAbsent(field, at);
        }

        /** The 1-based position of {@code field}, or -1. */
        int indexOf(Field<?> field) {
            Integer i = byField.get(field);
            if (i == null) {
                i = byName.get(field.getQualifiedName());
            }
            if (i == null) {
                i = byColumnName.get(field.getName());
            }
            return i == null ? -1 : i;
        }

        /** The 1-based position of the column named {@code name}, or -1 (also when two columns share it). */
        int indexOfName(String name) {
            Integer i = byColumnName.get(name);
            return i == null ? -1 : i;
        }

        List<Field<?>> fields() {
            return fields;
        }
    }
}
