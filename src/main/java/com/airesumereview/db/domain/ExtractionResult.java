package com.airesumereview.db.domain;

/**
 * What the pipeline hands over when text extraction finished: stored by
 * {@code FileUploadRepository.complete(id, result)}, which also sets status completed, progress 100 and
 * {@code completed_at}.
 *
 * @param extractedText      the extracted text; null when the extractor produced none
 * @param metadata           the extraction metadata; null means {@link ExtractionMetadata#EMPTY}
 * @param processingTimeMs   total processing time in milliseconds, 0..2147483647 ({@code processing_time})
 * @param validationTimeMs   validation time in milliseconds, 0..2147483647 ({@code validation_time})
 * @param extractionTimeMs   extraction time in milliseconds, 0..2147483647 ({@code extraction_time})
 */
public record ExtractionResult(String extractedText, ExtractionMetadata metadata, int processingTimeMs,
                               int validationTimeMs, int extractionTimeMs) {
    /**
     * Replaces a null {@code metadata} with {@link ExtractionMetadata#EMPTY}; the times are not checked here.
     *
     * @param extractedText    the extracted text, or null
     * @param metadata         the extraction metadata, or null for {@link ExtractionMetadata#EMPTY}
     * @param processingTimeMs total processing time in milliseconds
     * @param validationTimeMs validation time in milliseconds
     * @param extractionTimeMs extraction time in milliseconds
     */
    public ExtractionResult {
        metadata = metadata == null ? ExtractionMetadata.EMPTY : metadata;
    }
}
