package com.airesumereview.db.schema;

import static com.airesumereview.db.schema.ConstraintViolation.FOREIGN_KEY;
import static com.airesumereview.db.schema.ConstraintViolation.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Which deletes cascade in production and which one is refused. */
@ExtendWith(SnapshotDatabaseExtension.class)
class CascadeDeleteTest {

    /** One user's rows in every table that hangs off {@code users}. */
    private record UserGraph(UUID user, UUID token, UUID upload, UUID request, UUID result, UUID history) {
    }

    private static UserGraph userWithEverything(SchemaRows rows) throws SQLException {
        UUID user = rows.user();
        UUID request = rows.analysisRequest(user);
        return new UserGraph(user,
                rows.refreshToken(user, Map.of()),
                rows.fileUpload(user, Map.of()),
                request,
                rows.analysisResult(request),
                rows.promptHistory(rows.referencePrompt("content_analysis"), request));
    }

    @Test
    void deletingUserRemovesTheirTokensUploadsRequestsAndTransitivelyResultsAndPromptHistory(DataSource dataSource)
            throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UserGraph doomed = userWithEverything(rows);
        UserGraph other = userWithEverything(rows);

        assertThat(rows.execute("DELETE FROM users WHERE id = ?", doomed.user())).isEqualTo(1);

        assertThat(rows.exists("refresh_tokens", doomed.token())).as("refresh token").isFalse();
        assertThat(rows.exists("file_uploads", doomed.upload())).as("file upload").isFalse();
        assertThat(rows.exists("analysis_requests", doomed.request())).as("analysis request").isFalse();
        assertThat(rows.exists("analysis_results", doomed.result())).as("analysis result (via request)").isFalse();
        assertThat(rows.exists("prompt_history", doomed.history())).as("prompt history (via request)").isFalse();

        assertThat(rows.count("refresh_tokens")).isEqualTo(1);
        assertThat(rows.count("file_uploads")).isEqualTo(1);
        assertThat(rows.count("analysis_requests")).isEqualTo(1);
        assertThat(rows.count("analysis_results")).isEqualTo(1);
        assertThat(rows.count("prompt_history")).isEqualTo(1);
        assertThat(rows.exists("analysis_results", other.result())).as("other user's result").isTrue();
        assertThat(rows.exists("prompt_history", other.history())).as("other user's prompt history").isTrue();
        assertThat(rows.count("prompts")).as("prompts are not owned by the user's requests").isEqualTo(3);
    }

    @Test
    void deletingAnalysisRequestRemovesItsResultsAndPromptHistoryOnly(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UserGraph graph = userWithEverything(rows);
        UUID keptRequest = rows.analysisRequest(graph.user());
        UUID keptResult = rows.analysisResult(keptRequest);
        UUID keptHistory = rows.promptHistory(rows.referencePrompt("formatting_analysis"), keptRequest);

        assertThat(rows.execute("DELETE FROM analysis_requests WHERE id = ?", graph.request())).isEqualTo(1);

        assertThat(rows.exists("analysis_results", graph.result())).as("result of deleted request").isFalse();
        assertThat(rows.exists("prompt_history", graph.history())).as("history of deleted request").isFalse();
        assertThat(rows.exists("analysis_results", keptResult)).as("result of other request").isTrue();
        assertThat(rows.exists("prompt_history", keptHistory)).as("history of other request").isTrue();
        assertThat(rows.exists("users", graph.user())).as("the user").isTrue();
        assertThat(rows.exists("file_uploads", graph.upload())).as("the user's upload").isTrue();
    }

    @Test
    void deletingPromptRemovesItsPromptHistory(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID request = rows.analysisRequest(rows.user());
        UUID prompt = rows.prompt(Map.of());
        UUID history = rows.promptHistory(prompt, request);

        assertThat(rows.execute("DELETE FROM prompts WHERE id = ?", prompt)).isEqualTo(1);

        assertThat(rows.exists("prompt_history", history)).isFalse();
        assertThat(rows.exists("analysis_requests", request)).as("the request stays").isTrue();
    }

    /** {@code prompts_created_by_fkey} has no ON DELETE action: a prompt's author cannot be deleted. */
    @Test
    void refusesToDeleteUserWhoCreatedAPrompt(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UserGraph author = userWithEverything(rows);
        UUID prompt = rows.prompt(Map.of("created_by", author.user()));

        assertRejected(() -> rows.execute("DELETE FROM users WHERE id = ?", author.user()), FOREIGN_KEY,
                "prompts_created_by_fkey");

        // The statement failed as a whole: nothing cascaded either.
        assertThat(rows.exists("users", author.user())).as("the author").isTrue();
        assertThat(rows.exists("prompts", prompt)).as("the prompt").isTrue();
        assertThat(rows.exists("refresh_tokens", author.token())).as("the author's token").isTrue();
        assertThat(rows.exists("analysis_results", author.result())).as("the author's result").isTrue();
    }
}
