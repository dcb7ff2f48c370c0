package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Test tool: records the statements a repository call issues (at the JDBC level, with their bind values) and
 * EXPLAINs each of them, so a test can
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
     * Every prepared statement {@code work} executed, in order, with its bind values: recorded at the JDBC level
     * (a proxy of the data source), so statements run by the library's engine and by jOOQ alike are seen.
     */
    public static List<Recorded> recorded(DataSource dataSource, Consumer<ResumeReviewDb> work) {
        List<Recorded> out = java.util.Collections.synchronizedList(new ArrayList<>());
        DataSource recording = (DataSource) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    return result instanceof Connection c ? connection(c, out) : result;
                });
        work.accept(ResumeReviewDb.create(recording));
        return new ArrayList<>(out);
    }

    /**
     * The SQL (bind values inlined) of every statement {@code work} issued, in order, recorded at the JDBC level like
     * {@link #recorded}: the statement engine's statements and those jOOQ still runs itself alike.
     */
    public static List<String> statements(DataSource dataSource, Consumer<ResumeReviewDb> work) {
        List<String> sql = new ArrayList<>();
        for (Recorded r : recorded(dataSource, work)) {
            java.util.Map<Integer, Object> binds = new java.util.TreeMap<>();
            for (Object[] call : r.binds()) {
                Object[] args = (Object[]) call[1];
                binds.put((Integer) args[0],
                        ((java.lang.reflect.Method) call[0]).getName().equals("setNull") ? null : args[1]);
            }
            sql.add(inline(r.sql(), binds));
        }
        return sql;
    }

    /** Replaces each {@code ?} outside quotes with its bind value as a literal. */
    private static String inline(String text, java.util.Map<Integer, Object> binds) {
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

    /** One executed statement: its SQL and the {@code set...} calls that bound its parameters, in order. */
    public record Recorded(String sql, List<Object[]> binds) {
        /**
         * A pipeline's statements one by one (the engine joins them with {@code "; "}), each with its own binds
         * renumbered from 1; a single statement as it is.
         */
        public List<Recorded> statements() {
            if (!sql.contains("; ")) {
                return List.of(this);
            }
            List<Recorded> out = new ArrayList<>();
            int offset = 0;
            for (String part : sql.split("; ")) {
                int placeholders = (int) part.chars().filter(ch -> ch == '?').count();
                List<Object[]> own = new ArrayList<>();
                for (Object[] call : binds) {
                    Object[] args = ((Object[]) call[1]).clone();
                    int index = (Integer) args[0];
                    if (index > offset && index <= offset + placeholders) {
                        args[0] = index - offset;
                        own.add(new Object[] {call[0], args});
                    }
                }
                out.add(new Recorded(part, own));
                offset += placeholders;
            }
            return out;
        }
    }

    private static Connection connection(Connection real, List<Recorded> out) {
        return (Connection) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")) {
                        return statement(ps, (String) args[0], out);
                    }
                    return result;
                });
    }

    private static PreparedStatement statement(PreparedStatement real, String sql, List<Recorded> out) {
        List<Object[]> binds = new ArrayList<>();
        return (PreparedStatement) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer) {
                        binds.add(new Object[] {method, args});
                    } else if (name.startsWith("execute") && (args == null || args.length == 0)) {
                        out.add(new Recorded(sql, new ArrayList<>(binds)));
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** EXPLAIN (FORMAT JSON) of one recorded statement, with its bind values: its plan tree. */
    public static JsonNode explain(DataSource dataSource, Recorded statement) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("EXPLAIN (FORMAT JSON) " + statement.sql())) {
            for (Object[] call : statement.binds()) {
                invoke(s, (java.lang.reflect.Method) call[0], (Object[]) call[1]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return JSON.readTree(rs.getString(1)).get(0).get("Plan");
            }
        } catch (Throwable e) {
            throw new IllegalStateException("EXPLAIN failed for: " + statement.sql(), e);
        }
    }

    /** EXPLAIN (FORMAT JSON) of one statement without bind values: its plan tree. */
    public static JsonNode explain(DataSource dataSource, String sql) {
        return explain(dataSource, new Recorded(sql, List.of()));
    }

    /** Every plan node of {@code plan}, depth first. */
    public static List<JsonNode> nodes(JsonNode plan) {
        List<JsonNode> out = new ArrayList<>();
        out.add(plan);
        for (JsonNode child : plan.path("Plans")) {
            out.addAll(nodes(child));
        }
        return out;
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
        List<Recorded> statements = recorded(dataSource, work);
        assertThat(statements).as("the call issued no statement to explain").isNotEmpty();
        for (Recorded statement : statements.stream().flatMap(r -> r.statements().stream()).toList()) {
            String head = statement.sql().stripLeading().toLowerCase(java.util.Locale.ROOT);
            if (!(head.startsWith("select") || head.startsWith("update") || head.startsWith("delete")
                    || head.startsWith("with"))) {
                continue;
            }
            JsonNode plan = explain(dataSource, statement);
            assertThat(seqScannedRelations(plan))
                    .as("sequential scan of %s where an index exists.%nStatement: %s%nPlan: %s", table,
                            statement.sql(), plan.toPrettyString())
                    .doesNotContain(table);
        }
    }
}
