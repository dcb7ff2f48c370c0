package com.airesumereview.examples.cvservice;

import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** POST /users/{id}/uploads (a resume file), POST /users/{id}/analyses (an analysis of an upload). */
@RestController
public class ResumeController {
    private final ResumeReviewDb db;

    public ResumeController(ResumeReviewDb db) {
        this.db = db;
    }

    public record AnalysisOrder(UUID uploadId, String targetRole, String industry, String experienceLevel) {
    }

    /** Records the upload (storing the bytes is the storage service's job, not this example's). */
    @PostMapping(path = "/users/{userId}/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<Map<String, Object>> upload(@PathVariable UUID userId, @RequestParam MultipartFile file)
            throws IOException {
        String original = file.getOriginalFilename() == null ? "resume" : file.getOriginalFilename();
        FileUpload upload = db.fileUploads().create(NewFileUpload.builder()
                .userId(userId).filename(UUID.randomUUID() + "-" + original).originalFilename(original)
                .mimeType(file.getContentType()).fileSize(file.getSize()).fileHash(sha256(file.getBytes())).build());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("id", upload.id(), "status", upload.status().literal()));
    }

    @PostMapping("/users/{userId}/analyses")
    public ResponseEntity<Map<String, Object>> requestAnalysis(@PathVariable UUID userId,
                                                               @RequestBody AnalysisOrder order) {
        FileUpload upload = db.fileUploads().findById(order.uploadId())
                .filter(u -> u.userId().equals(userId))
                .orElseThrow(() -> new NotFoundException("file upload", String.valueOf(order.uploadId())));
        AnalysisRequest request = db.analyses().create(NewAnalysisRequest.builder()
                .userId(userId).originalFilename(upload.originalFilename()).filePath(upload.filename())
                .fileSizeBytes(upload.fileSize()).mimeType(upload.mimeType()).targetRole(order.targetRole())
                .industry(order.industry())
                .experienceLevel(AnalysisExperienceLevel.fromLiteral(order.experienceLevel())).build());   // production links by file path
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(Map.of("id", request.id(), "status", request.status().literal()));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
