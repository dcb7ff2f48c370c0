package com.airesumereview.db.repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.impl.SQLDataType;

/**
 * Reads {@code text[]} columns as {@code String[]} whatever their dimensions. A {@code text[]} column accepts
 * multi-dimensional values ({@code '{{a,b},{c,d}}'}), which jOOQ's array binding cannot cast to {@code String[]};
 * such a value reads flattened in row-major order ({@code a, b, c, d}), as PostgreSQL's {@code unnest} returns
 * it, and lower bounds other than 1 ({@code '[0:1]={x,y}'}) are ignored. Null elements stay null.
 * Select {@code TextArrays.read(COLUMN)} instead of the generated field; writes use the generated field.
 */
final class TextArrays {
    private static final DataType<String[]> FLAT = SQLDataType.CLOB.array().asConvertedDataType(new FlatBinding());

    private TextArrays() {
    }

    /** The column, read flattened (same name, same SQL). */
    static Field<String[]> read(Field<String[]> column) {
        return column.coerce(FLAT);
    }

    static String[] flatten(Object array) {
        if (array instanceof String[] flat) {
            return flat;
        }
        List<String> out = new ArrayList<>();
        collect(array, out);
        return out.toArray(new String[0]);
    }

    private static void collect(Object value, List<String> out) {
        if (value instanceof Object[] nested) {
            for (Object element : nested) {
                collect(element, out);
            }
        } else {
            out.add(value == null ? null : value.toString());
        }
    }

    private static final class FlatBinding implements Binding<Object[], String[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public Converter<Object[], String[]> converter() {
            return Converter.ofNullable(Object[].class, String[].class, TextArrays::flatten, s -> s);
        }

        @Override
        public void sql(BindingSQLContext<String[]> ctx) throws SQLException {
            ctx.render().sql(ctx.variable());
        }

        @Override
        public void register(BindingRegisterContext<String[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("text[] read-only binding");
        }

        @Override
        public void set(BindingSetStatementContext<String[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("text[] read-only binding: write through the generated field");
        }

        @Override
        public void set(BindingSetSQLOutputContext<String[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("text[] in a UDT");
        }

        @Override
        public void get(BindingGetResultSetContext<String[]> ctx) throws SQLException {
            ctx.value(read(ctx.resultSet().getArray(ctx.index())));
        }

        @Override
        public void get(BindingGetStatementContext<String[]> ctx) throws SQLException {
            ctx.value(read(ctx.statement().getArray(ctx.index())));
        }

        @Override
        public void get(BindingGetSQLInputContext<String[]> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("text[] in a UDT");
        }

        private static String[] read(Array array) throws SQLException {
            if (array == null) {
                return null;
            }
            try {
                return flatten(array.getArray());
            } finally {
                array.free();
            }
        }
    }
}
