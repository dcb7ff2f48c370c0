package com.airesumereview.db.domain;

import com.airesumereview.db.UnsupportedFieldException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A resume upload and its processing pipeline, one row of {@code file_uploads}. See field-mapping.csv for
 * how each component maps onto a column.
 *
 * <p>The status only moves forward: {@code pending -> validating -> extracting -> completed}, and to
 * {@code error} from any of the first three ({@link #nextStatuses}). {@code completed} and {@code error}
 * are final.
 *
 * <p>Every component that is nullable in production is nullable here (e.g. {@code progress}); the
 * not-null ones are never null. Timestamps stored as {@code infinity} / {@code -infinity} read as
 * {@link Instant#MAX} / {@link Instant#MIN}.
 *
 * @param id                 primary key, assigned by the database
 * @param userId             the owner
 * @param filename           the stored file name
 * @param originalFilename   the name the user uploaded
 * @param mimeType           the detected MIME type (any text production holds)
 * @param fileSize           size in bytes
 * @param fileHash           SHA-256 hex of the content (as stored; production does not enforce the format)
 * @param status             the pipeline state
 * @param progress           0..100; nullable in production
 * @param errorMessage       why processing failed; null unless it did
 * @param targetRole         optional target role
 * @param targetIndustry     optional target industry
 * @param experienceLevel    optional experience level (junior, mid, senior)
 * @param extractedText      the extracted text; null before extraction
 * @param extractionMetadata split across four columns; {@link ExtractionMetadata#EMPTY} when all are NULL;
 *                           never null
 * @param processingTimeMs   total processing time in ms ({@code processing_time})
 * @param validationTimeMs   validation time in ms ({@code validation_time})
 * @param extractionTimeMs   extraction time in ms ({@code extraction_time})
 * @param uploadStartedAt    when the row was created ({@code created_at})
 * @param updatedAt          last change, maintained by a trigger
 * @param uploadCompletedAt  when processing completed ({@code completed_at}); null until then
 */
public record FileUpload(UUID id, UUID userId, String filename, String originalFilename, String mimeType,
                         int fileSize, String fileHash, UploadStatus status, Integer progress, String errorMessage,
                         String targetRole, String targetIndustry, UploadExperienceLevel experienceLevel,
                         String extractedText, ExtractionMetadata extractionMetadata, Integer processingTimeMs,
                         Integer validationTimeMs, Integer extractionTimeMs, Instant uploadStartedAt,
                         Instant updatedAt, Instant uploadCompletedAt) {

    /**
     * Checks the not-null components; a null {@code extractionMetadata} becomes {@link ExtractionMetadata#EMPTY}.
     * Nothing else is checked: the record holds any row production may hold.
     *
     * @param id                 primary key; null is refused with {@link NullPointerException}
     * @param userId             the owner; null is refused with {@link NullPointerException}
     * @param filename           the stored file name
     * @param originalFilename   the name the user uploaded
     * @param mimeType           the detected MIME type
     * @param fileSize           size in bytes
     * @param fileHash           SHA-256 hex of the content, as stored
     * @param status             the pipeline state; null is refused with {@link NullPointerException}
     * @param progress           0..100, or null
     * @param errorMessage       why processing failed, or null
     * @param targetRole         target role, or null
     * @param targetIndustry     target industry, or null
     * @param experienceLevel    experience level, or null
     * @param extractedText      the extracted text, or null
     * @param extractionMetadata the metadata, or null for {@link ExtractionMetadata#EMPTY}
     * @param processingTimeMs   total processing time in milliseconds, or null
     * @param validationTimeMs   validation time in milliseconds, or null
     * @param extractionTimeMs   extraction time in milliseconds, or null
     * @param uploadStartedAt    when the row was created
     * @param updatedAt          last change
     * @param uploadCompletedAt  when processing completed, or null
     */
    public FileUpload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        extractionMetadata = extractionMetadata == null ? ExtractionMetadata.EMPTY : extractionMetadata;
    }

    /**
     * The file type, derived from {@link #mimeType()} and, for a generic MIME type, from the extension of
     * {@link #originalFilename()}; empty for other types. Never stored.
     *
     * @return the file type, or empty when it is none of {@link FileType}'s
     */
    public Optional<FileType> fileType() {
        return FileType.derive(mimeType, originalFilename);
    }

    /** {@return true when the status is final ({@code completed} or {@code error})} */
    public boolean isFinished() {
        return isFinal(status);
    }

    /**
     * True for {@code completed} and {@code error}: no transition leaves them.
     *
     * @param status a status; null gives false
     * @return true when {@code status} is final
     */
    public static boolean isFinal(UploadStatus status) {
        return status == UploadStatus.COMPLETED || status == UploadStatus.ERROR;
    }

    /**
     * The statuses an upload in {@code from} may move to (empty for the final ones).
     *
     * @param from the current status; null is refused with {@link NullPointerException}
     * @return a new mutable set; empty for {@code completed} and {@code error}
     */
    public static Set<UploadStatus> nextStatuses(UploadStatus from) {
        return switch (Objects.requireNonNull(from, "from")) {
            case PENDING -> EnumSet.of(UploadStatus.VALIDATING, UploadStatus.ERROR);
            case VALIDATING -> EnumSet.of(UploadStatus.EXTRACTING, UploadStatus.ERROR);
            case EXTRACTING -> EnumSet.of(UploadStatus.COMPLETED, UploadStatus.ERROR);
            case COMPLETED, ERROR -> EnumSet.noneOf(UploadStatus.class);
        };
    }

    /**
     * Maps a domain status string (case-insensitive, blanks around it ignored) to the production vocabulary.
     *
     * @param value a status name such as {@code "pending"}
     * @return the matching status
     * @throws UnsupportedFieldException (field {@code fileUpload.status}) for the domain's {@code uploading}
     *                                   and {@code cancelled}, which production cannot hold
     * @throws ValidationException       (field {@code fileUpload.status}) for null or any other unknown value
     */
    public static UploadStatus parseStatus(String value) {
        if (value == null) {
            throw new ValidationException("fileUpload.status", "is required", "null");
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("uploading") || v.equals("cancelled")) {
            throw new UnsupportedFieldException("fileUpload.status",
                    "status " + v + " does not exist in production (only pending, validating, extracting, completed, error)",
                    "'" + value + "'");
        }
        for (UploadStatus s : UploadStatus.values()) {
            if (s.literal().equals(v)) {
                return s;
            }
        }
        throw new ValidationException("fileUpload.status",
                "must be one of pending, validating, extracting, completed, error",
                "'" + (value.length() > 60 ? value.substring(0, 60) + "..." : value) + "'");
    }

    /** Like the record's, but the extracted text (a whole resume) is shown by its length only. */
    @Override
    public String toString() {
        return "FileUpload[id=" + id + ", userId=" + userId + ", filename=" + filename + ", originalFilename="
                + originalFilename + ", mimeType=" + mimeType + ", fileSize=" + fileSize + ", fileHash=" + fileHash
                + ", status=" + status + ", progress=" + progress + ", errorMessage=" + errorMessage
                + ", targetRole=" + targetRole + ", targetIndustry=" + targetIndustry + ", experienceLevel="
                + experienceLevel + ", extractedText=" + (extractedText == null ? "null" : "(" + extractedText.length()
                + " characters)") + ", extractionMetadata=" + extractionMetadata + ", processingTimeMs="
                + processingTimeMs + ", validationTimeMs=" + validationTimeMs + ", extractionTimeMs=" + extractionTimeMs
                + ", uploadStartedAt=" + uploadStartedAt + ", updatedAt=" + updatedAt + ", uploadCompletedAt="
                + uploadCompletedAt + "]";
    }
}
