package com.airesumereview.db.inspection;

import com.airesumereview.db.inspection.SchemaModel.Column;
import com.airesumereview.db.inspection.SchemaModel.Constraint;
import com.airesumereview.db.inspection.SchemaModel.Extension;
import com.airesumereview.db.inspection.SchemaModel.Function;
import com.airesumereview.db.inspection.SchemaModel.Index;
import com.airesumereview.db.inspection.SchemaModel.Sequence;
import com.airesumereview.db.inspection.SchemaModel.Table;
import com.airesumereview.db.inspection.SchemaModel.Trigger;
import com.airesumereview.db.inspection.SchemaModel.View;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares an expected structure (the snapshot) with an actual one (a live database).
 * <pre>{@code
 * SchemaDifferences drift = SchemaComparison.compare(snapshotModel, SchemaInspector.forPublicSchema().inspect(ds));
 * }</pre>
 *
 * <h2>Impact rule</h2>
 * One question decides it: <em>can code generated from the snapshot (jOOQ classes, repositories) fail against this
 * database?</em> If yes, {@link Impact#BREAKING}; if the database only has more, {@link Impact#ADDITION}; anything
 * else is a {@link Impact#COMPATIBLE_CHANGE}.
 * <ul>
 *   <li><b>BREAKING</b>: a missing extension, table, column, constraint, function, sequence or view (defaults call
 *       extension functions and sequences; generated code names tables, columns and routines; a missing CHECK lets
 *       in values the enums cannot read); a changed column type, nullability, identity or generation; a default
 *       removed from a NOT NULL column (inserts relying on it fail); a changed constraint of any kind (e.g. a CHECK
 *       with another vocabulary, a foreign key with another ON DELETE); a changed function result or kind; a moved
 *       extension; a changed view (its columns are what jOOQ maps). Also additions that can reject a write the
 *       snapshot accepts: a NOT NULL column without default, identity or generation; any constraint on a table
 *       the snapshot knows; a UNIQUE index on such a table (or an index that became UNIQUE).</li>
 *   <li><b>ADDITION</b>: other objects the snapshot does not know: tables, nullable or defaulted columns,
 *       non-unique indexes, triggers, functions, sequences, views, extensions.</li>
 *   <li><b>COMPATIBLE_CHANGE</b>: everything else: a missing or changed index, a missing or changed trigger, a
 *       changed function body, a changed default, comments, column positions (generated code uses names),
 *       sequence parameters, extension versions.</li>
 * </ul>
 * Constraint and index definitions are compared as PostgreSQL means them where it prints one expression two ways
 * (a CHECK created from {@code IN (...)} and the same CHECK restored from {@code pg_dump} text), so a production
 * database is not reported as changed against a snapshot restored from its own dump.
 * Objects of a missing or added table (its columns, constraints, indexes, triggers) are not reported again, nor
 * is the index behind a missing or added constraint: the table or constraint line says it.
 */
public final class SchemaComparison {
    private final List<Difference> differences = new ArrayList<>();

    private SchemaComparison() {
    }

    /**
     * Every difference between {@code expected} and {@code actual}, sorted by object kind and name (attributes of
     * one object in a fixed order).
     *
     * @param expected the snapshot's structure
     * @param actual   the database's structure
     * @return the differences; empty when the two match
     */
    public static SchemaDifferences compare(SchemaModel expected, SchemaModel actual) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        SchemaComparison comparison = new SchemaComparison();
        comparison.run(expected, actual);
        List<Difference> sorted = new ArrayList<>(comparison.differences);
        // Stable sort: attributes of one object keep the order in which they were compared.
        sorted.sort(Comparator.comparing(Difference::kind).thenComparing(Difference::name));
        return new SchemaDifferences(sorted);
    }

    private void run(SchemaModel expected, SchemaModel actual) {
        Set<String> sharedTables = sharedKeys(expected.tables(), actual.tables(), Table::name);
        extensions(expected.extensions(), actual.extensions());
        tables(expected.tables(), actual.tables());
        constraints(expected.constraints(), actual.constraints(), sharedTables);
        indexes(expected.indexes(), actual.indexes(), sharedTables);
        triggers(expected.triggers(), actual.triggers(), sharedTables);
        functions(expected.functions(), actual.functions());
        sequences(expected.sequences(), actual.sequences());
        views(expected.views(), actual.views());
    }

    private void extensions(List<Extension> expected, List<Extension> actual) {
        match(expected, actual, Extension::name,
                e -> missing(ObjectKind.EXTENSION, e.name(), describe(e), Impact.BREAKING),
                a -> added(ObjectKind.EXTENSION, a.name(), describe(a), Impact.ADDITION),
                (e, a) -> {
                    changed(ObjectKind.EXTENSION, e.name(), "schema", e.schema(), a.schema(), Impact.BREAKING);
                    changed(ObjectKind.EXTENSION, e.name(), "version", e.version(), a.version(), Impact.COMPATIBLE_CHANGE);
                    changed(ObjectKind.EXTENSION, e.name(), "comment", e.comment(), a.comment(), Impact.COMPATIBLE_CHANGE);
                });
    }

    private void tables(List<Table> expected, List<Table> actual) {
        match(expected, actual, Table::name,
                e -> missing(ObjectKind.TABLE, e.name(), describe(e), Impact.BREAKING),
                a -> added(ObjectKind.TABLE, a.name(), describe(a), Impact.ADDITION),
                (e, a) -> {
                    changed(ObjectKind.TABLE, e.name(), "comment", e.comment(), a.comment(), Impact.COMPATIBLE_CHANGE);
                    columns(e, a);
                });
    }

    private void columns(Table expectedTable, Table actualTable) {
        String table = expectedTable.name();
        // Positions are compared as the order of the columns both sides have, so one dropped or added column
        // does not report every column after it as moved.
        Set<String> shared = sharedKeys(expectedTable.columns(), actualTable.columns(), Column::name);
        List<String> expectedOrder = expectedTable.columns().stream().map(Column::name).filter(shared::contains).toList();
        List<String> actualOrder = actualTable.columns().stream().map(Column::name).filter(shared::contains).toList();
        match(expectedTable.columns(), actualTable.columns(), Column::name,
                e -> missing(ObjectKind.COLUMN, table + "." + e.name(), describe(e), Impact.BREAKING),
                a -> added(ObjectKind.COLUMN, table + "." + a.name(), describe(a),
                        a.requiresValueOnInsert() ? Impact.BREAKING : Impact.ADDITION),
                (e, a) -> {
                    String name = table + "." + e.name();
                    if (expectedOrder.indexOf(e.name()) != actualOrder.indexOf(a.name())) {
                        changed(ObjectKind.COLUMN, name, "position", e.position(), a.position(), Impact.COMPATIBLE_CHANGE);
                    }
                    changed(ObjectKind.COLUMN, name, "type", e.type(), a.type(), Impact.BREAKING);
                    changed(ObjectKind.COLUMN, name, "not null", e.notNull(), a.notNull(), Impact.BREAKING);
                    changed(ObjectKind.COLUMN, name, "default", e.defaultExpression(), a.defaultExpression(),
                            a.requiresValueOnInsert() && !e.requiresValueOnInsert()
                                    ? Impact.BREAKING : Impact.COMPATIBLE_CHANGE);
                    changed(ObjectKind.COLUMN, name, "identity", e.identity(), a.identity(), Impact.BREAKING);
                    changed(ObjectKind.COLUMN, name, "generated", e.generated(), a.generated(), Impact.BREAKING);
                    changed(ObjectKind.COLUMN, name, "comment", e.comment(), a.comment(), Impact.COMPATIBLE_CHANGE);
                });
    }

    private void constraints(List<Constraint> expected, List<Constraint> actual, Set<String> sharedTables) {
        match(onTables(expected, Constraint::table, sharedTables), onTables(actual, Constraint::table, sharedTables),
                c -> c.table() + "." + c.name(),
                e -> missing(ObjectKind.CONSTRAINT, e.table() + "." + e.name(), e.definition(), Impact.BREAKING),
                a -> added(ObjectKind.CONSTRAINT, a.table() + "." + a.name(), a.definition(), Impact.BREAKING),
                (e, a) -> {
                    String name = e.table() + "." + e.name();
                    changed(ObjectKind.CONSTRAINT, name, "type", e.type(), a.type(), Impact.BREAKING);
                    changedExpression(ObjectKind.CONSTRAINT, name, "definition", e.definition(), a.definition(),
                            Impact.BREAKING);
                });
    }

    private void indexes(List<Index> expected, List<Index> actual, Set<String> sharedTables) {
        match(onTables(expected, Index::table, sharedTables), onTables(actual, Index::table, sharedTables), Index::name,
                e -> {
                    if (!e.backsConstraint()) {
                        missing(ObjectKind.INDEX, e.table() + "." + e.name(), e.definition(), Impact.COMPATIBLE_CHANGE);
                    }
                },
                a -> {
                    if (!a.backsConstraint()) {
                        added(ObjectKind.INDEX, a.table() + "." + a.name(), a.definition(),
                                a.unique() ? Impact.BREAKING : Impact.ADDITION);
                    }
                },
                (e, a) -> {
                    String name = e.table() + "." + e.name();
                    changedExpression(ObjectKind.INDEX, name, "definition", e.definition(), a.definition(),
                            a.unique() && !e.unique() ? Impact.BREAKING : Impact.COMPATIBLE_CHANGE);
                    changed(ObjectKind.INDEX, name, "constraint", e.constraint(), a.constraint(),
                            Impact.COMPATIBLE_CHANGE);
                });
    }

    private void triggers(List<Trigger> expected, List<Trigger> actual, Set<String> sharedTables) {
        match(onTables(expected, Trigger::table, sharedTables), onTables(actual, Trigger::table, sharedTables),
                t -> t.table() + "." + t.name(),
                e -> missing(ObjectKind.TRIGGER, e.table() + "." + e.name(), e.definition(), Impact.COMPATIBLE_CHANGE),
                a -> added(ObjectKind.TRIGGER, a.table() + "." + a.name(), a.definition(), Impact.ADDITION),
                (e, a) -> changed(ObjectKind.TRIGGER, e.table() + "." + e.name(), "definition", e.definition(),
                        a.definition(), Impact.COMPATIBLE_CHANGE));
    }

    private void functions(List<Function> expected, List<Function> actual) {
        match(expected, actual, Function::signature,
                e -> missing(ObjectKind.FUNCTION, e.signature(), e.definition(), Impact.BREAKING),
                a -> added(ObjectKind.FUNCTION, a.signature(), a.definition(), Impact.ADDITION),
                (e, a) -> {
                    String name = e.signature();
                    changed(ObjectKind.FUNCTION, name, "kind", e.kind(), a.kind(), Impact.BREAKING);
                    changed(ObjectKind.FUNCTION, name, "result", e.result(), a.result(), Impact.BREAKING);
                    changed(ObjectKind.FUNCTION, name, "definition", e.definition(), a.definition(),
                            Impact.COMPATIBLE_CHANGE);
                    changed(ObjectKind.FUNCTION, name, "comment", e.comment(), a.comment(), Impact.COMPATIBLE_CHANGE);
                });
    }

    private void sequences(List<Sequence> expected, List<Sequence> actual) {
        match(expected, actual, Sequence::name,
                e -> missing(ObjectKind.SEQUENCE, e.name(), describe(e), Impact.BREAKING),
                a -> added(ObjectKind.SEQUENCE, a.name(), describe(a), Impact.ADDITION),
                (e, a) -> {
                    String name = e.name();
                    Impact impact = Impact.COMPATIBLE_CHANGE;
                    changed(ObjectKind.SEQUENCE, name, "type", e.dataType(), a.dataType(), impact);
                    changed(ObjectKind.SEQUENCE, name, "start", e.start(), a.start(), impact);
                    changed(ObjectKind.SEQUENCE, name, "increment", e.increment(), a.increment(), impact);
                    changed(ObjectKind.SEQUENCE, name, "min value", e.minValue(), a.minValue(), impact);
                    changed(ObjectKind.SEQUENCE, name, "max value", e.maxValue(), a.maxValue(), impact);
                    changed(ObjectKind.SEQUENCE, name, "cache", e.cache(), a.cache(), impact);
                    changed(ObjectKind.SEQUENCE, name, "cycle", e.cycle(), a.cycle(), impact);
                    changed(ObjectKind.SEQUENCE, name, "owned by", ownedBy(e), ownedBy(a), impact);
                });
    }

    private void views(List<View> expected, List<View> actual) {
        match(expected, actual, View::name,
                e -> missing(ObjectKind.VIEW, e.name(), e.definition(), Impact.BREAKING),
                a -> added(ObjectKind.VIEW, a.name(), a.definition(), Impact.ADDITION),
                (e, a) -> {
                    changed(ObjectKind.VIEW, e.name(), "materialized", e.materialized(), a.materialized(),
                            Impact.BREAKING);
                    changed(ObjectKind.VIEW, e.name(), "definition", e.definition(), a.definition(), Impact.BREAKING);
                    changed(ObjectKind.VIEW, e.name(), "comment", e.comment(), a.comment(), Impact.COMPATIBLE_CHANGE);
                });
    }

    private void missing(ObjectKind kind, String name, String expected, Impact impact) {
        differences.add(new Difference(kind, name, Change.MISSING, null, expected, null, impact));
    }

    private void added(ObjectKind kind, String name, String actual, Impact impact) {
        differences.add(new Difference(kind, name, Change.ADDED, null, null, actual, impact));
    }

    private void changed(ObjectKind kind, String name, String attribute, Object expected, Object actual, Impact impact) {
        if (!Objects.equals(expected, actual)) {
            differences.add(new Difference(kind, name, Change.CHANGED, attribute, text(expected), text(actual), impact));
        }
    }

    /** Like {@link #changed}, but equal if PostgreSQL printed the same expression two ways ({@link EquivalentSql}). */
    private void changedExpression(ObjectKind kind, String name, String attribute, String expected, String actual,
                                   Impact impact) {
        if (!EquivalentSql.same(expected, actual)) {
            differences.add(new Difference(kind, name, Change.CHANGED, attribute, expected, actual, impact));
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** Calls back for each key only in expected, only in actual, and in both, in key order. */
    private static <T> void match(List<T> expected, List<T> actual, java.util.function.Function<T, String> key,
                                  java.util.function.Consumer<T> onMissing, java.util.function.Consumer<T> onAdded,
                                  java.util.function.BiConsumer<T, T> onBoth) {
        Map<String, T> expectedByKey = byKey(expected, key);
        Map<String, T> actualByKey = byKey(actual, key);
        Set<String> keys = new TreeSet<>(expectedByKey.keySet());
        keys.addAll(actualByKey.keySet());
        for (String k : keys) {
            T e = expectedByKey.get(k);
            T a = actualByKey.get(k);
            if (a == null) {
                onMissing.accept(e);
            } else if (e == null) {
                onAdded.accept(a);
            } else {
                onBoth.accept(e, a);
            }
        }
    }

    private static <T> Map<String, T> byKey(List<T> items, java.util.function.Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, i -> i, (x, y) -> x, TreeMap::new));
    }

    private static <T> Set<String> sharedKeys(List<T> expected, List<T> actual, java.util.function.Function<T, String> key) {
        Set<String> shared = expected.stream().map(key).collect(Collectors.toCollection(TreeSet::new));
        shared.retainAll(actual.stream().map(key).collect(Collectors.toSet()));
        return shared;
    }

    private static <T> List<T> onTables(List<T> items, java.util.function.Function<T, String> table, Set<String> tables) {
        return items.stream().filter(i -> tables.contains(table.apply(i))).toList();
    }

    private static String describe(Extension e) {
        return e.name() + " " + e.version() + " in schema " + e.schema();
    }

    private static String describe(Table t) {
        return "columns: " + t.columns().stream().map(Column::name).collect(Collectors.joining(", "));
    }

    private static String describe(Column c) {
        StringBuilder text = new StringBuilder(c.type());
        if (c.identity() != null) {
            text.append(" GENERATED ").append(c.identity()).append(" AS IDENTITY");
        }
        if (c.generated() != null) {
            text.append(" GENERATED ALWAYS AS (").append(c.generated()).append(") STORED");
        }
        if (c.defaultExpression() != null) {
            text.append(" DEFAULT ").append(c.defaultExpression());
        }
        if (c.notNull()) {
            text.append(" NOT NULL");
        }
        return text.toString();
    }

    private static String describe(Sequence s) {
        return s.dataType() + " start " + s.start() + " increment " + s.increment()
                + (ownedBy(s) == null ? "" : " owned by " + ownedBy(s));
    }

    private static String ownedBy(Sequence s) {
        return s.ownedByTable() == null ? null : s.ownedByTable() + "." + s.ownedByColumn();
    }
}
