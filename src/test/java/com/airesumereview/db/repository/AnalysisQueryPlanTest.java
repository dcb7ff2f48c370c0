package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static com.airesumereview.db.repository.AnalysisTestRows.execute;
import static com.airesumereview.db.repository.AnalysisTestRows.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every lookup and list of the analysis and prompt repositories uses one of production's indexes, not a
 * sequential scan, on tables of tens of thousands of rows: 30,000 requests of 1,000 users (99% completed,
 * 1% pending), a result for each completed one, 30,000 prompts (2% active) and 30,000 prompt uses.
 */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class AnalysisQueryPlanTest {

    /** Set-up the library never does (bulk rows, ANALYZE) runs as the owner, also in least-privilege runs. */
    private DataSource owner;

    @BeforeEach
    void connectAsOwner(ProvisionedDatabase database) {
        owner = database.ownerDataSource();
    }

    private static void load(DataSource ds) {
        execute(ds,
                "INSERT INTO users (email, password_hash, first_name, last_name)"
                        + " SELECT 'plan' || i || '@example.com', 'hash' || i, 'F', 'L' FROM generate_series(1, 1000) i",
                "WITH u AS (SELECT array_agg(id ORDER BY email) AS ids FROM users)"
                        + " INSERT INTO analysis_requests (user_id, original_filename, file_path, file_size_bytes,"
                        + " mime_type, status, created_at, completed_at)"
                        + " SELECT u.ids[1 + i % 1000], 'cv' || i || '.pdf', 'uploads/' || i, 1000 + i,"
                        + " 'application/pdf', CASE WHEN i % 100 = 0 THEN 'pending' ELSE 'completed' END,"
                        + " now() - i * interval '1 minute',"
                        + " CASE WHEN i % 100 = 0 THEN NULL ELSE now() - i * interval '1 minute' + interval '30 seconds' END"
                        + " FROM generate_series(1, 30000) i, u",
                "INSERT INTO analysis_results (request_id, overall_score, ai_model_used, processing_time_ms, detailed_feedback)"
                        + " SELECT id, 70, 'gpt-4o', 12000, '{\"analysisSummary\": \"ok\"}' FROM analysis_requests"
                        + " WHERE status = 'completed'",
                "INSERT INTO prompts (name, template, version, is_active, prompt_type)"
                        + " SELECT 'plan_prompt_' || i, 'template ' || i, 1 + i % 5, i % 50 = 0,"
                        + " (ARRAY['system', 'analysis', 'formatting', 'content'])[1 + i % 4]"
                        + " FROM generate_series(1, 30000) i",
                "INSERT INTO prompt_history (prompt_id, request_id, prompt_version, prompt_content)"
                        + " SELECT (SELECT id FROM prompts WHERE name = 'content_analysis'), id, 1, 'content'"
                        + " FROM analysis_requests",
                "ANALYZE users", "ANALYZE analysis_requests", "ANALYZE analysis_results", "ANALYZE prompts",
                "ANALYZE prompt_history");
    }

    private static UUID someUser(DataSource ds) {
        return UUID.fromString(string(ds, "SELECT user_id FROM analysis_requests ORDER BY created_at LIMIT 1"));
    }

    @Test
    void claimingTheNextPendingRequestUsesAnIndex(DataSource ds) {
        load(owner);

        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests",
                db -> assertThat(db.analyses().claimNextPending()).isPresent());
    }

    /**
     * Issue 9, section 4: 50,000 completed requests older than 500 pending ones. The claim must walk
     * idx_analysis_requests_created_at from the low-water mark (an index condition on created_at, no sort), and
     * the probe must find the pending rows through idx_analysis_requests_status, never by walking the history.
     * EXPLAIN ANALYZE (rolled back) shows how many rows the claim's walk filtered out.
     */
    @Test
    void claimWalksTheCreatedAtIndexFromTheLowWaterMarkNotThroughTheHistory(DataSource ds) throws Exception {
        execute(owner,
                "INSERT INTO users (email, password_hash, first_name, last_name) VALUES ('q@example.com', 'x', 'Q', 'B')",
                "INSERT INTO analysis_requests (user_id, original_filename, file_path, file_size_bytes, mime_type,"
                        + " status, created_at, completed_at) SELECT (SELECT id FROM users), 'cv.pdf', 'done/' || g,"
                        + " 1000, 'application/pdf', 'completed', now() - interval '40 days' + g * interval '1 second',"
                        + " now() FROM generate_series(1, 50000) g",
                "INSERT INTO analysis_requests (user_id, original_filename, file_path, file_size_bytes, mime_type,"
                        + " status, created_at) SELECT (SELECT id FROM users), 'cv.pdf', 'new/' || g, 1000,"
                        + " 'application/pdf', 'pending', now() - interval '1 hour' + g * interval '1 second'"
                        + " FROM generate_series(1, 500) g",
                "VACUUM ANALYZE analysis_requests");

        List<QueryPlans.Recorded> statements = QueryPlans.recorded(ds,
                db -> assertThat(db.analyses().claimNextPending()).isPresent());

        QueryPlans.Recorded probe = statements.stream().filter(s -> s.sql().startsWith("select min(")).findFirst()
                .orElseThrow(() -> new AssertionError("no low-water probe in " + statements));
        QueryPlans.Recorded claim = statements.stream().filter(s -> s.sql().startsWith("update")).findFirst()
                .orElseThrow(() -> new AssertionError("no claim in " + statements));
        JsonNode probePlan = QueryPlans.explain(ds, probe);
        assertThat(QueryPlans.nodes(probePlan)).as("probe plan %s", probePlan.toPrettyString())
                .anySatisfy(n -> assertThat(n.path("Index Name").asText()).isEqualTo("idx_analysis_requests_status"))
                .noneSatisfy(n -> assertThat(n.path("Index Name").asText()).isEqualTo("idx_analysis_requests_created_at"));
        JsonNode claimPlan = QueryPlans.explain(ds, claim);
        assertThat(QueryPlans.nodes(claimPlan)).as("claim plan %s", claimPlan.toPrettyString())
                .anySatisfy(n -> {
                    assertThat(n.path("Index Name").asText()).isEqualTo("idx_analysis_requests_created_at");
                    assertThat(n.path("Index Cond").asText()).contains("created_at >=");
                })
                .noneSatisfy(n -> assertThat(n.path("Node Type").asText()).isIn("Sort", "Seq Scan"));

        JsonNode analyzed = explainAnalyzeRolledBack(ds, claim);
        long removed = QueryPlans.nodes(analyzed).stream()
                .filter(n -> "idx_analysis_requests_created_at".equals(n.path("Index Name").asText()))
                .mapToLong(n -> n.path("Rows Removed by Filter").asLong()).sum();
        assertThat(removed).as("rows the claim's walk filtered out, with 50,000 completed requests older than"
                + " the pending ones; plan %s", analyzed.toPrettyString()).isLessThan(10);
    }

    /** EXPLAIN (ANALYZE) of a recorded statement in a transaction that is rolled back. */
    private static JsonNode explainAnalyzeRolledBack(DataSource ds, QueryPlans.Recorded statement) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + statement.sql())) {
                for (Object[] call : statement.binds()) {
                    ((java.lang.reflect.Method) call[0]).invoke(s, (Object[]) call[1]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
                }
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void startingAGivenRequestListingByStatusWithTotalAndCountingUseIndexes(DataSource ds) {
        load(owner);
        UUID userId = UUID.fromString(string(ds,
                "SELECT user_id FROM analysis_requests WHERE status = 'completed' ORDER BY created_at LIMIT 1"));
        UUID pending = UUID.fromString(string(ds,
                "SELECT id FROM analysis_requests WHERE status = 'pending' ORDER BY created_at LIMIT 1"));

        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests",
                db -> assertThat(db.analyses().startProcessing(pending).id()).isEqualTo(pending));
        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests", db -> {
            Page<AnalysisRequest> first = db.analyses().listByUser(userId, AnalysisStatus.COMPLETED, null, 5);
            assertThat(first.total()).hasValue(30);
            assertThat(db.analyses().listByUser(userId, AnalysisStatus.COMPLETED, first.next().orElseThrow(), 5)
                    .items()).hasSize(5);
        });
        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests",
                db -> assertThat(db.analyses().countByStatus(userId).get(AnalysisStatus.COMPLETED)).isEqualTo(30));
    }

    @Test
    void requeueingStuckRequestsUsesTheStatusIndex(DataSource ds) {
        load(owner);

        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests",
                db -> assertThat(db.analyses().requeueStuck(Duration.ofHours(1))).isZero());
    }

    @Test
    void findingARequestWithItsResultUsesIndexes(DataSource ds) {
        load(owner);
        UUID completed = UUID.fromString(string(ds,
                "SELECT id FROM analysis_requests WHERE status = 'completed' ORDER BY created_at LIMIT 1"));

        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests",
                db -> assertThat(db.analyses().find(completed).orElseThrow().result()).isPresent());
        QueryPlans.assertNoSeqScanOn(ds, "analysis_results", db -> db.analyses().find(completed));
    }

    @Test
    void listingTheFirstPageOfAUsersRequestsUsesAnIndex(DataSource ds) {
        load(owner);
        UUID userId = someUser(ds);

        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests",
                db -> assertThat(db.analyses().listByUser(userId, null, null, 10).items()).hasSize(10));
    }

    @Test
    void listingALaterPageOfAUsersRequestsUsesAnIndex(DataSource ds) {
        load(owner);
        UUID userId = someUser(ds);
        Page<AnalysisRequest> first = ResumeReviewDb.create(ds).analyses().listByUser(userId, null, null, 10);

        QueryPlans.assertNoSeqScanOn(ds, "analysis_requests", db -> {
            Page<AnalysisRequest> second = db.analyses().listByUser(userId, null, first.next().orElseThrow(), 10);
            assertThat(second.items()).hasSize(10);
            assertThat(second.items().get(0).createdAt()).isBefore(first.items().get(9).createdAt());
        });
    }

    @Test
    void findingTheActivePromptByNameUsesTheNameKey(DataSource ds) {
        load(owner);

        QueryPlans.assertNoSeqScanOn(ds, "prompts",
                db -> assertThat(db.prompts().findActiveByName("plan_prompt_100")).isPresent());
    }

    @Test
    void listingActivePromptsOfATypeUsesTheTypeActiveIndex(DataSource ds) {
        load(owner);

        QueryPlans.assertNoSeqScanOn(ds, "prompts",
                db -> assertThat(db.prompts().listActiveByType(PromptType.CONTENT)).isNotEmpty());
    }

    @Test
    void listingTheHistoryOfARequestUsesTheRequestIdIndex(DataSource ds) {
        load(owner);
        UUID request = UUID.fromString(string(ds, "SELECT id FROM analysis_requests ORDER BY created_at LIMIT 1"));

        QueryPlans.assertNoSeqScanOn(ds, "prompt_history",
                db -> assertThat(db.prompts().historyOfRequest(request)).hasSize(1));
    }
}
