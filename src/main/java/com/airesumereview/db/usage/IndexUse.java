package com.airesumereview.db.usage;

import com.airesumereview.db.repository.RepositoryStatements;
import com.airesumereview.db.usage.SqlLexer.Kind;
import com.airesumereview.db.usage.SqlLexer.Token;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which indexes the repositories' queries use, asked of the planner: each statement is prepared and its generic plan
 * explained ({@code plan_cache_mode = force_generic_plan}, so no bind value is folded away) with sequential scans
 * discouraged ({@code enable_seqscan = off}), which is how the query-plan tests ask "is there an index for this?" on
 * a table too small to need one. An index counts when a plan node searches it with an index condition; a full scan of
 * an index for its order does not. Nothing is executed: EXPLAIN without ANALYZE only plans, in a transaction that
 * is rolled back.
 *
 * @param indexes  per statement name ({@code repository.method}), the indexes its plans search
 * @param failures per statement name, why it could not be explained (e.g. a parameter without a type)
 */
public record IndexUse(Map<String, Set<String>> indexes, Map<String, String> failures) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Copies both maps.
     *
     * @param indexes per statement name, the indexes its plans search
     * @param failures per statement name, why it could not be explained
     */
    public IndexUse {
        indexes = Map.copyOf(indexes);
        failures = Map.copyOf(failures);
    }

    /**
     * Nothing explained (no database at hand).
     *
     * @return an empty answer
     */
    public static IndexUse none() {
        return new IndexUse(Map.of(), Map.of());
    }

    /**
     * Explains every statement on {@code connection}; the caller owns it (autocommit is restored afterwards).
     *
     * @param connection a database holding the schema; nothing is written (the transaction is rolled back)
     * @param statements the statements to explain, e.g. {@code RepositoryStatements.all()}
     * @return per statement the indexes its plan searches, and the statements that could not be explained
     * @throws SQLException when the connection fails (a statement that cannot be planned is a failure, not this)
     */
    public static IndexUse explain(Connection connection, List<RepositoryStatements.Text> statements) throws SQLException {
        Map<String, Set<String>> used = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            s.execute("SET LOCAL enable_seqscan = off");
            int n = 0;
            for (RepositoryStatements.Text text : statements) {
                String prepared = "rrdb_explain_" + (n++);
                s.execute("SAVEPOINT rrdb_explain");
                try {
                    int parameters = numbered(text.sql()).parameters;
                    s.execute("PREPARE " + prepared + " AS " + numbered(text.sql()).sql);
                    String args = parameters == 0 ? "" : "(" + String.join(", ", java.util.Collections.nCopies(parameters, "NULL")) + ")";
                    try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE " + prepared + args)) {
                        rs.next();
                        Set<String> found = used.computeIfAbsent(text.name(), k -> new TreeSet<>());
                        collect(JSON.readTree(rs.getString(1)), found);
                    }
                    s.execute("DEALLOCATE " + prepared);
                    s.execute("RELEASE SAVEPOINT rrdb_explain");
                } catch (SQLException | java.io.IOException e) {
                    s.execute("ROLLBACK TO SAVEPOINT rrdb_explain");
                    failures.putIfAbsent(text.name(), String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
        return new IndexUse(used, failures);
    }

    /**
     * The statement names whose plans search {@code index}, sorted.
     *
     * @param index the index's name
     * @return the statement names; empty when no plan searches it
     */
    public List<String> statementsUsing(String index) {
        List<String> out = new ArrayList<>();
        indexes.forEach((name, set) -> {
            if (set.contains(index)) {
                out.add(name);
            }
        });
        return out.stream().sorted().toList();
    }

    private static void collect(JsonNode node, Set<String> found) {
        if (node.isObject()) {
            if (node.has("Index Name") && (node.has("Index Cond") || node.path("Node Type").asText().contains("Bitmap"))) {
                found.add(node.get("Index Name").asText());
            }
            node.elements().forEachRemaining(child -> collect(child, found));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collect(child, found));
        }
    }

    private record Numbered(String sql, int parameters) {
    }

    /** {@code ?} placeholders (outside strings and identifiers) as {@code $1, $2, ...} for PREPARE. */
    private static Numbered numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int last = 0;
        int n = 0;
        for (Token token : SqlLexer.tokens(sql)) {
            if (token.kind() == Kind.PARAMETER) {
                out.append(sql, last, token.start()).append('$').append(++n);
                last = token.end();
            }
        }
        out.append(sql.substring(last));
        return new Numbered(out.toString(), n);
    }
}
