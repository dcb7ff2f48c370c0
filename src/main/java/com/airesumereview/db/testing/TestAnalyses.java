package com.airesumereview.db.testing;

import com.airesumereview.db.domain.DetailedFeedback;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.StructureFeedback;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;

/**
 * Valid analysis requests and results for tests of services that use this library. Values are unique per
 * call (random file paths); nothing is shared between calls.
 * <pre>{@code
 * AnalysisRequest request = db.analyses().create(TestAnalyses.newRequest(user.id()));
 * db.analyses().claimNextPending();
 * db.analyses().complete(request.id(), TestAnalyses.newResult());
 * }</pre>
 */
public final class TestAnalyses {
    private TestAnalyses() {
    }

    /**

     * A PDF resume request of {@code userId} (the user must exist), targeting a senior backend role.

     *

     * @param userId the requesting user (users.id)

     * @return a valid request, not yet stored

     */
    public static NewAnalysisRequest newRequest(UUID userId) {
        String key = UUID.randomUUID().toString();
        return NewAnalysisRequest.builder()
                .userId(userId).originalFilename("resume-" + key.substring(0, 8) + ".pdf")
                .filePath("uploads/" + userId + "/" + key + ".pdf").fileSizeBytes(123_456).mimeType("application/pdf")
                .targetRole("Backend Engineer").industry("Software").experienceLevel(AnalysisExperienceLevel.SENIOR)
                .build();
    }

    /** {@return a full result: every score, both structure lists, recommendations, all typed feedback keys} */
    public static NewAnalysisResult newResult() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode structure = f.objectNode().put("sections", 80).put("order", 70);
        ObjectNode appeal = f.objectNode().put("recruiter", 75);
        ObjectNode confidence = f.objectNode().put("overall", 0.9);
        return NewAnalysisResult.builder()
                .overallScore(82).formattingScore(78).contentScore(85).keywordOptimizationScore(64)
                .structureFeedback(new StructureFeedback(List.of("Clear structure", "Quantified impact"), List.of("Long summary")))
                .appealFeedback(List.of("Strong opening statement"))
                .improvementSuggestions(List.of("Add keywords from the job posting"))
                .detailedFeedback(DetailedFeedback.of(structure, appeal, confidence, "A solid senior resume", 1_234L))
                .aiModelVersion("gpt-4o-2024-08-06").processingTimeSeconds(12.345).build();
    }

    /** {@return the smallest valid result: only the AI model version} */
    public static NewAnalysisResult minimalResult() {
        return NewAnalysisResult.builder().aiModelVersion("gpt-4o-mini").build();
    }
}
