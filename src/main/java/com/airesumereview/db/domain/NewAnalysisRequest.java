package com.airesumereview.db.domain;

import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import java.util.UUID;

/**
 * What a caller supplies to create an {@link AnalysisRequest}; it starts {@code pending}.
 *
 * <p>{@code fileUploadId}, {@code errorMessage}, {@code marketTier} and {@code retryCount} come from the
 * services' domain model but have no column in production: they must be null, or
 * {@code AnalysisRepository.create} throws {@link com.airesumereview.db.UnsupportedFieldException}
 * naming the field. Use {@link #NewAnalysisRequest(UUID, String, String, long, String, String, String,
 * AnalysisExperienceLevel)} to leave them out.
 *
 * @param userId           the user who asks (required; must exist)
 * @param originalFilename at most 255 characters (required)
 * @param filePath         at most 500 characters (required)
 * @param fileSizeBytes    0 .. 2147483647 (the column is an integer)
 * @param mimeType         at most 100 characters (required)
 * @param targetRole       at most 255 characters, or null
 * @param industry         at most 255 characters, or null; stored in {@code target_industry}
 * @param experienceLevel  or null
 * @param fileUploadId     unsupported: must be null (a request points at its file by path, name, size, type)
 * @param errorMessage     unsupported: must be null (a failed request is status failed only)
 * @param marketTier       unsupported: must be null
 * @param retryCount       unsupported: must be null
 */
public record NewAnalysisRequest(
        UUID userId,
        String originalFilename,
        String filePath,
        long fileSizeBytes,
        String mimeType,
        String targetRole,
        String industry,
        AnalysisExperienceLevel experienceLevel,
        UUID fileUploadId,
        String errorMessage,
        String marketTier,
        Integer retryCount) {

    /** A request with only the fields production can store. */
    public NewAnalysisRequest(UUID userId, String originalFilename, String filePath, long fileSizeBytes,
            String mimeType, String targetRole, String industry, AnalysisExperienceLevel experienceLevel) {
        this(userId, originalFilename, filePath, fileSizeBytes, mimeType, targetRole, industry, experienceLevel,
                null, null, null, null);
    }
}
