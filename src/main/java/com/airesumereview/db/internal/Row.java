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
import org.jooq.Table;
import org.postgresql.jdbc.PgResultSetMetaData;

/**
 * The current row of a result, read by 1-based column position with the library's conversions: timestamptz as
 * {@link Instant} (PostgreSQL's {@code infinity} as {@link Instant#MAX}, {@code -infinity} as {@link Instant#MIN}),
 * CHECK-constrained varchar as its generated enum, {@code text[]} of any dimension as a flat list, jsonb as a tree.
 * A value the code cannot represent raises {@link UnmappableRowException} naming the table, column, value and
 * constraint.
 */
public final class Row {
    private final ResultSet rs;

    Row(ResultSet rs) {
        this.rs = rs;
    }

    /** Wraps a result set positioned on a row (for the audit, which streams its own cursor). */
    public static Row of(ResultSet rs) {
        return new Row(rs);
    }

    public UUID uuid(int i) throws SQLException {
        return rs.getObject(i, UUID.class);
    }

    public String string(int i) throws SQLException {
        return rs.getString(i);
    }

    /** A nullable integer column. */
    public Integer integer(int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    /** A nullable bigint column. */
    public Long longValue(int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    public BigDecimal decimal(int i) throws SQLException {
        return rs.getBigDecimal(i);
    }

    /** A nullable boolean column. */
    public Boolean bool(int i) throws SQLException {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? null : v;
    }

    /** A timestamptz column; {@code infinity}/{@code -infinity} read as {@link Instant#MAX}/{@link Instant#MIN}. */
    public Instant instant(int i) throws SQLException {
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
     * A varchar column guarded by a CHECK constraint, as its generated enum, e.g.
     * {@code row.vocabulary(7, PromptType::fromLiteral)}.
     *
     * @throws UnmappableRowException when the value is not one the generated enum knows
     */
    public <E extends Enum<E>> E vocabulary(int i, Function<String, E> fromLiteral) throws SQLException {
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
    public List<String> textArray(int i) throws SQLException {
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
    public JsonNode jsonb(int i) throws SQLException {
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
