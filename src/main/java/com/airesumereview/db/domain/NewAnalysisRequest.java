package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import java.util.Objects;
import java.util.UUID;

/**
 * What a caller supplies to create an {@link AnalysisRequest}; it starts {@code pending}. A request has no
 * column for its upload: it points at the file by path, original name, size and MIME type, so the usual way
 * in copies those from the upload:
 *
 * <pre>{@code
 * NewAnalysisRequest input = NewAnalysisRequest.forUpload(upload)     // user, name, size, type, role, industry
 *         .filePath("uploads/" + upload.userId() + "/" + upload.filename())   // where your storage keeps it
 *         .experienceLevel(AnalysisExperienceLevel.SENIOR)
 *         .build();
 * AnalysisRequest request = db.analyses().create(input);
 * }</pre>
 *
 * <p>{@link Builder#build()} checks that the user, original file name, file path and MIME type are there and
 * that the size is not negative; the repository then checks the column lengths (255, 500, 100, 255, 255
 * characters) before any SQL.
 */
public final class NewAnalysisRequest {
    private final UUID userId;
    private final String originalFilename;
    private final String filePath;
    private final int fileSizeBytes;
    private final String mimeType;
    private final String targetRole;
    private final String industry;
    private final AnalysisExperienceLevel experienceLevel;

    private NewAnalysisRequest(Builder b) {
        this.userId = b.userId;
        this.originalFilename = b.originalFilename;
        this.filePath = b.filePath;
        this.fileSizeBytes = b.fileSizeBytes;
        this.mimeType = b.mimeType;
        this.targetRole = b.targetRole;
        this.industry = b.industry;
        this.experienceLevel = b.experienceLevel;
    }

    /**
     * A builder holding what {@code file_uploads} stores about the file: its owner as {@code userId}, its
     * original file name, size and MIME type, its target role and its target industry as {@code industry}.
     * The file path is left to the caller ({@code file_uploads} stores the file's name, not where it lies),
     * and so is the experience level: the upload's vocabulary (junior, mid, senior) is not the analysis's
     * (entry, mid, senior, executive).
     */
    public static Builder forUpload(FileUpload upload) {
        Checks.required("analysisRequest.upload", upload);
        Builder b = new Builder();
        b.userId = upload.userId();
        b.originalFilename = upload.originalFilename();
        b.fileSizeBytes = upload.fileSize();
        b.mimeType = upload.mimeType();
        b.targetRole = upload.targetRole();
        b.industry = upload.targetIndustry();
        return b;
    }

    /** A builder with no field set, for a request whose file is not a {@link FileUpload}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The user who asks. */
    public UUID userId() {
        return userId;
    }

    /** The file name as uploaded. */
    public String originalFilename() {
        return originalFilename;
    }

    /** Where the file is stored. */
    public String filePath() {
        return filePath;
    }

    /** The file's size in bytes ({@code integer} column). */
    public int fileSizeBytes() {
        return fileSizeBytes;
    }

    /** The file's MIME type. */
    public String mimeType() {
        return mimeType;
    }

    /** The role the resume targets, or null. */
    public String targetRole() {
        return targetRole;
    }

    /** The industry the resume targets, stored in {@code target_industry}, or null. */
    public String industry() {
        return industry;
    }

    /** Entry, mid, senior or executive, or null. */
    public AnalysisExperienceLevel experienceLevel() {
        return experienceLevel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewAnalysisRequest r && userId.equals(r.userId)
                && originalFilename.equals(r.originalFilename) && filePath.equals(r.filePath)
                && fileSizeBytes == r.fileSizeBytes && mimeType.equals(r.mimeType)
                && Objects.equals(targetRole, r.targetRole) && Objects.equals(industry, r.industry)
                && experienceLevel == r.experienceLevel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, originalFilename, filePath, fileSizeBytes, mimeType, targetRole, industry,
                experienceLevel);
    }

    @Override
    public String toString() {
        return "NewAnalysisRequest[userId=" + userId + ", originalFilename=" + originalFilename + ", filePath="
                + filePath + ", fileSizeBytes=" + fileSizeBytes + ", mimeType=" + mimeType + ", targetRole="
                + targetRole + ", industry=" + industry + ", experienceLevel=" + experienceLevel + "]";
    }

    /** Collects the fields of a {@link NewAnalysisRequest} by name. */
    public static final class Builder {
        private UUID userId;
        private String originalFilename;
        private String filePath;
        private int fileSizeBytes = -1;
        private String mimeType;
        private String targetRole;
        private String industry;
        private AnalysisExperienceLevel experienceLevel;

        private Builder() {
        }

        /** The user who asks (required; must exist). */
        public Builder userId(UUID userId) {
            this.userId = userId;
            return this;
        }

        /** The file name as uploaded (required, at most 255 characters). */
        public Builder originalFilename(String originalFilename) {
            this.originalFilename = originalFilename;
            return this;
        }

        /** Where the file is stored (required, at most 500 characters). */
        public Builder filePath(String filePath) {
            this.filePath = filePath;
            return this;
        }

        /** The file's size in bytes (required, 0 or more). */
        public Builder fileSizeBytes(int fileSizeBytes) {
            this.fileSizeBytes = fileSizeBytes;
            return this;
        }

        /** The file's MIME type (required, at most 100 characters). */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /** The role the resume targets, at most 255 characters, or null. */
        public Builder targetRole(String targetRole) {
            this.targetRole = targetRole;
            return this;
        }

        /** The industry the resume targets, at most 255 characters, or null. */
        public Builder industry(String industry) {
            this.industry = industry;
            return this;
        }

        /** Entry, mid, senior or executive, or null. */
        public Builder experienceLevel(AnalysisExperienceLevel experienceLevel) {
            this.experienceLevel = experienceLevel;
            return this;
        }

        /**
         * The input, checked.
         *
         * @throws ValidationException naming the field ({@code analysisRequest.userId}, {@code .originalFilename},
         *                             {@code .filePath}, {@code .mimeType}, {@code .fileSizeBytes}) and the rule
         */
        public NewAnalysisRequest build() {
            Checks.required("analysisRequest.userId", userId);
            Checks.required("analysisRequest.originalFilename", originalFilename);
            Checks.required("analysisRequest.filePath", filePath);
            if (fileSizeBytes < 0) {
                throw new ValidationException("analysisRequest.fileSizeBytes",
                        "is required and must be 0 or more (bytes)", String.valueOf(fileSizeBytes));
            }
            Checks.required("analysisRequest.mimeType", mimeType);
            return new NewAnalysisRequest(this);
        }
    }
}
