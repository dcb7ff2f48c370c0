package com.airesumereview.db.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The kind of resume document an upload holds. Production has no column for it: it is derived from
 * {@code file_uploads.mime_type}, and from the original file name's extension when the MIME type is a
 * generic one such as {@code application/octet-stream}. It is never stored.
 *
 * <pre>{@code
 * FileType.derive("application/pdf", "cv.bin");                 // Optional[PDF]
 * FileType.derive("application/octet-stream", "CV.DOCX");       // Optional[DOCX]
 * FileType.derive("image/png", "cv.pdf");                       // Optional.empty(): a specific, other type
 * }</pre>
 */
public enum FileType {
    /** Portable Document Format ({@code application/pdf}, {@code .pdf}). */
    PDF("pdf", Set.of("application/pdf", "application/x-pdf")),
    /** Word 2007+ ({@code application/vnd.openxmlformats-officedocument.wordprocessingml.document}, {@code .docx}). */
    DOCX("docx", Set.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
    /** Legacy Word ({@code application/msword}, {@code .doc}). */
    DOC("doc", Set.of("application/msword")),
    /** Plain text ({@code text/plain}, {@code .txt}). */
    TXT("txt", Set.of("text/plain"));

    /** MIME types that say nothing about the content; the file name's extension decides for them. */
    private static final Set<String> GENERIC = Set.of("", "application/octet-stream", "binary/octet-stream",
            "application/binary", "application/unknown", "application/x-unknown", "application/download",
            "application/force-download");

    private final String extension;
    private final Set<String> mimeTypes;

    FileType(String extension, Set<String> mimeTypes) {
        this.extension = extension;
        this.mimeTypes = mimeTypes;
    }

    /** {@return the usual file name extension, lowercase and without the dot, e.g. {@code docx}} */
    public String extension() {
        return extension;
    }

    /**
     * The file type of an upload: from its MIME type (parameters such as {@code ; charset=utf-8} and case
     * ignored), or, when the MIME type is generic or missing, from the extension of {@code originalFilename}.
     * Empty for any other MIME type or extension; never throws, so every stored row has an answer.
     *
     * @param mimeType         the upload's MIME type ({@code file_uploads.mime_type}); null counts as generic
     * @param originalFilename the name the user uploaded; used only for a generic MIME type; null gives empty
     * @return the file type, or empty when neither names one of the four
     */
    public static Optional<FileType> derive(String mimeType, String originalFilename) {
        String mime = mimeType == null ? "" : mimeType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!GENERIC.contains(mime)) {
            for (FileType t : values()) {
                if (t.mimeTypes.contains(mime)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
        return fromExtension(originalFilename);
    }

    /**
     * The file type named by a file name's extension ({@code cv.PDF} -> PDF), case ignored.
     *
     * @param filename a file name; null is allowed
     * @return the file type, or empty when the name is null, has no extension or an unknown one
     */
    public static Optional<FileType> fromExtension(String filename) {
        if (filename == null) {
            return Optional.empty();
        }
        int dot = filename.lastIndexOf('.');
        if (dot < 0 || dot == filename.length() - 1) {
            return Optional.empty();
        }
        String ext = filename.substring(dot + 1).trim().toLowerCase(Locale.ROOT);
        for (FileType t : values()) {
            if (t.extension.equals(ext)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
