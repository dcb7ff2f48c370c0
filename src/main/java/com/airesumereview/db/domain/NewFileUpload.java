package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * A file upload to create, built by name. The repository stores it with status {@code pending} and
 * progress 0; the database assigns id and timestamps.
 *
 * <pre>{@code
 * FileUpload upload = db.fileUploads().create(NewFileUpload.builder()
 *         .userId(user.id())
 *         .filename(storedName)                 // the name your storage gave it
 *         .originalFilename("Ada CV.pdf")       // the name the user uploaded
 *         .mimeType("application/pdf")
 *         .fileSize(bytes.length)
 *         .fileHash(sha256Hex)                  // lowercase hex SHA-256 of the content
 *         .build());
 * }</pre>
 *
 * <p>{@link Builder#build()} checks that the user, both names, the MIME type and the hash are there and that
 * the size is at least 1; the repository then checks lengths (255, 255, 100 characters; the optional texts
 * 255) and the hash's form (64 lowercase hex characters) before any SQL.
 */
public final class NewFileUpload {
    private final UUID userId;
    private final String filename;
    private final String originalFilename;
    private final String mimeType;
    private final int fileSize;
    private final String fileHash;
    private final String targetRole;
    private final String targetIndustry;
    private final UploadExperienceLevel experienceLevel;

    private NewFileUpload(Builder b) {
        this.userId = b.userId;
        this.filename = b.filename;
        this.originalFilename = b.originalFilename;
        this.mimeType = b.mimeType;
        this.fileSize = b.fileSize;
        this.fileHash = b.fileHash;
        this.targetRole = b.targetRole;
        this.targetIndustry = b.targetIndustry;
        this.experienceLevel = b.experienceLevel;
    }

    /** {@return a new builder with no field set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the owner ({@code users.id})} */
    public UUID userId() {
        return userId;
    }

    /** {@return the stored file name} */
    public String filename() {
        return filename;
    }

    /** {@return the name the user uploaded} */
    public String originalFilename() {
        return originalFilename;
    }

    /** {@return the detected MIME type} */
    public String mimeType() {
        return mimeType;
    }

    /** {@return size in bytes ({@code integer} column, as {@link FileUpload#fileSize()})} */
    public int fileSize() {
        return fileSize;
    }

    /** {@return lowercase hex SHA-256 of the content} */
    public String fileHash() {
        return fileHash;
    }

    /** {@return optional target role, or null} */
    public String targetRole() {
        return targetRole;
    }

    /** {@return optional target industry, or null} */
    public String targetIndustry() {
        return targetIndustry;
    }

    /** {@return optional experience level (junior, mid, senior; not the analysis vocabulary), or null} */
    public UploadExperienceLevel experienceLevel() {
        return experienceLevel;
    }

    /**
     * The file type derived from {@link #mimeType()} and {@link #originalFilename()}; see {@link FileType#derive}.
     *
     * @return the file type, or empty when it is none of {@link FileType}'s
     */
    public Optional<FileType> fileType() {
        return FileType.derive(mimeType, originalFilename);
    }

    private Object[] fields() {
        return new Object[] {userId, filename, originalFilename, mimeType, fileSize, fileHash, targetRole,
                targetIndustry, experienceLevel};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewFileUpload u && Arrays.equals(fields(), u.fields());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fields());
    }

    @Override
    public String toString() {
        return "NewFileUpload[userId=" + userId + ", filename=" + filename + ", originalFilename=" + originalFilename
                + ", mimeType=" + mimeType + ", fileSize=" + fileSize + ", fileHash=" + fileHash + ", targetRole="
                + targetRole + ", targetIndustry=" + targetIndustry + ", experienceLevel=" + experienceLevel + "]";
    }

    /** Collects the fields of a {@link NewFileUpload} by name. */
    public static final class Builder {
        private UUID userId;
        private String filename;
        private String originalFilename;
        private String mimeType;
        private int fileSize;
        private String fileHash;
        private String targetRole;
        private String targetIndustry;
        private UploadExperienceLevel experienceLevel;

        private Builder() {
        }

        /**
         * Sets the owner.
         *
         * @param userId the owner's {@code users.id}; required, and the user must exist when the upload is created
         * @return this builder
         */
        public Builder userId(UUID userId) {
            this.userId = userId;
            return this;
        }

        /**
         * Sets the stored file name.
         *
         * @param filename the name your storage gave the file; required, 1..255 characters
         * @return this builder
         */
        public Builder filename(String filename) {
            this.filename = filename;
            return this;
        }

        /**
         * Sets the name the user uploaded; it decides the file type for a generic MIME type.
         *
         * @param originalFilename the name the user uploaded; required, 1..255 characters
         * @return this builder
         */
        public Builder originalFilename(String originalFilename) {
            this.originalFilename = originalFilename;
            return this;
        }

        /**
         * Sets the detected MIME type.
         *
         * @param mimeType the MIME type, e.g. {@code application/pdf}; required, 1..100 characters
         * @return this builder
         */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /**
         * Sets the size.
         *
         * @param fileSize size in bytes; at least 1 (the default 0 is refused by {@link #build()})
         * @return this builder
         */
        public Builder fileSize(int fileSize) {
            this.fileSize = fileSize;
            return this;
        }

        /**
         * Sets the content hash.
         *
         * @param fileHash lowercase hex SHA-256 of the content; required, 64 characters
         * @return this builder
         */
        public Builder fileHash(String fileHash) {
            this.fileHash = fileHash;
            return this;
        }

        /**
         * Sets the optional target role.
         *
         * @param targetRole the role the resume aims at, at most 255 characters; null for none
         * @return this builder
         */
        public Builder targetRole(String targetRole) {
            this.targetRole = targetRole;
            return this;
        }

        /**
         * Sets the optional target industry.
         *
         * @param targetIndustry the industry the resume aims at, at most 255 characters; null for none
         * @return this builder
         */
        public Builder targetIndustry(String targetIndustry) {
            this.targetIndustry = targetIndustry;
            return this;
        }

        /**
         * Sets the optional experience level.
         *
         * @param experienceLevel junior, mid or senior; null for none
         * @return this builder
         */
        public Builder experienceLevel(UploadExperienceLevel experienceLevel) {
            this.experienceLevel = experienceLevel;
            return this;
        }

        /**
         * The input, checked.
         *
         * @return the new upload's input; the builder may be reused
         * @throws ValidationException naming the field ({@code fileUpload.userId}, {@code .filename},
         *                             {@code .originalFilename}, {@code .mimeType}, {@code .fileSize},
         *                             {@code .fileHash}) and the rule
         */
        public NewFileUpload build() {
            Checks.required("fileUpload.userId", userId);
            Checks.required("fileUpload.filename", filename);
            Checks.required("fileUpload.originalFilename", originalFilename);
            Checks.required("fileUpload.mimeType", mimeType);
            if (fileSize < 1) {
                throw new ValidationException("fileUpload.fileSize", "is required and must be at least 1 (bytes)",
                        String.valueOf(fileSize));
            }
            Checks.required("fileUpload.fileHash", fileHash);
            return new NewFileUpload(this);
        }
    }
}
