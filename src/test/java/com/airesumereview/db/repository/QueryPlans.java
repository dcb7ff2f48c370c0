package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Test tool: records the statements a repository call issues and EXPLAINs each of them, so a test can
 * fail when PostgreSQL would answer with a sequential scan where production has an index.
 * <pre>{@code
 * QueryPlans.assertNoSeqScanOn(dataSource, "users", db -> db.users().findByEmail("x@example.com"));
 * }</pre>
 * Load the table with tens of thousands of rows and ANALYZE it first, or the planner rightly prefers a
 * sequential scan of a tiny table.
 */
public final class QueryPlans {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryPlans() {
    }

    /**
     * The SQL (bind values inlined) of every statement {@code work} issued, in order. Recorded at the JDBC level
     * (a proxy of the data source), so it sees the statements of the statement engine ({@code internal.Database},
     * plain JDBC) as well as those jOOQ still runs itself.
     */
    public static List<String> statements(DataSource dataSource, Consumer<ResumeReviewDb> work) {
        List<String> sql = new ArrayList<>();
        DataSource recording = (DataSource) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    return result instanceof Connection c && method.getName().equals("getConnection")
                            ? recordingConnection(c, sql) : result;
                });
        ResumeReviewDb db = ResumeReviewDb.create(recording);
        work.accept(db);
        return sql;
    }

    private static Connection recordingConnection(Connection connection, List<String> sql) {
        return (Connection) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")) {
                        return recordingStatement(ps, (String) args[0], sql);
                    }
                    return result;
                });
    }

    private static PreparedStatement recordingStatement(PreparedStatement statement, String text, List<String> sql) {
        Map<Integer, Object> binds = new TreeMap<>();
        return (PreparedStatement) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i) {
                        binds.put(i, name.equals("setNull") ? null : args[1]);
                    } else if (name.startsWith("execute") && (args == null || args.length == 0)) {
                        sql.add(inline(text, binds));
                    }
                    return invoke(statement, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Replaces each {@code ?} outside quotes with its bind value as a literal. */
    private static String inline(String text, Map<Integer, Object> binds) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == '?' && !quoted) {
                out.append(literal(binds.get(++n)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        String text = v instanceof java.sql.Array a ? a.toString() : String.valueOf(v);
        return "'" + text.replace("'", "''") + "'";
    }

    /** EXPLAIN (FORMAT JSON) of one statement: its plan tree. */
    public static JsonNode explain(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
            rs.next();
            return JSON.readTree(rs.getString(1)).get(0).get("Plan");
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("EXPLAIN failed for: " + sql, e);
        }
    }

    /** Names of the relations that a plan reads with a sequential scan. */
    public static List<String> seqScannedRelations(JsonNode plan) {
        List<String> out = new ArrayList<>();
        collect(plan, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if ("Seq Scan".equals(node.path("Node Type").asText())) {
            out.add(node.path("Relation Name").asText());
        }
        for (JsonNode child : node.path("Plans")) {
            collect(child, out);
        }
    }

    /**
     * Runs {@code work}, EXPLAINs every SELECT, UPDATE and DELETE it issued and fails when any plan reads
     * {@code table} with a sequential scan; the failure shows the statement and the plan.
     */
    public static void assertNoSeqScanOn(DataSource dataSource, String table, Consumer<ResumeReviewDb> work) {
        List<String> statements = statements(dataSource, work);
        assertThat(statements).as("the call issued no statement to explain").isNotEmpty();
        for (String sql : statements) {
            String head = sql.stripLeading().toLowerCase(java.util.Locale.ROOT);
            if (!(head.startsWith("select") || head.startsWith("update") || head.startsWith("delete")
                    || head.startsWith("with"))) {
                continue;
            }
            JsonNode plan = explain(dataSource, sql);
            assertThat(seqScannedRelations(plan))
                    .as("sequential scan of %s where an index exists.%nStatement: %s%nPlan: %s", table, sql, plan.toPrettyString())
                    .doesNotContain(table);
        }
    }
}
