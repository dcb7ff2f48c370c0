package com.airesumereview.db.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

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

    /** The SQL (bind values inlined) of every statement {@code work} issued, in order. */
    public static List<String> statements(DataSource dataSource, Consumer<ResumeReviewDb> work) {
        List<String> sql = new ArrayList<>();
        ExecuteListener recorder = new ExecuteListener() {
            private static final long serialVersionUID = 1L;

            @Override
            public void executeStart(ExecuteContext ctx) {
                if (ctx.query() != null) {
                    sql.add(ctx.dsl().renderInlined(ctx.query()));
                } else if (ctx.sql() != null) {
                    sql.add(ctx.sql());
                }
            }
        };
        ResumeReviewDb db = ResumeReviewDb.create(dataSource, recorder);
        work.accept(db);
        return sql;
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
