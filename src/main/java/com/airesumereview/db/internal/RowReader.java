package com.airesumereview.db.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jooq.Field;
import org.jooq.SelectField;

/**
 * Turns the current row of a result into a domain value, reading each column through its generated field
 * ({@code r.get(USERS.EMAIL)}), never by position. It declares the columns it reads, so that a statement whose
 * select list lacks one fails when it is built (start-up), not with a shifted read. One per table, beside the
 * select list it reads.
 *
 * <pre>{@code
 * static final RowReader<SchemaMigration> ROW = RowReader.of(COLUMNS,
 *         r -> new SchemaMigration(r.get(SCHEMA_MIGRATIONS.VERSION), r.get(SCHEMA_MIGRATIONS.APPLIED_AT)));
 * }</pre>
 *
 * @param <T> the domain type
 */
public final class RowReader<T> {
    /** The mapping function: reads columns of the current row. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(Row row) throws SQLException;
    }

    private final List<Field<?>> columns;
    private final Mapper<T> mapper;

    private RowReader(List<Field<?>> columns, Mapper<T> mapper) {
        this.columns = columns;
        this.mapper = mapper;
    }

    /** A reader of {@code columns} (the select list it is written for; it may read any of them). */
    public static <T> RowReader<T> of(List<? extends SelectField<?>> columns, Mapper<T> mapper) {
        List<Field<?>> fields = new ArrayList<>();
        for (SelectField<?> c : columns) {
            if (!(c instanceof Field<?> f)) {
                throw new IllegalArgumentException("a reader reads fields, not " + c);
            }
            fields.add(f);
        }
        return new RowReader<>(List.copyOf(fields), Objects.requireNonNull(mapper, "mapper"));
    }

    /** A reader of one column (e.g. a count). */
    public static <V> RowReader<V> column(Field<V> column) {
        return new RowReader<>(List.of(column), r -> r.get(column));
    }

    /** This reader plus more columns, read by {@code mapper} (e.g. a row with its list's total). */
    public <U> RowReader<U> with(List<? extends Field<?>> more, Mapper<U> mapper) {
        List<Field<?>> all = new ArrayList<>(columns);
        all.addAll(more);
        return new RowReader<>(List.copyOf(all), Objects.requireNonNull(mapper, "mapper"));
    }

    /** The columns this reader reads. */
    public List<Field<?>> columns() {
        return columns;
    }

    public T read(Row row) throws SQLException {
        return mapper.map(row);
    }
}
