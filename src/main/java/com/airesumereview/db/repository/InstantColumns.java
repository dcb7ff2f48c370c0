package com.airesumereview.db.repository;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.jooq.conf.ParamType;
import org.jooq.impl.SQLDataType;

/**
 * Reads and binds {@code timestamptz} columns as {@link Instant}, including PostgreSQL's {@code infinity}
 * and {@code -infinity} (as {@link Instant#MAX} and {@link Instant#MIN}). jOOQ's default
 * {@code OffsetDateTime} binding, used by the generated tables, fails on those values, which production
 * may hold; the JDBC driver reads them, so this binding lets the driver do it.
 *
 * <p>Use {@link #of(Field)} in select lists and {@code RETURNING} clauses instead of the generated field.
 */
final class InstantColumns {
    /** {@code timestamptz} seen as {@link Instant}. */
    static final DataType<Instant> INSTANT =
            SQLDataType.TIMESTAMPWITHTIMEZONE.asConvertedDataType(new InstantBinding());

    private InstantColumns() {
    }

    /** The column, read as an {@link Instant} (same name, same SQL). */
    static Field<Instant> of(Field<OffsetDateTime> column) {
        return column.coerce(INSTANT);
    }

    /** A bind value for comparisons with such a column. */
    static Field<Instant> value(Instant instant) {
        return org.jooq.impl.DSL.val(instant, INSTANT);
    }

    private static final class InstantBinding implements Binding<OffsetDateTime, Instant> {
        private static final long serialVersionUID = 1L;
        /**
         * PostgreSQL's own input form ({@code 294276-12-31 23:59:59.999999+00}, {@code 4713-01-01 00:00:00+00 BC}):
         * ISO-8601 would write {@code +294276-...} and astronomical negative years, which PostgreSQL refuses.
         */
        private static final DateTimeFormatter LITERAL = new java.time.format.DateTimeFormatterBuilder()
                .appendValue(java.time.temporal.ChronoField.YEAR_OF_ERA, 4, 10, java.time.format.SignStyle.NORMAL)
                .appendPattern("-MM-dd HH:mm:ss")
                .appendFraction(java.time.temporal.ChronoField.MICRO_OF_SECOND, 6, 6, true)
                .appendLiteral("+00")
                .toFormatter(java.util.Locale.ROOT);

        @Override
        public Converter<OffsetDateTime, Instant> converter() {
            return Converter.ofNullable(OffsetDateTime.class, Instant.class, InstantBinding::toInstant,
                    InstantBinding::toOffsetDateTime);
        }

        static Instant toInstant(OffsetDateTime value) {
            if (value.equals(OffsetDateTime.MAX)) {
                return Instant.MAX;
            }
            if (value.equals(OffsetDateTime.MIN)) {
                return Instant.MIN;
            }
            return value.toInstant();
        }

        static OffsetDateTime toOffsetDateTime(Instant value) {
            if (value.equals(Instant.MAX)) {
                return OffsetDateTime.MAX;
            }
            if (value.equals(Instant.MIN)) {
                return OffsetDateTime.MIN;
            }
            return OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
        }

        /** The text PostgreSQL reads as that timestamptz. */
        static String literal(Instant value) {
            if (value.equals(Instant.MAX)) {
                return "infinity";
            }
            if (value.equals(Instant.MIN)) {
                return "-infinity";
            }
            OffsetDateTime utc = OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
            return LITERAL.format(utc) + (utc.getYear() <= 0 ? " BC" : "");
        }

        @Override
        public void sql(BindingSQLContext<Instant> ctx) throws SQLException {
            if (ctx.render().paramType() == ParamType.INLINED) {
                Instant value = ctx.value();
                ctx.render().sql(value == null ? "cast(null as timestamp with time zone)"
                        : "cast('" + literal(value) + "' as timestamp with time zone)");
            } else {
                ctx.render().sql("cast(").sql(ctx.variable()).sql(" as timestamp with time zone)");
            }
        }

        @Override
        public void register(BindingRegisterContext<Instant> ctx) throws SQLException {
            ctx.statement().registerOutParameter(ctx.index(), Types.TIMESTAMP_WITH_TIMEZONE);
        }

        @Override
        public void set(BindingSetStatementContext<Instant> ctx) throws SQLException {
            if (ctx.value() == null) {
                ctx.statement().setNull(ctx.index(), Types.VARCHAR);
            } else {
                ctx.statement().setString(ctx.index(), literal(ctx.value()));
            }
        }

        @Override
        public void set(BindingSetSQLOutputContext<Instant> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public void get(BindingGetResultSetContext<Instant> ctx) throws SQLException {
            OffsetDateTime value = ctx.resultSet().getObject(ctx.index(), OffsetDateTime.class);
            ctx.value(value == null ? null : toInstant(value));
        }

        @Override
        public void get(BindingGetStatementContext<Instant> ctx) throws SQLException {
            OffsetDateTime value = ctx.statement().getObject(ctx.index(), OffsetDateTime.class);
            ctx.value(value == null ? null : toInstant(value));
        }

        @Override
        public void get(BindingGetSQLInputContext<Instant> ctx) throws SQLException {
            throw new SQLFeatureNotSupportedException();
        }
    }
}
