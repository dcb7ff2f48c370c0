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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads the structure of one schema of a live PostgreSQL database into a {@link SchemaModel}.
 *
 * <p>It only reads: plain {@code SELECT}s on {@code pg_catalog} and PostgreSQL's own {@code pg_get_*def},
 * {@code format_type} and {@code obj_description} functions, so it runs inside a read-only transaction against
 * production. The one thing it changes is the session's {@code search_path}, set to empty while it reads and
 * restored afterwards, because those functions qualify names relative to it and the model must not depend on the
 * caller's setting. Objects that belong to an extension (e.g. {@code uuid-ossp}'s functions) and the schema
 * {@code flyway} (Flyway's history in databases the library created) are left out.
 * <pre>{@code
 * SchemaModel live = SchemaInspector.forSchema("public").inspect(dataSource);
 * SchemaDifferences drift = SchemaComparison.compare(expected, live);
 * }</pre>
 * Instances are immutable and thread-safe.
 */
public final class SchemaInspector {
    /** The schema inspected unless another is named: where production keeps everything. */
    public static final String DEFAULT_SCHEMA = "public";
    /** Flyway's history schema in databases the library created; never part of the production structure. */
    public static final String IGNORED_SCHEMA = "flyway";

    // An object created by CREATE EXTENSION has a pg_depend row of type 'e' pointing at the extension.
    private static final String NOT_IN_EXTENSION = " NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep"
            + " WHERE dep.classid = '%s'::pg_catalog.regclass AND dep.objid = %s AND dep.deptype = 'e') ";
    private static final String CLASS_NOT_IN_EXTENSION = String.format(NOT_IN_EXTENSION, "pg_catalog.pg_class", "c.oid");

    private static final String EXTENSIONS = "SELECT e.extname, n.nspname, e.extversion,"
            + " pg_catalog.obj_description(e.oid, 'pg_extension')"
            + " FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
            + " WHERE n.nspname <> 'pg_catalog' AND n.nspname <> '" + IGNORED_SCHEMA + "'";

    private static final String TABLES = "SELECT c.relname, pg_catalog.obj_description(c.oid, 'pg_class')"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND" + CLASS_NOT_IN_EXTENSION;

    private static final String COLUMNS = "SELECT c.relname, a.attname,"
            + " pg_catalog.row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),"
            + " pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            + " CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,"
            + " CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END,"
            + " CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END,"
            + " pg_catalog.col_description(a.attrelid, a.attnum)"
            + " FROM pg_catalog.pg_attribute a"
            + " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND"
            + CLASS_NOT_IN_EXTENSION;

    private static final String CONSTRAINTS = "SELECT c.relname, con.conname, con.contype,"
            + " pg_catalog.pg_get_constraintdef(con.oid)"
            + " FROM pg_catalog.pg_constraint con"
            + " JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND con.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p') AND"
            + CLASS_NOT_IN_EXTENSION;

    // conindid is also set on foreign keys (the referenced key's index), hence the conrelid and contype filter.
    private static final String INDEXES = "SELECT c.relname, i.relname, pg_catalog.pg_get_indexdef(i.oid), con.conname"
            + " FROM pg_catalog.pg_index x"
            + " JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
            + " JOIN pg_catalog.pg_class c ON c.oid = x.indrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace"
            + " LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.oid AND con.conrelid = c.oid"
            + "   AND con.contype IN ('p', 'u', 'x')"
            + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm') AND" + CLASS_NOT_IN_EXTENSION;

    // Internal triggers implement foreign keys; clones on partitions (tgparentid) come with their parent's.
    private static final String TRIGGERS = "SELECT c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid)"
            + " FROM pg_catalog.pg_trigger t"
            + " JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND NOT t.tgisinternal AND t.tgparentid = 0 AND" + CLASS_NOT_IN_EXTENSION;

    // pg_get_functiondef cannot print aggregates, so prokind 'a' is left out.
    private static final String FUNCTIONS = "SELECT p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),"
            + " p.prokind, l.lanname,"
            + " CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END,"
            + " pg_catalog.pg_get_functiondef(p.oid), pg_catalog.obj_description(p.oid, 'pg_proc')"
            + " FROM pg_catalog.pg_proc p"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
            + " JOIN pg_catalog.pg_language l ON l.oid = p.prolang"
            + " WHERE n.nspname = ? AND p.prokind IN ('f', 'p', 'w') AND"
            + String.format(NOT_IN_EXTENSION, "pg_catalog.pg_proc", "p.oid");

    // Identity columns own their sequence with deptype 'i'; serial columns with 'a' (reported as OWNED BY).
    private static final String SEQUENCES = "SELECT c.relname, pg_catalog.format_type(s.seqtypid, NULL),"
            + " s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, owner.relname, att.attname"
            + " FROM pg_catalog.pg_sequence s"
            + " JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_catalog.pg_depend own ON own.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
            + "   AND own.objid = c.oid AND own.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
            + "   AND own.deptype = 'a' AND own.refobjsubid > 0"
            + " LEFT JOIN pg_catalog.pg_class owner ON owner.oid = own.refobjid"
            + " LEFT JOIN pg_catalog.pg_attribute att ON att.attrelid = own.refobjid AND att.attnum = own.refobjsubid"
            + " WHERE n.nspname = ? AND" + CLASS_NOT_IN_EXTENSION
            + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend idn"
            + "   WHERE idn.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND idn.objid = c.oid"
            + "   AND idn.deptype = 'i')";

    private static final String VIEWS = "SELECT c.relname, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid, true),"
            + " pg_catalog.obj_description(c.oid, 'pg_class')"
            + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relkind IN ('v', 'm') AND" + CLASS_NOT_IN_EXTENSION;

    private final String schema;

    private SchemaInspector(String schema) {
        this.schema = schema;
    }

    /** {@return an inspector for {@value #DEFAULT_SCHEMA}} */
    public static SchemaInspector forPublicSchema() {
        return new SchemaInspector(DEFAULT_SCHEMA);
    }

    /**
     * An inspector for {@code schema} (an unquoted name, as in {@code pg_namespace.nspname}).
     *
     * @param schema the schema's name
     * @return an inspector for it
     * @throws InspectionException if the name is blank or is {@value #IGNORED_SCHEMA}
     */
    public static SchemaInspector forSchema(String schema) {
        if (schema == null || schema.isBlank()) {
            throw new InspectionException("schema name is blank; expected e.g. '" + DEFAULT_SCHEMA + "'");
        }
        if (schema.equals(IGNORED_SCHEMA)) {
            throw new InspectionException("schema '" + IGNORED_SCHEMA + "' holds Flyway's history in databases this"
                    + " library created and is never inspected; inspect '" + DEFAULT_SCHEMA + "' instead");
        }
        return new SchemaInspector(schema);
    }

    /** {@return the schema this inspector reads} */
    public String schema() {
        return schema;
    }

    /**
     * Inspects through a connection of its own: read-only, repeatable-read (one consistent view of the catalog),
     * rolled back and closed afterwards.
     *
     * @param dataSource where the connection comes from
     * @return the schema's structure
     * @throws InspectionException if the schema does not exist or a catalog query fails
     */
    public SchemaModel inspect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return inspect(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new InspectionException("inspecting schema '" + schema + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Inspects through {@code connection}; the caller owns it and its transaction (which may be read-only). The
     * session's {@code search_path} is the same afterwards as before.
     *
     * @param connection an open connection; its transaction stays the caller's
     * @return the schema's structure
     * @throws InspectionException if the schema does not exist or a catalog query fails
     */
    public SchemaModel inspect(Connection connection) {
        try {
            String previousSearchPath = singleString(connection, "SELECT pg_catalog.current_setting('search_path')");
            setSearchPath(connection, "");
            SchemaModel model;
            try {
                model = read(connection);
            } catch (SQLException | RuntimeException e) {
                // In an aborted transaction the restore fails too; the caller's rollback undoes the setting then.
                try {
                    setSearchPath(connection, previousSearchPath);
                } catch (SQLException restoreFailure) {
                    e.addSuppressed(restoreFailure);
                }
                throw e;
            }
            setSearchPath(connection, previousSearchPath);
            return model;
        } catch (SQLException e) {
            throw new InspectionException("inspecting schema '" + schema + "' failed: " + e.getMessage(), e);
        }
    }

    private SchemaModel read(Connection connection) throws SQLException {
        requireSchemaExists(connection);
        return new SchemaModel(schema,
                extensions(connection),
                tables(connection),
                constraints(connection),
                indexes(connection),
                triggers(connection),
                functions(connection),
                sequences(connection),
                views(connection));
    }

    private void requireSchemaExists(Connection connection) throws SQLException {
        List<String> found = query(connection, "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ?",
                rs -> rs.getString(1));
        if (found.isEmpty()) {
            String database = singleString(connection, "SELECT pg_catalog.current_database()");
            throw new InspectionException("schema '" + schema + "' does not exist in database '" + database
                    + "'; check the database URL and the schema name");
        }
    }

    private List<Extension> extensions(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(EXTENSIONS)) {
            List<Extension> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Extension(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
            return out;
        }
    }

    private List<Table> tables(Connection connection) throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        for (Object[] row : query(connection, COLUMNS, rs -> new Object[] {rs.getString(1), new Column(
                rs.getString(2), rs.getInt(3), rs.getString(4), rs.getBoolean(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9))})) {
            columns.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((Column) row[1]);
        }
        return query(connection, TABLES, rs -> new Table(rs.getString(1), rs.getString(2),
                columns.getOrDefault(rs.getString(1), List.of())));
    }

    private List<Constraint> constraints(Connection connection) throws SQLException {
        return query(connection, CONSTRAINTS, rs -> new Constraint(rs.getString(1), rs.getString(2),
                constraintType(rs.getString(3)), rs.getString(4)));
    }

    private static ConstraintType constraintType(String contype) {
        switch (contype) {
            case "p": return ConstraintType.PRIMARY_KEY;
            case "u": return ConstraintType.UNIQUE;
            case "f": return ConstraintType.FOREIGN_KEY;
            case "c": return ConstraintType.CHECK;
            case "x": return ConstraintType.EXCLUSION;
            default: throw new InspectionException("unexpected pg_constraint.contype '" + contype + "'");
        }
    }

    private List<Index> indexes(Connection connection) throws SQLException {
        return query(connection, INDEXES,
                rs -> new Index(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
    }

    private List<Trigger> triggers(Connection connection) throws SQLException {
        return query(connection, TRIGGERS, rs -> new Trigger(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    private List<Function> functions(Connection connection) throws SQLException {
        return query(connection, FUNCTIONS, rs -> new Function(rs.getString(1), rs.getString(2),
                "p".equals(rs.getString(3)) ? RoutineKind.PROCEDURE : RoutineKind.FUNCTION,
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
    }

    private List<Sequence> sequences(Connection connection) throws SQLException {
        return query(connection, SEQUENCES, rs -> new Sequence(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getBoolean(8), rs.getString(9),
                rs.getString(10)));
    }

    private List<View> views(Connection connection) throws SQLException {
        return query(connection, VIEWS,
                rs -> new View(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4)));
    }

    /** Reads one row into a value; may throw SQLException, unlike java.util.function.Function. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(Connection connection, String sql, RowReader<T> reader) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
                return out;
            }
        }
    }

    private static String singleString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // set_config (not SET) so the value is a bind parameter; is_local=false so it also holds across statements
    // when the caller's connection is in autocommit mode. Allowed in read-only transactions and on standbys.
    private static void setSearchPath(Connection connection, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.set_config('search_path', ?, false)")) {
            statement.setString(1, value);
            statement.executeQuery().close();
        }
    }
}
