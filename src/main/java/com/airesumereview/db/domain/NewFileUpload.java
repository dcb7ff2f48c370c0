package com.airesumereview.db.domain;

import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import java.util.UUID;

/**
 * A file upload to create. The repository stores it with status {@code pending} and progress 0; the
 * database assigns id and timestamps. Every field is checked before any SQL runs.
 *
 * @param userId           the owner; must exist ({@code users.id})
 * @param filename         the stored file name, 1..255 characters
 * @param originalFilename the name the user uploaded, 1..255 characters (also decides the
 *                         {@link FileType} when the MIME type is generic)
 * @param mimeType         the detected MIME type, 1..100 characters
 * @param fileSize         size in bytes, 1..2147483647 ({@code integer} column)
 * @param fileHash         lowercase hex SHA-256 of the content (64 characters)
 * @param targetRole       optional target role, at most 255 characters
 * @param targetIndustry   optional target industry, at most 255 characters
 * @param experienceLevel  optional experience level (junior, mid, senior); not the analysis vocabulary
 */
public record NewFileUpload(UUID userId, String filename, String originalFilename, String mimeType, long fileSize,
                            String fileHash, String targetRole, String targetIndustry,
                            UploadExperienceLevel experienceLevel) {
    /** An upload without target role, industry or experience level. */
    public static NewFileUpload of(UUID userId, String filename, String originalFilename, String mimeType,
                                   long fileSize, String fileHash) {
        return new NewFileUpload(userId, filename, originalFilename, mimeType, fileSize, fileHash, null, null, null);
    }

    /** The file type derived from {@link #mimeType()} and {@link #originalFilename()}; see {@link FileType#derive}. */
    public java.util.Optional<FileType> fileType() {
        return FileType.derive(mimeType, originalFilename);
    }
}
