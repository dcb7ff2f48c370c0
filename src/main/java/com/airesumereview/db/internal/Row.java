package com.airesumereview.db.internal;

import com.airesumereview.db.UnmappableRowException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.Field;
import org.jooq.Table;
import org.postgresql.jdbc.PgResultSetMetaData;

/**
 * The current row of a result, read by column ({@code r.get(USERS.EMAIL)}: the generated field, wherever the select
 * list puts it) with the library's conversions: timestamptz as
 * {@link Instant} (PostgreSQL's {@code infinity} as {@link Instant#MAX}, {@code -infinity} as {@link Instant#MIN}),
 * CHECK-constrained varchar as its generated enum, {@code text[]} of any dimension as a flat list, jsonb as a tree.
 * A value the code cannot represent raises {@link UnmappableRowException} naming the table, column, value and
 * constraint.
 */
public final class Row {
    private final ResultSet rs;
    private final Statement.Columns columns;
    private final String statement;
    /** Null, or the prefix of the column names this view reads (one table's columns in a wider row). */
    private final String prefix;

    Row(ResultSet rs, Statement.Columns columns, String statement) {
        this(rs, columns, statement, null);
    }

    private Row(ResultSet rs, Statement.Columns columns, String statement, String prefix) {
        this.rs = rs;
        this.columns = columns;
        this.statement = statement;
        this.prefix = prefix;
    }

    /**
     * The same row, read through columns named {@code prefix + column name} (a row that carries two tables, whose
     * second table's columns the statement aliased with a prefix), so one table's reader reads them unchanged.
     */
    public Row prefixed(String prefix) {
        return new Row(rs, columns, statement, prefix);
    }

    /**
     * Wraps a result set of {@code select selectList ...} (for the audit, which streams its own cursor); the
     * readers find their columns in {@code selectList}.
     */
    public static Row of(ResultSet rs, List<? extends org.jooq.SelectField<?>> selectList) {
        return new Row(rs, Statement.Columns.of(selectList), "select");
    }

    /**
     * The value of {@code column} in the library's Java type for it: the generated field's type (an
     * {@link Instant} for timestamptz, the generated enum for a vocabulary, a flat list for {@code text[]}).
     * For jsonb use {@link #json}.
     *
     * @throws IllegalStateException when the statement's select list does not hold {@code column} (a repository bug)
     */
    @SuppressWarnings("unchecked")
    public <V> V get(Field<V> column) throws SQLException {
        int i = index(column);
        Class<V> type = column.getType();
        Object v;
        if (type == String.class) {
            v = rs.getString(i);
        } else if (type == UUID.class) {
            v = rs.getObject(i, UUID.class);
        } else if (type == Integer.class) {
            v = integer(i);
        } else if (type == Instant.class) {
            v = instant(i);
        } else if (type == Boolean.class) {
            v = bool(i);
        } else if (type == Long.class) {
            v = longValue(i);
        } else if (type == BigDecimal.class) {
            v = rs.getBigDecimal(i);
        } else if (com.airesumereview.db.generated.vocabulary.Vocabulary.class.isAssignableFrom(type)) {
            org.jooq.Converter<Object, V> converter = (org.jooq.Converter<Object, V>) column.getConverter();
            v = vocabulary(i, literal -> converter.from(literal));
        } else if (type == List.class) {
            v = textArray(i);
        } else if (type == org.jooq.JSONB.class) {
            throw new IllegalStateException(statement + ": read jsonb column " + column.getName() + " with json()");
        } else {
            v = rs.getObject(i, type);
        }
        return (V) v;
    }

    /** A jsonb column as a tree (see {@link Jsonb}); see {@link #jsonb(int)} for the failure. */
    public JsonNode json(Field<org.jooq.JSONB> column) throws SQLException {
        return jsonb(index(column));
    }

    /** A count or other number column read as a long, whatever its SQL integer type. */
    public long count(Field<? extends Number> column) throws SQLException {
        Long v = longValue(index(column));
        return v == null ? 0 : v;
    }

    private int index(Field<?> column) {
        int i = prefix == null ? columns.indexOf(column) : columns.indexOfName(prefix + column.getName());
        if (i < 0) {
            throw new IllegalStateException(statement + " reads " + column.getQualifiedName()
                    + ", which its select list does not hold");
        }
        return i;
    }



    /** A nullable integer column. */
    private Integer integer(int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    /** A nullable bigint column. */
    private Long longValue(int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }


    /** A nullable boolean column. */
    private Boolean bool(int i) throws SQLException {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? null : v;
    }

    /** A timestamptz column; {@code infinity}/{@code -infinity} read as {@link Instant#MAX}/{@link Instant#MIN}. */
    private Instant instant(int i) throws SQLException {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        if (v == null) {
            return null;
        }
        if (v.equals(OffsetDateTime.MAX)) {
            return Instant.MAX;
        }
        if (v.equals(OffsetDateTime.MIN)) {
            return Instant.MIN;
        }
        return v.toInstant();
    }

    /**
     * A varchar column guarded by a CHECK constraint, as its generated enum.
     *
     * @throws UnmappableRowException when the value is not one the generated enum knows
     */
    private <E> E vocabulary(int i, Function<String, E> fromLiteral) throws SQLException {
        String literal = rs.getString(i);
        if (literal == null) {
            return null;
        }
        try {
            return fromLiteral.apply(literal);
        } catch (IllegalArgumentException e) {
            String table = table(i);
            String column = rs.getMetaData().getColumnName(i);
            throw new UnmappableRowException(table, column,
                    "'" + (literal.length() > 60 ? literal.substring(0, 60) + "..." : literal) + "'",
                    "is not a value the generated code knows (CHECK constraint " + checkOf(table, column)
                            + " as generated from schema/)", e);
        }
    }

    /** A {@code text[]} column of any dimension, flattened in PostgreSQL's element order; null stays null. */
    private List<String> textArray(int i) throws SQLException {
        Array array = rs.getArray(i);
        if (array == null) {
            return null;
        }
        try {
            List<String> out = new ArrayList<>();
            collect(array.getArray(), out);
            return Collections.unmodifiableList(out);
        } finally {
            array.free();
        }
    }

    private static void collect(Object value, List<String> out) {
        if (value instanceof Object[] nested) {
            for (Object element : nested) {
                collect(element, out);
            }
        } else {
            out.add((String) value);
        }
    }

    /**
     * A jsonb column as a tree (see {@link Jsonb}).
     *
     * @throws UnmappableRowException when the value is nested deeper than {@link Jsonb#MAX_NESTING} levels
     */
    private JsonNode jsonb(int i) throws SQLException {
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        try {
            return Jsonb.parse(text);
        } catch (JsonProcessingException e) {
            throw new UnmappableRowException(table(i), rs.getMetaData().getColumnName(i), "a jsonb value of "
                    + text.length() + " characters", "cannot be read: nested deeper than " + Jsonb.MAX_NESTING
                    + " levels or otherwise beyond the library's JSON limits (" + e.getOriginalMessage() + ")", e);
        }
    }

    private String table(int i) throws SQLException {
        if (rs.getMetaData() instanceof PgResultSetMetaData pg) {
            String name = pg.getBaseTableName(i);
            if (name != null && !name.isEmpty()) {
                return name;
            }
        }
        return "?";
    }

    /** The generated CHECK constraint of {@code table} that mentions {@code column}, or "unknown". */
    private static String checkOf(String table, String column) {
        for (Table<?> t : com.airesumereview.db.generated.Public.PUBLIC.getTables()) {
            if (t.getName().equals(table)) {
                for (org.jooq.Check<?> check : t.getChecks()) {
                    if (check.condition().toString().contains(column)) {
                        return check.getName();
                    }
                }
            }
        }
        return "unknown";
    }
}
