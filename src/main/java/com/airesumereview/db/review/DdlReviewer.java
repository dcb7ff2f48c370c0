package com.airesumereview.db.review;

import com.airesumereview.db.domain.FieldMappingContract;
import com.airesumereview.db.inspection.Difference;
import com.airesumereview.db.inspection.Impact;
import com.airesumereview.db.inspection.ObjectKind;
import com.airesumereview.db.inspection.SchemaComparison;
import com.airesumereview.db.inspection.SchemaDifferences;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.review.DdlScript.Statement;
import com.airesumereview.db.review.ReviewReport.Change;
import com.airesumereview.db.review.ReviewReport.DataRewrite;
import com.airesumereview.db.review.ReviewReport.Hazard;
import com.airesumereview.db.review.ReviewReport.PlanChange;
import com.airesumereview.db.review.ReviewReport.VocabularyChange;
import com.airesumereview.db.usage.SchemaUsage;
import com.airesumereview.db.usage.SchemaUsage.Vocabulary;
import com.airesumereview.db.usage.SqlLexer;
import com.airesumereview.db.usage.SqlLexer.Token;
import com.airesumereview.db.usage.StatementColumns;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reviews a DDL file before it reaches production: applies it, statement by statement, to a throwaway database
 * built from the bundled snapshot (as a role that owns the schema but is no superuser, so a statement production's
 * migration role could not run fails here too), compares the structure before and after with {@link SchemaComparison},
 * and tells per change what it touches in the library, which hazards the statements carry on a running database,
 * and what to do next.
 * <pre>{@code
 * try (PostgresProvisioner postgres = PostgresProvisioner.start()) {
 *     ReviewReport report = DdlReviewer.on(postgres).review(DdlScript.parse("change.sql", sql), null);
 * }
 * }</pre>
 * The live database is never changed: it is only asked for its size statistics ({@link TableSizes}), by the caller.
 */
public final class DdlReviewer {
    private static final String SCHEMA = SchemaInspector.DEFAULT_SCHEMA;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Volatile functions that make {@code ADD COLUMN ... DEFAULT} rewrite the table. */
    private static final Set<String> VOLATILE = Set.of("random", "gen_random_uuid", "uuid_generate_v4",
            "uuid_generate_v1", "clock_timestamp", "timeofday", "nextval", "txid_current");

    private final PostgresProvisioner provisioner;
    private final Consumer<String> progress;

    private DdlReviewer(PostgresProvisioner provisioner, Consumer<String> progress) {
        this.provisioner = provisioner;
        this.progress = progress;
    }

    /**
     * A reviewer creating its throwaway databases with {@code provisioner}.
     *
     * @param provisioner where the throwaway databases come from
     * @return a reviewer that reports no progress
     */
    public static DdlReviewer on(PostgresProvisioner provisioner) {
        return new DdlReviewer(Objects.requireNonNull(provisioner, "provisioner"), line -> { });
    }

    /**
     * The same reviewer reporting progress lines to {@code sink}.
     *
     * @param sink told one line per step
     * @return a new reviewer
     */
    public DdlReviewer withProgress(Consumer<String> sink) {
        return new DdlReviewer(provisioner, Objects.requireNonNull(sink, "progress"));
    }

    /**
     * Reviews {@code script}.
     *
     * @param script the DDL file, split into statements
     * @param sizes  the live database's table sizes, or null
     * @return the report: impact, rewrites, hazards and verdict
     * @throws ReviewException if a statement fails on the throwaway database or needs a superuser
     */
    public ReviewReport review(DdlScript script, TableSizes sizes) {
        Objects.requireNonNull(script, "script");
        progress.accept("creating a throwaway database from the bundled snapshot");
        try (ProvisionedDatabase db = provisioner.createSnapshotDatabase();
             Connection c = db.ownerDataSource().getConnection()) {
            c.setAutoCommit(true);
            SchemaModel before = SchemaInspector.forPublicSchema().inspect(c);
            SchemaUsage usage = SchemaUsage.explainedOn(c, SCHEMA);
            String role = "rrdb_review_" + HexFormat.of().formatHex(bytes());
            try {
                ownSchemaAs(c, role, db.name());
                progress.accept("applying " + script.statements().size() + " statements as a non-superuser owner");
                List<Hazard> hazards = apply(c, role, script, before, sizes);
                SchemaModel after = SchemaInspector.forPublicSchema().inspect(c);
                SchemaUsage usageAfter = SchemaUsage.explainedOn(c, SCHEMA);
                progress.accept("comparing before and after");
                return report(script, before, after, usage, usageAfter, hazards, sizes);
            } finally {
                dropRole(c, role);
            }
        } catch (SQLException e) {
            throw new ReviewException("the throwaway database failed: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    // ---- applying --------------------------------------------------------------------------------------------

    /** Hands the schema and everything in it to a NOLOGIN role without superuser rights. */
    private static void ownSchemaAs(Connection c, String role, String database) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
            s.execute("GRANT CREATE, TEMPORARY ON DATABASE " + database + " TO " + role);
            s.execute("ALTER SCHEMA public OWNER TO " + role);
            s.execute("DO $own$ DECLARE r record; BEGIN"
                    + " FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c"
                    + "   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                    + "   AND c.relkind IN ('r', 'p', 'v', 'm')"
                    + "   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP"
                    + "   EXECUTE format('ALTER TABLE %s OWNER TO " + role + "', r.name);"
                    + " END LOOP;"
                    + " FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p"
                    + "   JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
                    + "   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP"
                    + "   EXECUTE format('ALTER ROUTINE %s OWNER TO " + role + "', r.name);"
                    + " END LOOP; END $own$");
        }
    }

    private static void dropRole(Connection c, String role) {
        try (java.sql.Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            s.execute("ROLLBACK");
            s.execute("RESET ROLE");
            s.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER");
            s.execute("DROP OWNED BY " + role);
            s.execute("DROP ROLE " + role);
        } catch (SQLException e) {
            // The database is dropped next; a role left behind owns nothing and is named rrdb_review_*.
        }
    }

    private List<Hazard> apply(Connection c, String role, DdlScript script, SchemaModel before, TableSizes sizes)
            throws SQLException {
        Set<String> existing = new TreeSet<>();
        before.tables().forEach(t -> existing.add(t.name()));
        Hazards hazards = new Hazards(script, existing, sizes);
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET ROLE " + role);
            for (Statement statement : script.statements()) {
                Map<String, Long> files = relfilenodes(c);
                boolean validatedNotNull = hasValidatedNotNullCheck(c, statement);
                try {
                    s.execute(statement.sql());
                } catch (SQLException e) {
                    throw failed(script, statement, e);
                }
                Map<String, Long> filesAfter = relfilenodes(c);
                Set<String> rewritten = new TreeSet<>();
                files.forEach((table, node) -> {
                    if (filesAfter.containsKey(table) && !filesAfter.get(table).equals(node)) {
                        rewritten.add(table);
                    }
                });
                hazards.inspect(statement, rewritten, validatedNotNull);
            }
            hazards.finish();
            if (hazards.openTransaction) {
                s.execute("COMMIT");
            }
            s.execute("RESET ROLE");
        }
        return hazards.found;
    }

    private static ReviewException failed(DdlScript script, Statement statement, SQLException e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
        String where = script.name() + ": statement " + statement.number() + " (line " + statement.line() + ") '"
                + statement.shortText(80) + "'";
        if ("42501".equals(e.getSQLState())) {
            return new ReviewException(where + " needs superuser rights: the schema's owner was refused ("
                    + message + "). Migrations run as the schema's owner; have a database administrator run it"
                    + " separately, or leave it out", e);
        }
        String hint = "42601".equals(e.getSQLState()) && statement.number() == 1 ? "; is the file SQL?" : "";
        return new ReviewException(where + " does not apply to the snapshot: " + message + " (SQLSTATE "
                + e.getSQLState() + hint + ")", e);
    }

    private static Map<String, Long> relfilenodes(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname, c.relfilenode::bigint FROM pg_catalog.pg_class c"
                     + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname = 'public' AND c.relkind = 'r'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** For {@code ALTER COLUMN c SET NOT NULL}: whether a validated {@code CHECK (c IS NOT NULL)} already exists. */
    private static boolean hasValidatedNotNullCheck(Connection c, Statement statement) throws SQLException {
        List<Token> t = statement.tokens();
        if (!statement.startsWith("alter", "table")) {
            return false;
        }
        String table = Hazards.tableOf(statement);
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.get(i).is("set") && t.get(i + 1).is("not") && t.get(i + 2).is("null")) {
                String column = Hazards.columnBefore(t, i);
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_constraint con"
                        + " JOIN pg_catalog.pg_class r ON r.oid = con.conrelid WHERE r.relname = ? AND con.contype = 'c'"
                        + " AND con.convalidated AND pg_catalog.pg_get_constraintdef(con.oid) ~* ?")) {
                    ps.setString(1, table);
                    // PostgreSQL's regular expressions have no \Q...\E: every non-word character is escaped.
                    ps.setString(2, "^CHECK \\(\\(?\"?" + column.replaceAll("(\\W)", "\\\\$1") + "\"? IS NOT NULL\\)?\\)$");
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            }
        }
        return false;
    }

    // ---- the report ------------------------------------------------------------------------------------------

    private ReviewReport report(DdlScript script, SchemaModel before, SchemaModel after, SchemaUsage usage,
                                SchemaUsage usageAfter, List<Hazard> hazards, TableSizes sizes) {
        SchemaDifferences differences = SchemaComparison.compare(before, after);
        List<DataRewrite> rewrites = dataRewrites(script, before, after);
        List<Change> changes = new ArrayList<>();
        Set<String> vocabularyReported = new TreeSet<>();
        for (Difference d : differences.differences()) {
            changes.add(change(d, before, after, usage, rewrites, vocabularyReported));
        }
        List<PlanChange> plans = new ArrayList<>();
        usage.indexUse().indexes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Set<String> now = usageAfter.indexUse().indexes().getOrDefault(e.getKey(), Set.of());
            if (!now.containsAll(e.getValue())) {
                plans.add(new PlanChange(e.getKey(), List.copyOf(e.getValue()), List.copyOf(new TreeSet<>(now))));
            }
        });
        boolean breaking = changes.stream().anyMatch(Change::breaking) || rewrites.stream().anyMatch(DataRewrite::breaking);
        boolean blocking = hazards.stream().anyMatch(Hazard::blocking);
        List<String> next = NextSteps.of(changes, rewrites, plans, hazards, script.name());
        return new ReviewReport(script.name(), script.statements().size(), breaking, blocking, changes, rewrites,
                plans, hazards, sizes == null ? null : "live database " + sizes.database()
                        + " (pg_class.reltuples, pg_total_relation_size)", next);
    }

    private Change change(Difference d, SchemaModel before, SchemaModel after, SchemaUsage usage,
                          List<DataRewrite> rewrites, Set<String> vocabularyReported) {
        String table = d.name().contains(".") ? d.name().substring(0, d.name().indexOf('.')) : d.name();
        Set<String> columns = affectedColumns(d, before, after, table);
        List<String> generated = new ArrayList<>();
        List<String> writers = new ArrayList<>();
        List<String> readers = new ArrayList<>();
        List<String> mapping = new ArrayList<>();
        List<String> indexUsers = new ArrayList<>();
        VocabularyChange vocabulary = null;
        boolean isTable = d.kind() == ObjectKind.TABLE || d.kind() == ObjectKind.COLUMN
                || d.kind() == ObjectKind.CONSTRAINT || d.kind() == ObjectKind.INDEX || d.kind() == ObjectKind.TRIGGER;
        if (isTable && before.table(table).isPresent()) {
            String tableClass = "com.airesumereview.db.generated.tables." + pascal(table);
            if (d.kind() == ObjectKind.TABLE) {
                generated.add(tableClass + ", " + tableClass.replace(".tables.", ".tables.records.") + "Record");
            } else if (d.kind() == ObjectKind.COLUMN && d.change() != com.airesumereview.db.inspection.Change.ADDED) {
                generated.add(tableClass + "." + columns.iterator().next().toUpperCase(Locale.ROOT)
                        + " (and " + pascal(table) + "Record)");
            }
        } else if (isTable && d.change() == com.airesumereview.db.inspection.Change.ADDED) {
            generated.add("com.airesumereview.db.generated.tables." + pascal(table) + " (new after codegen)");
        }
        if (d.kind() == ObjectKind.COLUMN && d.change() == com.airesumereview.db.inspection.Change.ADDED) {
            generated.add("com.airesumereview.db.generated.tables." + pascal(table) + "."
                    + columns.iterator().next().toUpperCase(Locale.ROOT) + " (new after codegen)");
        }
        for (String column : columns) {
            writers.addAll(usage.writers(table, column));
            readers.addAll(usage.readers(table, column));
            for (FieldMappingContract.Row row : usage.mappingRows(table, column)) {
                mapping.add("field-mapping.csv line " + row.line() + ": " + row.csv());
            }
            Optional<Vocabulary> was = SchemaUsage.vocabulary(before, table, column);
            Optional<Vocabulary> now = SchemaUsage.vocabulary(after, table, column);
            if ((was.isPresent() || now.isPresent()) && d.kind() == ObjectKind.CONSTRAINT
                    && !was.map(Vocabulary::values).equals(now.map(Vocabulary::values))
                    && vocabularyReported.add(table + "." + column)) {
                vocabulary = vocabularyChange(table, column, was, now, rewrites);
                generated.add((was.isPresent() ? was.get() : now.get()).qualifiedEnumName());
            }
        }
        if (d.kind() == ObjectKind.TABLE && d.change() == com.airesumereview.db.inspection.Change.MISSING) {
            readers.addAll(usage.users(table));
        }
        if (d.kind() == ObjectKind.INDEX || d.kind() == ObjectKind.CONSTRAINT) {
            String index = d.name().substring(d.name().indexOf('.') + 1);
            indexUsers.addAll(usage.usingIndex(index));
            // A constraint's index has the constraint's name (primary and unique keys).
        }
        if (d.kind() == ObjectKind.FUNCTION) {
            String function = d.name().contains("(") ? d.name().substring(0, d.name().indexOf('(')) : d.name();
            readers.addAll(usage.users(function));
        }
        if (d.kind() == ObjectKind.INDEX) {
            // An index changes no row the methods read or write; what matters is which queries search it.
            writers.clear();
            readers.clear();
        }
        boolean breaking = d.impact() == Impact.BREAKING;
        return new Change(d.kind().name(), d.name(), d.change().name(), d.attribute(), d.expected(), d.actual(),
                d.impact().name(), breaking, generated, vocabulary, distinct(writers), distinct(readers),
                distinct(mapping), distinct(indexUsers));
    }

    private static VocabularyChange vocabularyChange(String table, String column, Optional<Vocabulary> was,
                                                     Optional<Vocabulary> now, List<DataRewrite> rewrites) {
        List<String> before = was.map(Vocabulary::values).orElse(List.of());
        List<String> after = now.map(Vocabulary::values).orElse(List.of());
        List<String> added = after.stream().filter(v -> !before.contains(v)).toList();
        List<String> removed = before.stream().filter(v -> !after.contains(v)).toList();
        Map<String, List<String>> renamed = new LinkedHashMap<>();
        for (DataRewrite rewrite : rewrites) {
            if (rewrite.column().equals(table + "." + column)) {
                for (String gone : rewrite.disappearing()) {
                    if (removed.contains(gone)) {
                        renamed.put(gone, rewrite.written().stream().filter(after::contains).toList());
                    }
                }
            }
        }
        String enumName = (was.isPresent() ? was.get() : now.get()).qualifiedEnumName();
        return new VocabularyChange(enumName, table + "." + column, before, after, added, removed, renamed);
    }

    /** Columns of {@code table} a difference is about: the column itself, or those its definition names. */
    private static Set<String> affectedColumns(Difference d, SchemaModel before, SchemaModel after, String table) {
        Set<String> out = new LinkedHashSet<>();
        if (d.kind() == ObjectKind.COLUMN) {
            out.add(d.name().substring(d.name().indexOf('.') + 1));
            return out;
        }
        Optional<SchemaModel.Table> t = before.table(table).or(() -> after.table(table));
        if (t.isEmpty()) {
            return out;
        }
        if (d.kind() == ObjectKind.TABLE) {
            t.get().columns().forEach(col -> out.add(col.name()));
            return out;
        }
        if (d.kind() != ObjectKind.CONSTRAINT && d.kind() != ObjectKind.INDEX) {
            return out;
        }
        Set<String> names = new TreeSet<>();
        for (String text : new String[] {d.expected(), d.actual()}) {
            if (text != null) {
                try {
                    String body = text.contains(" USING ") ? text.substring(text.indexOf(" USING ")) : text;
                    // For a foreign key, only the referencing side names this table's columns.
                    if (body.startsWith("FOREIGN KEY") && body.contains("REFERENCES")) {
                        body = body.substring(0, body.indexOf("REFERENCES"));
                    }
                    SqlLexer.tokens(body).stream().filter(Token::isName).forEach(tok -> names.add(tok.value()));
                } catch (SqlLexer.UnterminatedException e) {
                    // A definition PostgreSQL printed is complete; nothing to add if not.
                }
            }
        }
        t.get().columns().stream().map(SchemaModel.Column::name).filter(names::contains).forEach(out::add);
        return out;
    }

    /** UPDATE statements of the file that assign a vocabulary column, and the values they make disappear. */
    private static List<DataRewrite> dataRewrites(DdlScript script, SchemaModel before, SchemaModel after) {
        List<DataRewrite> out = new ArrayList<>();
        for (Statement statement : script.statements()) {
            if (!statement.startsWith("update")) {
                continue;
            }
            StatementColumns columns = StatementColumns.of("line " + statement.line(), statement.sql(), SCHEMA);
            for (String written : columns.writes()) {
                String table = written.substring(0, written.indexOf('.'));
                String column = written.substring(written.indexOf('.') + 1);
                Optional<Vocabulary> was = SchemaUsage.vocabulary(before, table, column);
                if (was.isEmpty()) {
                    continue;
                }
                List<String> oldValues = was.get().values();
                List<String> newValues = SchemaUsage.vocabulary(after, table, column).map(Vocabulary::values)
                        .orElse(List.of());
                // Written: literals after THEN/ELSE, or right after "SET column ="; anything in WHERE selects rows.
                List<Token> t = statement.tokens();
                Set<String> written2 = new LinkedHashSet<>();
                Set<String> inCondition = new LinkedHashSet<>();
                boolean where = false;
                for (int i = 0; i < t.size(); i++) {
                    Token token = t.get(i);
                    where |= token.is("where");
                    if (token.kind() != SqlLexer.Kind.STRING) {
                        continue;
                    }
                    if (where) {
                        inCondition.add(token.value());
                    } else if (i > 0 && (t.get(i - 1).is("then") || t.get(i - 1).is("else"))) {
                        written2.add(token.value());
                    } else if (i > 2 && t.get(i - 1).isPunctuation('=') && t.get(i - 2).isName()
                            && t.get(i - 2).value().equals(column)
                            && (t.get(i - 3).is("set") || t.get(i - 3).isPunctuation(','))) {
                        written2.add(token.value());
                    }
                }
                List<String> writes = List.copyOf(written2);
                Set<String> gone = new LinkedHashSet<>();
                oldValues.stream().filter(v -> !newValues.isEmpty() && !newValues.contains(v)).forEach(gone::add);
                inCondition.stream().filter(oldValues::contains).filter(v -> !writes.contains(v)).forEach(gone::add);
                // Breaks the library only when it writes a value the generated enum cannot read; a value that merely
                // disappears from the rows is reported, and a vocabulary change is judged with its CHECK.
                boolean breaking = writes.stream().anyMatch(v -> !oldValues.contains(v));
                out.add(new DataRewrite(statement.number(), statement.line(), written, was.get().qualifiedEnumName(),
                        List.copyOf(gone), writes, breaking, statement.shortText(160)));
            }
        }
        return out;
    }

    private static List<String> distinct(List<String> items) {
        return List.copyOf(new TreeSet<>(items));
    }

    static Set<String> volatileNames() {
        return VOLATILE;
    }

    /** {@code analysis_requests} as jOOQ names its class: {@code AnalysisRequests}. */
    static String pascal(String table) {
        StringBuilder b = new StringBuilder();
        for (String part : table.split("_")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}
