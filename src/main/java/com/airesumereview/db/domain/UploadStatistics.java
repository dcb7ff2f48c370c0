package com.airesumereview.db.domain;

import java.math.BigDecimal;

/**
 * Counts over uploads as production's function {@code get_upload_statistics(user_id)} reports them.
 *
 * @param totalUploads         all uploads
 * @param completedUploads     status completed
 * @param failedUploads        status error
 * @param pendingUploads       status pending, validating or extracting (still in the pipeline)
 * @param avgProcessingTimeMs  average {@code processing_time} in ms, rounded to 2 decimals; null when no
 *                             upload has one
 * @param totalFileSizeMb      sum of file sizes in MiB (bytes / 1048576), rounded to 2 decimals; null when
 *                             there are no uploads
 */
public record UploadStatistics(long totalUploads, long completedUploads, long failedUploads, long pendingUploads,
                               BigDecimal avgProcessingTimeMs, BigDecimal totalFileSizeMb) {
}
