package com.airesumereview.db.inspection;

import com.airesumereview.db.inspection.SchemaModel.Column;
import com.airesumereview.db.inspection.SchemaModel.Constraint;
import com.airesumereview.db.inspection.SchemaModel.ConstraintType;
import com.airesumereview.db.inspection.SchemaModel.Extension;
import com.airesumereview.db.inspection.SchemaModel.Function;
import com.airesumereview.db.inspection.SchemaModel.Index;
import com.airesumereview.db.inspection.SchemaModel.RoutineKind;
import com.airesumereview.db.inspection.SchemaModel.Sequence;
import com.airesumereview.db.inspection.SchemaModel.Table;
import com.airesumereview.db.inspection.SchemaModel.Trigger;
import com.airesumereview.db.inspection.SchemaModel.View;
import java.util.List;
import java.util.Objects;

/**
 * Renders a {@link SchemaModel} as SQL that recreates it in an empty database: a Flyway-ready migration for the
 * {@code snapshot} command.
 * <pre>{@code
 * SchemaModel live = SchemaInspector.forPublicSchema().inspect(dataSource);
 * Files.writeString(Path.of("schema/V3__production_v1_1.sql"), SnapshotSql.render(live));
 * }</pre>
 *
 * <p>Statements come in dependency order: extensions; sequences; functions (except {@code LANGUAGE sql} ones),
 * because column defaults may call them and plpgsql bodies are not checked at creation; tables with columns,
 * defaults and NOT NULL; sequence ownership; views; {@code LANGUAGE sql} functions (their bodies are checked, so
 * they come after the tables they read); primary key, unique, exclusion and check constraints; foreign keys;
 * indexes that do not back a constraint; triggers; comments. Within a section, objects come in the model's order
 * (by name), so the same model always gives byte-identical text. There are no owners, grants, {@code SET} lines
 * or timestamps; names are schema-qualified and quoted only when needed.
 *
 * <p>Not rendered, because the model does not hold them: grants, owners, row level security, table storage
 * options, partitioning, column collations, trigger enable state, comments on constraints, indexes, triggers
 * and sequences, identity sequence options. Views that read other views are ordered by name only.
 */
public final class SnapshotSql {
    private static final String INDENT = "    ";

    private SnapshotSql() {
    }

    /**
     * The SQL that recreates {@code model}; deterministic, ends with a newline.
     *
     * @param model the structure to render
     * @return the SQL script
     */
    public static String render(SchemaModel model) {
        Objects.requireNonNull(model, "model");
        return new Rendering(model).sql();
    }

    /** One rendering: the text under construction and the model it comes from. */
    private static final class Rendering {
        private final SchemaModel model;
        private final String schema;
        private final StringBuilder out = new StringBuilder();

        Rendering(SchemaModel model) {
            this.model = model;
            this.schema = model.schema();
        }

        String sql() {
            out.append("-- Structure of schema ").append(SqlNames.quote(schema))
                    .append(", rendered from the database catalog by resume-review-db (SnapshotSql).\n")
                    .append("-- Recreates the structure in an empty database; holds no rows.\n");
            section(model.extensions().stream().map(this::extension).toList());
            section(model.sequences().stream().map(this::sequence).toList());
            section(model.functions().stream().filter(f -> !checkedAtCreation(f)).map(this::function).toList());
            section(model.tables().stream().map(this::table).toList());
            section(model.sequences().stream().filter(s -> s.ownedByTable() != null).map(this::sequenceOwner).toList());
            section(model.views().stream().map(this::view).toList());
            section(model.functions().stream().filter(SnapshotSql::checkedAtCreation).map(this::function).toList());
            section(model.constraints().stream().filter(c -> c.type() != ConstraintType.FOREIGN_KEY)
                    .map(this::constraint).toList());
            section(model.constraints().stream().filter(c -> c.type() == ConstraintType.FOREIGN_KEY)
                    .map(this::constraint).toList());
            section(model.secondaryIndexes().stream().map(Index::definition).map(d -> d + ";\n").toList());
            section(model.triggers().stream().map(Trigger::definition).map(d -> d + ";\n").toList());
            section(comments());
            return out.toString();
        }

        private void section(List<String> statements) {
            if (statements.isEmpty()) {
                return;
            }
            out.append('\n');
            statements.forEach(out::append);
        }

        private String extension(Extension e) {
            return "CREATE EXTENSION IF NOT EXISTS " + SqlNames.quote(e.name()) + " WITH SCHEMA "
                    + SqlNames.quote(e.schema()) + ";\n";
        }

        private String sequence(Sequence s) {
            return "CREATE SEQUENCE " + name(s.name()) + " AS " + s.dataType()
                    + " START WITH " + s.start() + " INCREMENT BY " + s.increment()
                    + " MINVALUE " + s.minValue() + " MAXVALUE " + s.maxValue()
                    + " CACHE " + s.cache() + (s.cycle() ? " CYCLE" : " NO CYCLE") + ";\n";
        }

        private String sequenceOwner(Sequence s) {
            return "ALTER SEQUENCE " + name(s.name()) + " OWNED BY " + name(s.ownedByTable()) + "."
                    + SqlNames.quote(s.ownedByColumn()) + ";\n";
        }

        private String function(Function f) {
            return f.definition().stripTrailing() + ";\n\n";
        }

        private String table(Table t) {
            StringBuilder sql = new StringBuilder("CREATE TABLE ").append(name(t.name())).append(" (");
            String separator = "\n";
            for (Column c : t.columns()) {
                sql.append(separator).append(INDENT).append(column(c));
                separator = ",\n";
            }
            return sql.append("\n);\n\n").toString();
        }

        private String column(Column c) {
            StringBuilder sql = new StringBuilder(SqlNames.quote(c.name())).append(' ').append(c.type());
            if (c.identity() != null) {
                sql.append(" GENERATED ").append(c.identity()).append(" AS IDENTITY");
            }
            if (c.generated() != null) {
                sql.append(" GENERATED ALWAYS AS (").append(c.generated()).append(") STORED");
            }
            if (c.defaultExpression() != null) {
                sql.append(" DEFAULT ").append(c.defaultExpression());
            }
            if (c.notNull()) {
                sql.append(" NOT NULL");
            }
            return sql.toString();
        }

        private String view(View v) {
            String query = v.definition().stripTrailing();
            if (query.endsWith(";")) {
                query = query.substring(0, query.length() - 1);
            }
            return "CREATE " + (v.materialized() ? "MATERIALIZED VIEW " : "VIEW ") + name(v.name()) + " AS\n"
                    + query + (v.materialized() ? "\n  WITH NO DATA" : "") + ";\n\n";
        }

        private String constraint(Constraint c) {
            return "ALTER TABLE " + name(c.table()) + "\n" + INDENT + "ADD CONSTRAINT " + SqlNames.quote(c.name())
                    + " " + c.definition() + ";\n";
        }

        private List<String> comments() {
            StringBuilder sql = new StringBuilder();
            for (Extension e : model.extensions()) {
                comment(sql, "EXTENSION " + SqlNames.quote(e.name()), e.comment());
            }
            for (Function f : model.functions()) {
                String kind = f.kind() == RoutineKind.PROCEDURE ? "PROCEDURE " : "FUNCTION ";
                comment(sql, kind + name(f.name()) + "(" + f.identityArguments() + ")", f.comment());
            }
            for (Table t : model.tables()) {
                comment(sql, "TABLE " + name(t.name()), t.comment());
                for (Column c : t.columns()) {
                    comment(sql, "COLUMN " + name(t.name()) + "." + SqlNames.quote(c.name()), c.comment());
                }
            }
            for (View v : model.views()) {
                comment(sql, (v.materialized() ? "MATERIALIZED VIEW " : "VIEW ") + name(v.name()), v.comment());
            }
            return sql.length() == 0 ? List.of() : List.of(sql.toString());
        }

        private static void comment(StringBuilder sql, String target, String comment) {
            if (comment != null) {
                sql.append("COMMENT ON ").append(target).append(" IS ").append(SqlNames.literal(comment)).append(";\n");
            }
        }

        private String name(String object) {
            return SqlNames.qualified(schema, object);
        }
    }

    // SQL-language bodies are parsed and their tables resolved at CREATE time (check_function_bodies is on).
    private static boolean checkedAtCreation(Function f) {
        return "sql".equals(f.language());
    }
}
