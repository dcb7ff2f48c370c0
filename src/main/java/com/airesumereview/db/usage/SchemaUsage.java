package com.airesumereview.db.usage;

import com.airesumereview.db.codegen.Vocabularies;
import com.airesumereview.db.domain.FieldMappingContract;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.repository.RepositoryStatements;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the library's code uses of one schema: per column, the repository methods that read and write it, the
 * {@code field-mapping.csv} rows that carry it, the generated enum of its CHECK vocabulary; per index, the methods
 * whose queries search it.
 * <pre>{@code
 * SchemaUsage usage = SchemaUsage.explainedOn(connection, "public");
 * usage.writers("users", "role");   // [users.changeRole, users.create]
 * }</pre>
 */
public final class SchemaUsage {
    private final String schema;
    private final List<StatementColumns> statements;
    private final IndexUse indexUse;
    private final List<FieldMappingContract.Row> fieldMapping;

    private SchemaUsage(String schema, List<StatementColumns> statements, IndexUse indexUse,
                        List<FieldMappingContract.Row> fieldMapping) {
        this.schema = schema;
        this.statements = List.copyOf(statements);
        this.indexUse = indexUse;
        this.fieldMapping = List.copyOf(fieldMapping);
    }

    /**
     * The repositories' statements read from their SQL; index use asked of the planner on {@code connection}.
     *
     * @param connection a database holding the schema (EXPLAIN only; nothing is written)
     * @param schema     the schema the statements name, usually {@code public}
     * @return the usage, with index use
     * @throws SQLException when the planner cannot be asked
     */
    public static SchemaUsage explainedOn(Connection connection, String schema) throws SQLException {
        List<RepositoryStatements.Text> texts = RepositoryStatements.all();
        return new SchemaUsage(schema, columns(texts, schema), IndexUse.explain(connection, texts),
                FieldMappingContract.bundled());
    }

    /**
     * Like {@link #explainedOn} without index use (no database at hand).
     *
     * @param schema the schema the statements name, usually {@code public}
     * @return the usage; {@link #usingIndex} answers empty
     */
    public static SchemaUsage withoutPlans(String schema) {
        List<RepositoryStatements.Text> texts = RepositoryStatements.all();
        return new SchemaUsage(schema, columns(texts, schema), IndexUse.none(), FieldMappingContract.bundled());
    }

    private static List<StatementColumns> columns(List<RepositoryStatements.Text> texts, String schema) {
        return texts.stream().map(t -> StatementColumns.of(t.name(), t.sql(), schema)).toList();
    }

    /**
     * The schema the statements were read for.
     *
     * @return the schema's name
     */
    public String schema() {
        return schema;
    }

    /**
     * Every statement's columns, in the repositories' order.
     *
     * @return an unmodifiable list
     */
    public List<StatementColumns> statements() {
        return statements;
    }

    /**
     * The planner's answer (empty when built {@link #withoutPlans}).
     *
     * @return the index use
     */
    public IndexUse indexUse() {
        return indexUse;
    }

    /**
     * Methods ({@code repository.method}) that read {@code table.column}, sorted.
     *
     * @param table  the table's name, unqualified
     * @param column the column's name
     * @return the methods; empty when none reads it
     */
    public List<String> readers(String table, String column) {
        return names(s -> s.reads().contains(table + "." + column));
    }

    /**
     * Methods that write {@code table.column} (insert or assign), sorted.
     *
     * @param table  the table's name, unqualified
     * @param column the column's name
     * @return the methods; empty when none writes it
     */
    public List<String> writers(String table, String column) {
        return names(s -> s.writes().contains(table + "." + column));
    }

    /**
     * Methods that name {@code table} at all, sorted.
     *
     * @param table the table's name, unqualified
     * @return the methods; empty when none names it
     */
    public List<String> users(String table) {
        return names(s -> s.tables().contains(table));
    }

    /**
     * Methods that delete rows from {@code table}, sorted.
     *
     * @param table the table's name, unqualified
     * @return the methods; empty when none deletes from it
     */
    public List<String> deleters(String table) {
        return names(s -> s.deletes().contains(table));
    }

    /**
     * Methods whose query plans search {@code index}, sorted (empty when built without plans).
     *
     * @param index the index's name
     * @return the methods; empty when no plan uses it
     */
    public List<String> usingIndex(String index) {
        return indexUse.statementsUsing(index);
    }

    /**
     * The field-mapping.csv rows that map {@code table.column}.
     *
     * @param table  the table's name, unqualified
     * @param column the column's name
     * @return the rows; empty when the column is mapped by none
     */
    public List<FieldMappingContract.Row> mappingRows(String table, String column) {
        return fieldMapping.stream().filter(r -> r.maps(table, column)).toList();
    }

    /**
     * Every field-mapping.csv row.
     *
     * @return an unmodifiable list, in the file's order
     */
    public List<FieldMappingContract.Row> fieldMapping() {
        return fieldMapping;
    }

    /**
     * The vocabulary of {@code table.column} in {@code model}: the generated enum's name and the values the CHECK
     * constraint allows, if a CHECK of the vocabulary shape restricts the column.
     *
     * @param model  the schema to look in
     * @param table  the table's name, unqualified
     * @param column the column's name
     * @return the vocabulary, or empty when no such CHECK restricts the column
     */
    public static Optional<Vocabulary> vocabulary(SchemaModel model, String table, String column) {
        for (SchemaModel.Constraint c : model.constraints()) {
            if (c.table().equals(table) && c.type() == SchemaModel.ConstraintType.CHECK) {
                Optional<List<String>> values = Vocabularies.values(table, column, c.definition());
                if (values.isPresent()) {
                    return Optional.of(new Vocabulary(Vocabularies.enumName(table, column), table, column, c.name(),
                            values.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A CHECK vocabulary and the enum generated from it.
     *
     * @param enumName   simple name, e.g. {@code UserRole}
     * @param table      the table's name, unqualified
     * @param column     the column's name
     * @param constraint the CHECK constraint's name
     * @param values     the allowed values, in the constraint's order
     */
    public record Vocabulary(String enumName, String table, String column, String constraint, List<String> values) {
        /**
         * Copies {@code values}; {@code enumName} must not be null.
         *
         * @param enumName   simple name, e.g. {@code UserRole}
         * @param table      the table's name, unqualified
         * @param column     the column's name
         * @param constraint the CHECK constraint's name
         * @param values     the allowed values, in the constraint's order
         */
        public Vocabulary {
            Objects.requireNonNull(enumName, "enumName");
            values = List.copyOf(values);
        }

        /**
         * The enum's qualified name.
         *
         * @return e.g. {@code com.airesumereview.db.generated.vocabulary.UserRole}
         */
        public String qualifiedEnumName() {
            return Vocabularies.enumPackage() + "." + enumName;
        }

        /**
         * {@code UserRole.CONSULTANT} for {@code consultant}.
         *
         * @param value one of {@link #values()}
         * @return the enum constant as Java source names it
         */
        public String constant(String value) {
            return enumName + "." + Vocabularies.constantName(value);
        }
    }

    private List<String> names(java.util.function.Predicate<StatementColumns> test) {
        Set<String> out = new TreeSet<>();
        statements.stream().filter(test).map(StatementColumns::name).forEach(out::add);
        return new ArrayList<>(out);
    }
}
