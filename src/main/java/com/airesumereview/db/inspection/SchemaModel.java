package com.airesumereview.db.inspection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The structure of one database schema as PostgreSQL itself prints it: an immutable, comparable value.
 *
 * <p>Every list is sorted deterministically (by name; table-scoped objects by table, then name; columns by
 * position), whatever order the caller passes, so two models of the same structure are {@code equals} and
 * render to the same SQL. Definitions are the output of {@code pg_get_constraintdef}, {@code pg_get_indexdef},
 * {@code pg_get_triggerdef}, {@code pg_get_functiondef}, {@code pg_get_viewdef} and types are
 * {@code format_type} output, all printed with an empty {@code search_path} so every name outside
 * {@code pg_catalog} is schema-qualified (as in {@code pg_dump}). Names are raw (unquoted) identifiers.
 *
 * <p>Built by {@link SchemaInspector}, compared by {@link SchemaComparison}, rendered by {@link SnapshotSql}.
 * Plain records, so Jackson can write and read it as JSON.
 *
 * @param schema      the inspected schema, e.g. {@code public}
 * @param extensions  extensions installed in the database (except those living in {@code pg_catalog})
 * @param tables      ordinary and partitioned tables with their columns
 * @param constraints primary key, unique, foreign key, check and exclusion constraints
 * @param indexes     all indexes on the schema's tables, including those backing a constraint
 * @param triggers    user triggers (internal triggers, e.g. for foreign keys, are left out)
 * @param functions   functions and procedures (aggregates are left out)
 * @param sequences   sequences, except those behind identity columns
 * @param views       views and materialized views
 */
public record SchemaModel(
        String schema,
        List<Extension> extensions,
        List<Table> tables,
        List<Constraint> constraints,
        List<Index> indexes,
        List<Trigger> triggers,
        List<Function> functions,
        List<Sequence> sequences,
        List<View> views) {
    /**
     * Checks and copies the components.
     *
     * @param schema      the inspected schema, e.g. {@code public}
     * @param extensions  extensions installed in the database (except those living in {@code pg_catalog})
     * @param tables      ordinary and partitioned tables with their columns
     * @param constraints primary key, unique, foreign key, check and exclusion constraints
     * @param indexes     all indexes on the schema's tables, including those backing a constraint
     * @param triggers    user triggers (internal triggers, e.g. for foreign keys, are left out)
     * @param functions   functions and procedures (aggregates are left out)
     * @param sequences   sequences, except those behind identity columns
     * @param views       views and materialized views
     */
    public SchemaModel {
        Objects.requireNonNull(schema, "schema");
        extensions = sorted(extensions, Comparator.comparing(Extension::name));
        tables = sorted(tables, Comparator.comparing(Table::name));
        constraints = sorted(constraints, Comparator.comparing(Constraint::table).thenComparing(Constraint::name));
        indexes = sorted(indexes, Comparator.comparing(Index::table).thenComparing(Index::name));
        triggers = sorted(triggers, Comparator.comparing(Trigger::table).thenComparing(Trigger::name));
        functions = sorted(functions, Comparator.comparing(Function::signature));
        sequences = sorted(sequences, Comparator.comparing(Sequence::name));
        views = sorted(views, Comparator.comparing(View::name));
    }

    /**
     * {@return the table called {@code name}, if the schema has one}
     *
     * @param name the unquoted table name
     */
    public Optional<Table> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** {@return the indexes that do not back a constraint: the ones a snapshot creates with {@code CREATE INDEX}} */
    public List<Index> secondaryIndexes() {
        return indexes.stream().filter(i -> !i.backsConstraint()).toList();
    }

    static <T> List<T> sorted(List<T> items, Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(items == null ? List.of() : items);
        copy.sort(order);
        return List.copyOf(copy);
    }

    /**
     * An installed extension.
     *
     * @param name    e.g. {@code uuid-ossp}
     * @param schema  the schema its objects live in
     * @param version {@code extversion}, e.g. {@code 1.1}
     * @param comment {@code COMMENT ON EXTENSION}, or null
     */
    public record Extension(String name, String schema, String version, String comment) {
        /**
         * Checks and copies the components.
         *
         * @param name    e.g. {@code uuid-ossp}
         * @param schema  the schema its objects live in
         * @param version {@code extversion}, e.g. {@code 1.1}
         * @param comment {@code COMMENT ON EXTENSION}, or null
         */
        public Extension {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A table and its live columns.
     *
     * @param name    unquoted table name
     * @param comment {@code COMMENT ON TABLE}, or null
     * @param columns in position order
     */
    public record Table(String name, String comment, List<Column> columns) {
        /**
         * Checks and copies the components.
         *
         * @param name    unquoted table name
         * @param comment {@code COMMENT ON TABLE}, or null
         * @param columns in position order
         */
        public Table {
            Objects.requireNonNull(name, "name");
            columns = sorted(columns, Comparator.comparingInt(Column::position).thenComparing(Column::name));
        }

        /**
         * {@return the column called {@code name}, if the table has one}
         *
         * @param name the unquoted column name
         */
        public Optional<Column> column(String name) {
            return columns.stream().filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /**
     * A column.
     *
     * @param name       unquoted column name
     * @param position   1-based position among live columns (dropped columns do not count, so a restore
     *                   of the same structure gives the same positions)
     * @param type       as {@code format_type} prints it, e.g. {@code character varying(255)}
     * @param notNull    whether {@code NOT NULL} is set
     * @param defaultExpression {@code DEFAULT} expression as {@code pg_get_expr} prints it, or null
     * @param identity   {@code ALWAYS} or {@code BY DEFAULT} for identity columns, else null
     * @param generated  the expression of a {@code GENERATED ALWAYS AS (...) STORED} column, else null
     * @param comment    {@code COMMENT ON COLUMN}, or null
     */
    public record Column(String name, int position, String type, boolean notNull, String defaultExpression,
                         String identity, String generated, String comment) {
        /**
         * Checks and copies the components.
         *
         * @param name              unquoted column name
         * @param position          1-based position among live columns (dropped columns do not count, so a restore
         *                         of the same structure gives the same positions)
         * @param type              as {@code format_type} prints it, e.g. {@code character varying(255)}
         * @param notNull           whether {@code NOT NULL} is set
         * @param defaultExpression {@code DEFAULT} expression as {@code pg_get_expr} prints it, or null
         * @param identity          {@code ALWAYS} or {@code BY DEFAULT} for identity columns, else null
         * @param generated         the expression of a {@code GENERATED ALWAYS AS (...) STORED} column, else null
         * @param comment           {@code COMMENT ON COLUMN}, or null
         */
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        /** {@return whether an insert that leaves this column out fails: NOT NULL with nothing to fill it in} */
        public boolean requiresValueOnInsert() {
            return notNull && defaultExpression == null && identity == null && generated == null;
        }
    }

    /** The kinds of table constraint the model holds ({@code pg_constraint.contype} p, u, f, c, x). */
    public enum ConstraintType {
        /** {@code PRIMARY KEY} (p). */
        PRIMARY_KEY,
        /** {@code UNIQUE} (u). */
        UNIQUE,
        /** {@code FOREIGN KEY} (f). */
        FOREIGN_KEY,
        /** {@code CHECK} (c). */
        CHECK,
        /** {@code EXCLUDE} (x). */
        EXCLUSION
    }

    /**
     * A table constraint.
     *
     * @param table      unquoted name of the table it belongs to
     * @param name       unquoted constraint name (unique per table)
     * @param type       primary key, unique, foreign key, check or exclusion
     * @param definition as {@code pg_get_constraintdef} prints it, e.g. {@code UNIQUE (email)}
     */
    public record Constraint(String table, String name, ConstraintType type, String definition) {
        /**
         * Checks and copies the components.
         *
         * @param table      unquoted name of the table it belongs to
         * @param name       unquoted constraint name (unique per table)
         * @param type       primary key, unique, foreign key, check or exclusion
         * @param definition as {@code pg_get_constraintdef} prints it, e.g. {@code UNIQUE (email)}
         */
        public Constraint {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(definition, "definition");
        }
    }

    /**
     * An index.
     *
     * @param table      unquoted name of the indexed table
     * @param name       unquoted index name (unique per schema)
     * @param definition as {@code pg_get_indexdef} prints it, e.g.
     *                   {@code CREATE INDEX idx_users_email ON public.users USING btree (email)}
     * @param constraint the primary key, unique or exclusion constraint this index backs, or null
     */
    public record Index(String table, String name, String definition, String constraint) {
        /**
         * Checks and copies the components.
         *
         * @param table      unquoted name of the indexed table
         * @param name       unquoted index name (unique per schema)
         * @param definition as {@code pg_get_indexdef} prints it, e.g.
         *                  {@code CREATE INDEX idx_users_email ON public.users USING btree (email)}
         * @param constraint the primary key, unique or exclusion constraint this index backs, or null
         */
        public Index {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(definition, "definition");
        }

        /** {@return whether the index exists because of a constraint (and is created by it)} */
        public boolean backsConstraint() {
            return constraint != null;
        }

        /** {@return whether the index rejects duplicate keys} */
        public boolean unique() {
            return definition.startsWith("CREATE UNIQUE INDEX");
        }
    }

    /**
     * A user trigger.
     *
     * @param table      unquoted name of the table it fires on
     * @param name       unquoted trigger name (unique per table)
     * @param definition as {@code pg_get_triggerdef} prints it
     */
    public record Trigger(String table, String name, String definition) {
        /**
         * Checks and copies the components.
         *
         * @param table      unquoted name of the table it fires on
         * @param name       unquoted trigger name (unique per table)
         * @param definition as {@code pg_get_triggerdef} prints it
         */
        public Trigger {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(definition, "definition");
        }
    }

    /** Whether a routine is a function or a procedure. */
    public enum RoutineKind {
        /** {@code CREATE FUNCTION}. */
        FUNCTION,
        /** {@code CREATE PROCEDURE}. */
        PROCEDURE
    }

    /**
     * A function or procedure defined in the schema (not one that belongs to an extension).
     *
     * @param name              unquoted routine name
     * @param identityArguments as {@code pg_get_function_identity_arguments} prints them, e.g.
     *                          {@code user_id_param uuid}; with the name it identifies the routine
     * @param kind              function or procedure
     * @param language          e.g. {@code plpgsql}, {@code sql}
     * @param result            as {@code pg_get_function_result} prints it; null for procedures
     * @param definition        the full {@code CREATE OR REPLACE ...} as {@code pg_get_functiondef} prints it
     * @param comment           {@code COMMENT ON FUNCTION}, or null
     */
    public record Function(String name, String identityArguments, RoutineKind kind, String language, String result,
                           String definition, String comment) {
        /**
         * Checks and copies the components.
         *
         * @param name              unquoted routine name
         * @param identityArguments as {@code pg_get_function_identity_arguments} prints them, e.g.
         *                         {@code user_id_param uuid}; with the name it identifies the routine
         * @param kind              function or procedure
         * @param language          e.g. {@code plpgsql}, {@code sql}
         * @param result            as {@code pg_get_function_result} prints it; null for procedures
         * @param definition        the full {@code CREATE OR REPLACE ...} as {@code pg_get_functiondef} prints it
         * @param comment           {@code COMMENT ON FUNCTION}, or null
         */
        public Function {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(identityArguments, "identityArguments");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(definition, "definition");
        }

        /** {@return the name and identity arguments, e.g. {@code get_upload_statistics(user_id_param uuid)}} */
        public String signature() {
            return name + "(" + identityArguments + ")";
        }
    }

    /**
     * A sequence (identity columns' sequences are implied by the column and left out).
     *
     * @param name          unquoted sequence name
     * @param dataType      e.g. {@code bigint}
     * @param start         START WITH
     * @param increment     INCREMENT BY
     * @param minValue      MINVALUE
     * @param maxValue      MAXVALUE
     * @param cache         CACHE
     * @param cycle         CYCLE
     * @param ownedByTable  table of the column that owns it ({@code serial}), or null
     * @param ownedByColumn the owning column, or null
     */
    public record Sequence(String name, String dataType, long start, long increment, long minValue, long maxValue,
                           long cache, boolean cycle, String ownedByTable, String ownedByColumn) {
        /**
         * Checks and copies the components.
         *
         * @param name          unquoted sequence name
         * @param dataType      e.g. {@code bigint}
         * @param start         START WITH
         * @param increment     INCREMENT BY
         * @param minValue      MINVALUE
         * @param maxValue      MAXVALUE
         * @param cache         CACHE
         * @param cycle         CYCLE
         * @param ownedByTable  table of the column that owns it ({@code serial}), or null
         * @param ownedByColumn the owning column, or null
         */
        public Sequence {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dataType, "dataType");
        }
    }

    /**
     * A view or materialized view.
     *
     * @param name         unquoted view name
     * @param materialized whether it is a materialized view
     * @param definition   the query as {@code pg_get_viewdef(oid, true)} prints it
     * @param comment      {@code COMMENT ON VIEW}, or null
     */
    public record View(String name, boolean materialized, String definition, String comment) {
        /**
         * Checks and copies the components.
         *
         * @param name         unquoted view name
         * @param materialized whether it is a materialized view
         * @param definition   the query as {@code pg_get_viewdef(oid, true)} prints it
         * @param comment      {@code COMMENT ON VIEW}, or null
         */
        public View {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(definition, "definition");
        }
    }
}
