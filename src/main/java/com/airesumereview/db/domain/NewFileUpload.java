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

    /** A builder with no field set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The owner ({@code users.id}). */
    public UUID userId() {
        return userId;
    }

    /** The stored file name. */
    public String filename() {
        return filename;
    }

    /** The name the user uploaded. */
    public String originalFilename() {
        return originalFilename;
    }

    /** The detected MIME type. */
    public String mimeType() {
        return mimeType;
    }

    /** Size in bytes ({@code integer} column, as {@link FileUpload#fileSize()}). */
    public int fileSize() {
        return fileSize;
    }

    /** Lowercase hex SHA-256 of the content. */
    public String fileHash() {
        return fileHash;
    }

    /** Optional target role, or null. */
    public String targetRole() {
        return targetRole;
    }

    /** Optional target industry, or null. */
    public String targetIndustry() {
        return targetIndustry;
    }

    /** Optional experience level (junior, mid, senior; not the analysis vocabulary), or null. */
    public UploadExperienceLevel experienceLevel() {
        return experienceLevel;
    }

    /** The file type derived from {@link #mimeType()} and {@link #originalFilename()}; see {@link FileType#derive}. */
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

        /** The owner (required; must exist). */
        public Builder userId(UUID userId) {
            this.userId = userId;
            return this;
        }

        /** The stored file name (required, 1..255 characters). */
        public Builder filename(String filename) {
            this.filename = filename;
            return this;
        }

        /** The name the user uploaded (required, 1..255 characters; decides the file type for a generic MIME type). */
        public Builder originalFilename(String originalFilename) {
            this.originalFilename = originalFilename;
            return this;
        }

        /** The detected MIME type (required, 1..100 characters). */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /** Size in bytes (required, at least 1). */
        public Builder fileSize(int fileSize) {
            this.fileSize = fileSize;
            return this;
        }

        /** Lowercase hex SHA-256 of the content (required, 64 characters). */
        public Builder fileHash(String fileHash) {
            this.fileHash = fileHash;
            return this;
        }

        /** Optional target role, at most 255 characters. */
        public Builder targetRole(String targetRole) {
            this.targetRole = targetRole;
            return this;
        }

        /** Optional target industry, at most 255 characters. */
        public Builder targetIndustry(String targetIndustry) {
            this.targetIndustry = targetIndustry;
            return this;
        }

        /** Optional experience level (junior, mid, senior). */
        public Builder experienceLevel(UploadExperienceLevel experienceLevel) {
            this.experienceLevel = experienceLevel;
            return this;
        }

        /**
         * The input, checked.
         *
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
