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
     *
     * @param upload the upload the request analyses
     * @return a new builder with those fields set; {@code filePath} still to set
     * @throws ValidationException (field {@code analysisRequest.upload}) when {@code upload} is null
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

    /** {@return a new builder with no field set, for a request whose file is not a {@link FileUpload}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the user who asks} */
    public UUID userId() {
        return userId;
    }

    /** {@return the file name as uploaded} */
    public String originalFilename() {
        return originalFilename;
    }

    /** {@return where the file is stored} */
    public String filePath() {
        return filePath;
    }

    /** {@return the file's size in bytes ({@code integer} column)} */
    public int fileSizeBytes() {
        return fileSizeBytes;
    }

    /** {@return the file's MIME type} */
    public String mimeType() {
        return mimeType;
    }

    /** {@return the role the resume targets, or null} */
    public String targetRole() {
        return targetRole;
    }

    /** {@return the industry the resume targets, stored in {@code target_industry}, or null} */
    public String industry() {
        return industry;
    }

    /** {@return entry, mid, senior or executive, or null} */
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

        /**
         * Sets the user who asks.
         *
         * @param userId the user's {@code users.id}; required, and the user must exist when the request is created
         * @return this builder
         */
        public Builder userId(UUID userId) {
            this.userId = userId;
            return this;
        }

        /**
         * Sets the file name as uploaded.
         *
         * @param originalFilename the name as uploaded; required, at most 255 characters
         * @return this builder
         */
        public Builder originalFilename(String originalFilename) {
            this.originalFilename = originalFilename;
            return this;
        }

        /**
         * Sets where the file is stored.
         *
         * @param filePath the file's path in your storage; required, at most 500 characters
         * @return this builder
         */
        public Builder filePath(String filePath) {
            this.filePath = filePath;
            return this;
        }

        /**
         * Sets the file's size.
         *
         * @param fileSizeBytes size in bytes, 0 or more; required (unset is refused by {@link #build()})
         * @return this builder
         */
        public Builder fileSizeBytes(int fileSizeBytes) {
            this.fileSizeBytes = fileSizeBytes;
            return this;
        }

        /**
         * Sets the file's MIME type.
         *
         * @param mimeType the MIME type, e.g. {@code application/pdf}; required, at most 100 characters
         * @return this builder
         */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /**
         * Sets the role the resume targets.
         *
         * @param targetRole the role, at most 255 characters; null for none
         * @return this builder
         */
        public Builder targetRole(String targetRole) {
            this.targetRole = targetRole;
            return this;
        }

        /**
         * Sets the industry the resume targets.
         *
         * @param industry the industry ({@code target_industry}), at most 255 characters; null for none
         * @return this builder
         */
        public Builder industry(String industry) {
            this.industry = industry;
            return this;
        }

        /**
         * Sets the experience level.
         *
         * @param experienceLevel entry, mid, senior or executive; null for none
         * @return this builder
         */
        public Builder experienceLevel(AnalysisExperienceLevel experienceLevel) {
            this.experienceLevel = experienceLevel;
            return this;
        }

        /**
         * The input, checked.
         *
         * @return the request's input; the builder may be reused
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
