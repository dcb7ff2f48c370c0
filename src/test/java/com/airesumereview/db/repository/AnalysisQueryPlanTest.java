package com.airesumereview.db.repository;

import static com.airesumereview.db.repository.AnalysisTestRows.execute;
import static com.airesumereview.db.repository.AnalysisTestRows.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.time.Duration;
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
@ExtendWith(SnapshotDatabaseExtension.class)
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
