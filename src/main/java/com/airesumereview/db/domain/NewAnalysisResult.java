package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import java.util.List;
import java.util.Objects;

/**
 * What a worker supplies to complete a request ({@code AnalysisRepository.complete}), built by name so that
 * no two scores or lists can be swapped:
 *
 * <pre>{@code
 * NewAnalysisResult result = NewAnalysisResult.builder()
 *         .aiModelVersion("gpt-4o-2024-08-06")              // the only required field
 *         .overallScore(82).formattingScore(78).contentScore(85).keywordOptimizationScore(64)
 *         .strengths(List.of("Clear structure")).weaknesses(List.of("Summary too long"))
 *         .improvementSuggestions(List.of("Add keywords from the job posting"))
 *         .processingTimeSeconds(12.3)
 *         .build();
 * db.analyses().complete(request.id(), result);
 * }</pre>
 *
 * <p>Production splits the domain's fields over the columns of {@code analysis_results}: strengths and
 * weaknesses into their two arrays; appeal feedback and improvement suggestions both into
 * {@code recommendations}, appeal feedback first (they read back as one list,
 * {@link AnalysisResult#recommendations()}; when both are unset the column is NULL); the typed keys of
 * {@link DetailedFeedback} into {@code detailed_feedback}; the time as whole milliseconds. Unset fields are
 * NULL. {@link Builder#build()} checks the model version is there and the scores are 0..100; the repository
 * checks the rest (lengths, storable text and JSON, the time's range) before any SQL.
 */
public final class NewAnalysisResult {
    private final Integer overallScore;
    private final Integer formattingScore;
    private final Integer contentScore;
    private final Integer keywordOptimizationScore;
    private final StructureFeedback structureFeedback;
    private final List<String> appealFeedback;
    private final List<String> improvementSuggestions;
    private final DetailedFeedback detailedFeedback;
    private final String aiModelVersion;
    private final Double processingTimeSeconds;

    private NewAnalysisResult(Builder b) {
        this.overallScore = b.overallScore;
        this.formattingScore = b.formattingScore;
        this.contentScore = b.contentScore;
        this.keywordOptimizationScore = b.keywordOptimizationScore;
        this.structureFeedback = b.strengths == null && b.weaknesses == null ? null
                : new StructureFeedback(b.strengths, b.weaknesses);
        this.appealFeedback = StructureFeedback.copy(b.appealFeedback);
        this.improvementSuggestions = StructureFeedback.copy(b.improvementSuggestions);
        this.detailedFeedback = b.detailedFeedback;
        this.aiModelVersion = b.aiModelVersion;
        this.processingTimeSeconds = b.processingTimeSeconds;
    }

    /** {@return a new builder with no field set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the overall score, 0..100, or null} */
    public Integer overallScore() {
        return overallScore;
    }

    /** {@return the formatting score, 0..100, or null} */
    public Integer formattingScore() {
        return formattingScore;
    }

    /** {@return the content score, 0..100, or null} */
    public Integer contentScore() {
        return contentScore;
    }

    /** {@return the keyword optimization score, 0..100, or null} */
    public Integer keywordOptimizationScore() {
        return keywordOptimizationScore;
    }

    /** {@return strengths and weaknesses, or null when neither was set (both columns NULL)} */
    public StructureFeedback structureFeedback() {
        return structureFeedback;
    }

    /** {@return the first part of {@code recommendations}, or null} */
    public List<String> appealFeedback() {
        return appealFeedback;
    }

    /** {@return the second part of {@code recommendations}, or null} */
    public List<String> improvementSuggestions() {
        return improvementSuggestions;
    }

    /** {@return the JSON for {@code detailed_feedback}, or null} */
    public DetailedFeedback detailedFeedback() {
        return detailedFeedback;
    }

    /** {@return the model that produced the result ({@code ai_model_used})} */
    public String aiModelVersion() {
        return aiModelVersion;
    }

    /** {@return processing time in seconds (stored as whole milliseconds), or null} */
    public Double processingTimeSeconds() {
        return processingTimeSeconds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewAnalysisResult r && Objects.equals(overallScore, r.overallScore)
                && Objects.equals(formattingScore, r.formattingScore) && Objects.equals(contentScore, r.contentScore)
                && Objects.equals(keywordOptimizationScore, r.keywordOptimizationScore)
                && Objects.equals(structureFeedback, r.structureFeedback)
                && Objects.equals(appealFeedback, r.appealFeedback)
                && Objects.equals(improvementSuggestions, r.improvementSuggestions)
                && Objects.equals(detailedFeedback, r.detailedFeedback) && aiModelVersion.equals(r.aiModelVersion)
                && Objects.equals(processingTimeSeconds, r.processingTimeSeconds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(overallScore, formattingScore, contentScore, keywordOptimizationScore, structureFeedback,
                appealFeedback, improvementSuggestions, detailedFeedback, aiModelVersion, processingTimeSeconds);
    }

    @Override
    public String toString() {
        return "NewAnalysisResult[overallScore=" + overallScore + ", formattingScore=" + formattingScore
                + ", contentScore=" + contentScore + ", keywordOptimizationScore=" + keywordOptimizationScore
                + ", structureFeedback=" + structureFeedback + ", appealFeedback=" + appealFeedback
                + ", improvementSuggestions=" + improvementSuggestions + ", detailedFeedback=" + detailedFeedback
                + ", aiModelVersion=" + aiModelVersion + ", processingTimeSeconds=" + processingTimeSeconds + "]";
    }

    /** Collects the fields of a {@link NewAnalysisResult} by name; only the model version is required. */
    public static final class Builder {
        private Integer overallScore;
        private Integer formattingScore;
        private Integer contentScore;
        private Integer keywordOptimizationScore;
        private List<String> strengths;
        private List<String> weaknesses;
        private List<String> appealFeedback;
        private List<String> improvementSuggestions;
        private DetailedFeedback detailedFeedback;
        private String aiModelVersion;
        private Double processingTimeSeconds;

        private Builder() {
        }

        /**
         * Sets the overall score.
         *
         * @param score 0..100 (checked by {@link #build()}), or null (the default)
         * @return this builder
         */
        public Builder overallScore(Integer score) {
            this.overallScore = score;
            return this;
        }

        /**
         * Sets the formatting score.
         *
         * @param score 0..100 (checked by {@link #build()}), or null (the default)
         * @return this builder
         */
        public Builder formattingScore(Integer score) {
            this.formattingScore = score;
            return this;
        }

        /**
         * Sets the content score.
         *
         * @param score 0..100 (checked by {@link #build()}), or null (the default)
         * @return this builder
         */
        public Builder contentScore(Integer score) {
            this.contentScore = score;
            return this;
        }

        /**
         * Sets the keyword optimization score.
         *
         * @param score 0..100 (checked by {@link #build()}), or null (the default)
         * @return this builder
         */
        public Builder keywordOptimizationScore(Integer score) {
            this.keywordOptimizationScore = score;
            return this;
        }

        /**
         * Sets what the resume does well ({@code strengths}).
         *
         * @param strengths the list (copied by {@link #build()}; elements may be null), or null
         * @return this builder
         */
        public Builder strengths(List<String> strengths) {
            this.strengths = strengths;
            return this;
        }

        /**
         * Sets what the resume should improve ({@code weaknesses}).
         *
         * @param weaknesses the list (copied by {@link #build()}; elements may be null), or null
         * @return this builder
         */
        public Builder weaknesses(List<String> weaknesses) {
            this.weaknesses = weaknesses;
            return this;
        }

        /**
         * Sets both structure lists at once (a result read back hands them out this way).
         *
         * @param feedback both lists, or null to unset both
         * @return this builder
         */
        public Builder structureFeedback(StructureFeedback feedback) {
            this.strengths = feedback == null ? null : feedback.strengths();
            this.weaknesses = feedback == null ? null : feedback.weaknesses();
            return this;
        }

        /**
         * Sets the first part of {@code recommendations}.
         *
         * @param appealFeedback the list (copied by {@link #build()}; elements may be null), or null
         * @return this builder
         */
        public Builder appealFeedback(List<String> appealFeedback) {
            this.appealFeedback = appealFeedback;
            return this;
        }

        /**
         * Sets the second part of {@code recommendations}.
         *
         * @param improvementSuggestions the list (copied by {@link #build()}; elements may be null), or null
         * @return this builder
         */
        public Builder improvementSuggestions(List<String> improvementSuggestions) {
            this.improvementSuggestions = improvementSuggestions;
            return this;
        }

        /**
         * Sets the JSON for {@code detailed_feedback}.
         *
         * @param detailedFeedback the feedback, or null for SQL NULL
         * @return this builder
         */
        public Builder detailedFeedback(DetailedFeedback detailedFeedback) {
            this.detailedFeedback = detailedFeedback;
            return this;
        }

        /**
         * Sets the model that produced the result ({@code ai_model_used}).
         *
         * @param aiModelVersion the model, e.g. {@code gpt-4o-2024-08-06}; required, at most 100 characters
         * @return this builder
         */
        public Builder aiModelVersion(String aiModelVersion) {
            this.aiModelVersion = aiModelVersion;
            return this;
        }

        /**
         * Sets the processing time.
         *
         * @param seconds finite, 0 or more, at most 2147483.647 (stored as whole milliseconds), or null
         * @return this builder
         */
        public Builder processingTimeSeconds(Double seconds) {
            this.processingTimeSeconds = seconds;
            return this;
        }

        /**
         * The input, checked.
         *
         * @return the result's input; the builder may be reused
         * @throws ValidationException naming the field ({@code analysisResult.aiModelVersion} when missing,
         *                             {@code analysisResult.overallScore} etc. when out of 0..100) and the rule
         */
        public NewAnalysisResult build() {
            Checks.required("analysisResult.aiModelVersion", aiModelVersion);
            Checks.score("analysisResult.overallScore", overallScore);
            Checks.score("analysisResult.formattingScore", formattingScore);
            Checks.score("analysisResult.contentScore", contentScore);
            Checks.score("analysisResult.keywordOptimizationScore", keywordOptimizationScore);
            return new NewAnalysisResult(this);
        }
    }
}
