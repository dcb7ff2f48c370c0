package com.airesumereview.db.domain;

import java.util.List;

/**
 * What a worker supplies to complete a request ({@code AnalysisRepository.complete}).
 *
 * <p>{@code appealFeedback} and {@code improvementSuggestions} are both written into
 * {@code analysis_results.recommendations}, appeal feedback first; they read back as one list,
 * {@link AnalysisResult#recommendations()}. When both are null the column is NULL.
 * {@code marketTier} has no column: it must be null.
 *
 * @param overallScore             0..100, or null
 * @param formattingScore          0..100, or null
 * @param contentScore             0..100, or null
 * @param keywordOptimizationScore 0..100, or null
 * @param structureFeedback        strengths and weaknesses, or null for both columns NULL
 * @param appealFeedback           first part of recommendations, or null
 * @param improvementSuggestions   second part of recommendations, or null
 * @param detailedFeedback         the JSON for {@code detailed_feedback}, or null
 * @param aiModelVersion           required, at most 100 characters ({@code ai_model_used})
 * @param processingTimeSeconds    finite, &gt;= 0, at most 2147483.647 (stored as whole milliseconds), or null
 * @param marketTier               unsupported: must be null
 */
public record NewAnalysisResult(
        Integer overallScore,
        Integer formattingScore,
        Integer contentScore,
        Integer keywordOptimizationScore,
        StructureFeedback structureFeedback,
        List<String> appealFeedback,
        List<String> improvementSuggestions,
        DetailedFeedback detailedFeedback,
        String aiModelVersion,
        Double processingTimeSeconds,
        String marketTier) {

    /** Copies the lists (null elements kept). */
    public NewAnalysisResult {
        appealFeedback = StructureFeedback.copy(appealFeedback);
        improvementSuggestions = StructureFeedback.copy(improvementSuggestions);
    }

    /** A result with only the fields production can store. */
    public NewAnalysisResult(Integer overallScore, Integer formattingScore, Integer contentScore,
            Integer keywordOptimizationScore, StructureFeedback structureFeedback, List<String> appealFeedback,
            List<String> improvementSuggestions, DetailedFeedback detailedFeedback, String aiModelVersion,
            Double processingTimeSeconds) {
        this(overallScore, formattingScore, contentScore, keywordOptimizationScore, structureFeedback, appealFeedback,
                improvementSuggestions, detailedFeedback, aiModelVersion, processingTimeSeconds, null);
    }
}
