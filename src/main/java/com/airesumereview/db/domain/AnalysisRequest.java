package com.airesumereview.db.domain;

import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A request to analyse a resume: the job a worker claims ({@code analysis_requests}). Its result, when
 * there is one, is an {@link AnalysisResult}; {@link ResumeAnalysis} holds both.
 *
 * @param id               database-generated id
 * @param userId           the user who asked
 * @param status           pending, processing, completed or failed
 * @param originalFilename the file name as uploaded
 * @param filePath         where the file is stored; how a request points at its file
 * @param fileSizeBytes    file size in bytes (production has no CHECK on it)
 * @param mimeType         the file's mime type
 * @param targetRole       the role the resume targets, or null
 * @param industry         the industry the resume targets ({@code target_industry}), or null
 * @param experienceLevel  entry, mid, senior or executive, or null
 * @param createdAt        when the request was created
 * @param updatedAt        last change (maintained by a trigger)
 * @param completedAt      when it completed, or null
 */
public record AnalysisRequest(
        UUID id,
        UUID userId,
        AnalysisStatus status,
        String originalFilename,
        String filePath,
        int fileSizeBytes,
        String mimeType,
        String targetRole,
        String industry,
        AnalysisExperienceLevel experienceLevel,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt) {
}
