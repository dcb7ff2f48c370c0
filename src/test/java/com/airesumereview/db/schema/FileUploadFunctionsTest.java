package com.airesumereview.db.schema;

import static com.airesumereview.db.schema.SchemaRows.ago;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** cleanup_old_file_uploads() and get_upload_statistics(uuid). Uploads are named by original_filename. */
@ExtendWith(SnapshotDatabaseExtension.class)
class FileUploadFunctionsTest {
    private static final String STATISTICS_COLUMNS = "total_uploads, completed_uploads, failed_uploads, "
            + "pending_uploads, avg_processing_time_ms, total_file_size_mb";

    @Test
    void cleanupDeletesOldCompletedFailedAndStuckUploadsAndReturnsTheCount(DataSource dataSource)
            throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        // completed: judged by completed_at, 30 days
        upload(rows, user, "completed-31-days", "completed", ago(Duration.ofDays(60)), ago(Duration.ofDays(31)));
        upload(rows, user, "completed-29-days", "completed", ago(Duration.ofDays(60)), ago(Duration.ofDays(29)));
        upload(rows, user, "completed-no-completed-at", "completed", ago(Duration.ofDays(60)), null);
        // error: judged by created_at, 7 days
        upload(rows, user, "error-8-days", "error", ago(Duration.ofDays(8)), null);
        upload(rows, user, "error-6-days", "error", ago(Duration.ofDays(6)), null);
        // stuck in the pipeline: judged by created_at, 1 day
        upload(rows, user, "pending-2-days", "pending", ago(Duration.ofDays(2)), null);
        upload(rows, user, "validating-2-days", "validating", ago(Duration.ofDays(2)), null);
        upload(rows, user, "extracting-2-days", "extracting", ago(Duration.ofDays(2)), null);
        upload(rows, user, "pending-12-hours", "pending", ago(Duration.ofHours(12)), null);
        upload(rows, user, "extracting-12-hours", "extracting", ago(Duration.ofHours(12)), null);

        Integer deleted = rows.queryForObject("SELECT cleanup_old_file_uploads()", Integer.class);

        assertThat(deleted).as("returned count").isEqualTo(5);
        assertThat(rows.queryForList("SELECT original_filename FROM file_uploads", String.class))
                .containsExactlyInAnyOrder("completed-29-days", "completed-no-completed-at", "error-6-days",
                        "pending-12-hours", "extracting-12-hours");
    }

    @Test
    void cleanupReturnsZeroWhenNothingIsOldEnough(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        upload(rows, user, "completed-today", "completed", ago(Duration.ofHours(2)), ago(Duration.ofHours(1)));
        upload(rows, user, "pending-now", "pending", ago(Duration.ZERO), null);

        assertThat(rows.queryForObject("SELECT cleanup_old_file_uploads()", Integer.class)).isZero();
        assertThat(rows.count("file_uploads")).isEqualTo(2);
    }

    @Test
    void statisticsForOneUserCountByStatusAndRoundAverageTimeAndSizeInMegabytes(DataSource dataSource)
            throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID user = rows.user();
        UUID other = rows.user();
        uploadsOfBothUsers(rows, user, other);

        // avg(100, 150, 201) = 150.333.. -> 150.33 (NULL processing times are not averaged);
        // 1048576 + 524288 + 1000 + 2000 + 3000 + 4000 = 1582864 bytes = 1.5095.. MiB -> 1.51
        assertThat(statistics(rows, "?", user)).containsExactly(
                entry("total_uploads", 6L),
                entry("completed_uploads", 2L),
                entry("failed_uploads", 1L),
                entry("pending_uploads", 3L),
                entry("avg_processing_time_ms", new BigDecimal("150.33")),
                entry("total_file_size_mb", new BigDecimal("1.51")));
    }

    @Test
    void statisticsWithoutUserOrWithNullCoverEveryUser(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        uploadsOfBothUsers(rows, rows.user(), rows.user());

        // avg(100, 150, 201, 1000) = 362.75; 1582864 + 2097152 = 3680016 bytes = 3.5095.. MiB -> 3.51
        Map<String, Object> everyone = Map.of(
                "total_uploads", 7L,
                "completed_uploads", 3L,
                "failed_uploads", 1L,
                "pending_uploads", 3L,
                "avg_processing_time_ms", new BigDecimal("362.75"),
                "total_file_size_mb", new BigDecimal("3.51"));
        assertThat(statistics(rows, "")).as("get_upload_statistics()").isEqualTo(everyone);
        assertThat(statistics(rows, "NULL")).as("get_upload_statistics(NULL)").isEqualTo(everyone);
    }

    /** No uploads: counts are 0 but the average and the size are NULL, which readers must accept. */
    @Test
    void statisticsForUserWithoutUploadsAreZeroCountsAndNullAverageAndSize(DataSource dataSource)
            throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID idle = rows.user();
        uploadsOfBothUsers(rows, rows.user(), rows.user());

        Map<String, Object> expected = new HashMap<>();
        expected.put("total_uploads", 0L);
        expected.put("completed_uploads", 0L);
        expected.put("failed_uploads", 0L);
        expected.put("pending_uploads", 0L);
        expected.put("avg_processing_time_ms", null);
        expected.put("total_file_size_mb", null);
        assertThat(statistics(rows, "?", idle)).isEqualTo(expected);
    }

    private static void uploadsOfBothUsers(SchemaRows rows, UUID user, UUID other) throws SQLException {
        sized(rows, user, "completed", 1_048_576, 100);
        sized(rows, user, "completed", 524_288, 150);
        sized(rows, user, "error", 1_000, 201);
        sized(rows, user, "pending", 2_000, null);
        sized(rows, user, "validating", 3_000, null);
        sized(rows, user, "extracting", 4_000, null);
        sized(rows, other, "completed", 2_097_152, 1000);
    }

    private static Map<String, Object> statistics(SchemaRows rows, String argument, Object... params)
            throws SQLException {
        return rows.queryForRow("SELECT " + STATISTICS_COLUMNS + " FROM get_upload_statistics(" + argument + ")",
                params);
    }

    private static void upload(SchemaRows rows, UUID user, String name, String status, OffsetDateTime createdAt,
            OffsetDateTime completedAt) throws SQLException {
        Map<String, Object> row = new HashMap<>();
        row.put("original_filename", name);
        row.put("status", status);
        row.put("created_at", createdAt);
        row.put("completed_at", completedAt);
        rows.fileUpload(user, row);
    }

    private static void sized(SchemaRows rows, UUID user, String status, int fileSize, Integer processingTimeMs)
            throws SQLException {
        Map<String, Object> row = new HashMap<>();
        row.put("status", status);
        row.put("file_size", fileSize);
        row.put("processing_time", processingTimeMs);
        rows.fileUpload(user, row);
    }
}
