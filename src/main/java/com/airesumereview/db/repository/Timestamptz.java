package com.airesumereview.db.repository;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
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
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.jooq.conf.ParamType;
import org.jooq.impl.SQLDataType;

/**
 * Reads {@code timestamp with time zone} columns as {@link Instant}, including PostgreSQL's
 * {@code infinity} and {@code -infinity}, which production rows may hold and which jOOQ 3.19's own
 * OffsetDateTime parser rejects ("Expected '-' at position 0 in infinity"). The value is read through
 * the driver ({@code getObject(i, OffsetDateTime.class)}, which maps them to {@code OffsetDateTime.MAX}
 * and {@code MIN}); {@code infinity} becomes {@link Instant#MAX}, {@code -infinity} {@link Instant#MIN}.
 * Generated code stays untouched: repositories select {@code Timestamptz.read(COLUMN)} instead of the column.
 */
final class Timestamptz {
    private static final Converter<OffsetDateTime, Instant> CONVERTER = Converter.ofNullable(
            OffsetDateTime.class, Instant.class, Timestamptz::toInstant, i -> OffsetDateTime.ofInstant(i, ZoneOffset.UTC));

    private static final DataType<Instant> INSTANT =
            SQLDataType.TIMESTAMPWITHTIMEZONE.asConvertedDataType(new InstantBinding());

    private Timestamptz() {
    }

    /** The column, read as an Instant (null stays null). Use in SELECT lists and RETURNING clauses. */
    static Field<Instant> read(TableField<?, OffsetDateTime> column) {
        return DSL.field(column.getQualifiedName(), INSTANT);
    }

    private static Instant toInstant(OffsetDateTime t) {
        if (t == null) {
            return null;
        }
        if (t.equals(OffsetDateTime.MAX)) {
            return Instant.MAX;
        }
        if (t.equals(OffsetDateTime.MIN)) {
            return Instant.MIN;
        }
        return t.toInstant();
    }

    /** Reads through the driver; writes bind an OffsetDateTime in UTC. */
    private static final class InstantBinding implements Binding<OffsetDateTime, Instant> {
        private static final long serialVersionUID = 1L;

        @Override
        public Converter<OffsetDateTime, Instant> converter() {
            return CONVERTER;
        }

        @Override
        public void sql(BindingSQLContext<Instant> ctx) {
            if (ctx.render().paramType() == ParamType.INLINED) {
                ctx.render().visit(DSL.inline(ctx.value() == null ? null
                        : OffsetDateTime.ofInstant(ctx.value(), ZoneOffset.UTC)));
            } else {
                ctx.render().sql("?::timestamptz");
            }
        }

        @Override
        public void register(BindingRegisterContext<Instant> ctx) throws SQLException {
            ctx.statement().registerOutParameter(ctx.index(), Types.TIMESTAMP_WITH_TIMEZONE);
        }

        @Override
        public void set(BindingSetStatementContext<Instant> ctx) throws SQLException {
            ctx.statement().setObject(ctx.index(),
                    ctx.value() == null ? null : OffsetDateTime.ofInstant(ctx.value(), ZoneOffset.UTC));
        }

        @Override
        public void set(BindingSetSQLOutputContext<Instant> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("timestamptz in a UDT");
        }

        @Override
        public void get(BindingGetResultSetContext<Instant> ctx) throws SQLException {
            ctx.value(toInstant(ctx.resultSet().getObject(ctx.index(), OffsetDateTime.class)));
        }

        @Override
        public void get(BindingGetStatementContext<Instant> ctx) throws SQLException {
            ctx.value(toInstant(ctx.statement().getObject(ctx.index(), OffsetDateTime.class)));
        }

        @Override
        public void get(BindingGetSQLInputContext<Instant> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException("timestamptz in a UDT");
        }
    }
}
