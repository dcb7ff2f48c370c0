package com.airesumereview.db.testing;

import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.ExtractionResult;
import com.airesumereview.db.domain.NewFileUpload;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Valid inputs for {@code FileUploadRepository}, each with unique values (random stored file name and
 * content hash), for tests of services that use this library. The user must exist already.
 *
 * <pre>{@code
 * FileUpload u = db.fileUploads().create(TestUploads.pdf(userId));
 * db.fileUploads().createAll(TestUploads.many(userId, 1000));
 * }</pre>
 */
public final class TestUploads {
    private TestUploads() {
    }

    /**

     * A PDF upload ({@code application/pdf}, {@code resume.pdf}) of 48 KiB with a random hash.

     *

     * @param userId the owner (users.id)

     * @return a valid upload, not yet stored

     */
    public static NewFileUpload pdf(UUID userId) {
        return upload(userId, "resume.pdf", "application/pdf");
    }

    /**

     * A Word 2007+ upload ({@code resume.docx}).

     *

     * @param userId the owner (users.id)

     * @return a valid upload, not yet stored

     */
    public static NewFileUpload docx(UUID userId) {
        return upload(userId, "resume.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    }

    /**

     * A plain text upload ({@code resume.txt}).

     *

     * @param userId the owner (users.id)

     * @return a valid upload, not yet stored

     */
    public static NewFileUpload txt(UUID userId) {
        return upload(userId, "resume.txt", "text/plain");
    }

    /**

     * An upload of {@code originalFilename} with {@code mimeType}, a random stored name and hash.

     *

     * @param userId           the owner (users.id)

     * @param originalFilename the name the user uploaded; its extension is kept

     * @param mimeType         the MIME type to store

     * @return a valid upload, not yet stored

     */
    public static NewFileUpload upload(UUID userId, String originalFilename, String mimeType) {
        UUID stored = UUID.randomUUID();
        int dot = originalFilename.lastIndexOf('.');
        String extension = dot < 0 ? "" : originalFilename.substring(dot);
        return NewFileUpload.builder()
                .userId(userId).filename(stored + extension).originalFilename(originalFilename).mimeType(mimeType)
                .fileSize(49_152).fileHash(sha256()).build();
    }

    /**

     * Like {@link #pdf} with a given content hash (for duplicate detection tests).

     *

     * @param userId   the owner (users.id)

     * @param fileHash the content hash to store

     * @return a valid upload, not yet stored

     */
    public static NewFileUpload withHash(UUID userId, String fileHash) {
        NewFileUpload p = pdf(userId);
        return NewFileUpload.builder()
                .userId(userId).filename(p.filename()).originalFilename(p.originalFilename()).mimeType(p.mimeType())
                .fileSize(p.fileSize()).fileHash(fileHash).build();
    }

    /**

     * {@code count} PDF uploads of one user (for {@code createAll}).

     *

     * @param userId the owner (users.id)

     * @param count  how many

     * @return the uploads, each with its own hash

     */
    public static List<NewFileUpload> many(UUID userId, int count) {
        List<NewFileUpload> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(upload(userId, "resume-" + i + ".pdf", "application/pdf"));
        }
        return out;
    }

    /** {@return a random lowercase hex SHA-256 (64 characters)} */
    public static String sha256() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** {@return a typical extraction result: a short text, 412 words, pdfplumber, three sections, 950/120/780 ms} */
    public static ExtractionResult extractionResult() {
        ArrayNode sections = JsonNodeFactory.instance.arrayNode().add("experience").add("education").add("skills");
        return new ExtractionResult("Ada Lovelace\nAnalyst", ExtractionMetadata.of(412, 2630, "pdfplumber", sections),
                950, 120, 780);
    }
}
