package com.airesumereview.db.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The result of an analysis ({@code analysis_results}), at most one per request in the domain.
 *
 * @param id                       database-generated id
 * @param requestId                the request it answers
 * @param overallScore             0..100, or null
 * @param formattingScore          0..100, or null
 * @param contentScore             0..100, or null
 * @param keywordOptimizationScore 0..100, or null
 * @param structureFeedback        strengths and weaknesses (each list may be null); never null itself
 * @param recommendations          appeal feedback then improvement suggestions, as written; null when the column
 *                                 is NULL; elements may be null
 * @param detailedFeedback         the JSON of {@code detailed_feedback}, or null when the column is SQL NULL
 * @param aiModelVersion           the model that produced it ({@code ai_model_used})
 * @param processingTimeSeconds    {@code processing_time_ms / 1000.0}, or null
 * @param createdAt                when the result was stored
 */
public record AnalysisResult(
        UUID id,
        UUID requestId,
        Integer overallScore,
        Integer formattingScore,
        Integer contentScore,
        Integer keywordOptimizationScore,
        StructureFeedback structureFeedback,
        List<String> recommendations,
        DetailedFeedback detailedFeedback,
        String aiModelVersion,
        Double processingTimeSeconds,
        Instant createdAt) {

    /**
     * Copies {@code recommendations} into an unmodifiable list (null elements kept).
     *
     * @param id                       database-generated id
     * @param requestId                the request it answers
     * @param overallScore             0..100, or null
     * @param formattingScore          0..100, or null
     * @param contentScore             0..100, or null
     * @param keywordOptimizationScore 0..100, or null
     * @param structureFeedback        strengths and weaknesses (each list may be null)
     * @param recommendations          appeal feedback then improvement suggestions, as written; copied; null when
     *                                 the column is NULL; elements may be null
     * @param detailedFeedback         the JSON of {@code detailed_feedback}, or null when the column is SQL NULL
     * @param aiModelVersion           the model that produced it ({@code ai_model_used})
     * @param processingTimeSeconds    {@code processing_time_ms / 1000.0}, or null
     * @param createdAt                when the result was stored
     */
    public AnalysisResult {
        recommendations = StructureFeedback.copy(recommendations);
    }
}
