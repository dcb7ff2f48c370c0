package com.airesumereview.db.repository;

import com.airesumereview.db.IllegalTransitionException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.ExtractionResult;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.UploadStatistics;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Resume uploads ({@code file_uploads}) and their processing pipeline.
 *
 * <pre>{@code
 * FileUpload u = db.fileUploads().create(NewFileUpload.builder().userId(userId).filename("a1b2.pdf")
 *         .originalFilename("CV.pdf").mimeType("application/pdf").fileSize(48213).fileHash(sha256).build());
 * db.fileUploads().startValidating(u.id());
 * db.fileUploads().startExtracting(u.id());
 * db.fileUploads().complete(u.id(), new ExtractionResult(text, ExtractionMetadata.of(412, 2630, "pdfplumber", sections), 950, 120, 780));
 * Page<FileUpload> page = db.fileUploads().listByUser(userId, null, 20);
 * }</pre>
 *
 * <p><b>Lifecycle.</b> The status only moves forward, {@code pending -> validating -> extracting -> completed},
 * or to {@code error} from any of the first three (see {@link FileUpload#nextStatuses}). Each step is one
 * compare-and-set {@code UPDATE ... WHERE id = ? AND status = <expected>}: when another caller moved the
 * upload first, nothing is written and {@link StaleStateException} says what the status is now. A step
 * the lifecycle does not allow is refused before any SQL with {@link IllegalTransitionException}.
 *
 * <p><b>Progress</b> may be set (0..100, up or down) only while the upload is in the pipeline (pending,
 * validating, extracting): a finished upload's progress is part of its result ({@code complete} sets 100).
 *
 * <p>All calls join a surrounding {@code ResumeReviewDb.inTransaction}. Every input is checked before any
 * SQL runs; a call that fails changes no row.
 *
 * <p>Thread-safe. The library implements it ({@code ResumeReviewDb} hands it out); services may mock it in
 * their own tests.
 */
public interface FileUploadRepository {
    /**
     * Stores a new upload with status {@code pending} and progress 0 and returns it as stored. Runs on the primary.
     *
     * @param upload the new upload; not null
     * @return the upload as stored, with its id and {@code created_at}
     * @throws ValidationException                                 naming the field ({@code fileUpload.fileHash}, ...)
     *                                                             when an input breaks a rule; nothing is written
     * @throws com.airesumereview.db.ConstraintViolationException  (foreign key, field {@code fileUpload.userId})
     *                                                             when the user does not exist
     */
    FileUpload create(NewFileUpload upload);

    /**
     * Stores many new uploads at once with PostgreSQL {@code COPY ... FROM STDIN} (pgJDBC's CopyManager), each
     * with status {@code pending} and progress 0, and returns how many were written. Meant for imports and
     * back-fills: much faster than one INSERT per row. All rows of one call get the same {@code created_at}
     * (the transaction's start), so they list newest-first in id order among themselves.
     *
     * <p>Every row is checked first; one invalid row means nothing is written, and the exception names the
     * row's index and field, e.g. {@code fileUploads[4999].fileHash}. The COPY runs on the connection of a
     * surrounding {@code inTransaction} (and rolls back with it); outside one it is atomic on its own.
     * Runs on the primary.
     *
     * @param uploads the new uploads, in any number (an empty list writes nothing); not null, no null element
     * @return how many rows were written: the list's size
     * @throws ValidationException                                for a null list, a null row or an invalid field
     * @throws com.airesumereview.db.ConstraintViolationException (field {@code fileUpload.userId}) when a user
     *                                                            does not exist; nothing is written
     */
    long createAll(List<NewFileUpload> uploads);

    /**
     * The upload with this id (primary key).
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param id the upload's id; not null
     * @return the upload, or empty when there is none with this id
     */
    Optional<FileUpload> findById(UUID id);

    /**
     * The user's newest upload with this content hash, to detect a file uploaded twice. Served by
     * {@code idx_file_uploads_file_hash} (the hash is nearly unique; the user is a filter on its few rows).
     * The hash is matched exactly as stored; any text of at most 64 characters is accepted so rows written
     * by the other service with another spelling can still be found.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param userId   the owner's id; not null
     * @param fileHash the content hash, at most 64 characters, matched exactly; not null
     * @return the user's newest upload with this hash, or empty when the user has none
     */
    Optional<FileUpload> findByContentHash(UUID userId, String fileHash);

    /**
     * One page of a user's uploads, newest first, with the total; the same as
     * {@link #listByUser(UUID, UploadStatus, PageCursor, int) listByUser(userId, null, after, limit)}.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param after the cursor of the previous page, or null for the first page
     * @param limit 1..1000 rows
     * @param userId the owner's id; not null
     * @return the page (empty when the user has no uploads), its total and the cursor of the next page, if any
     */
    Page<FileUpload> listByUser(UUID userId, PageCursor after, int limit);

    /**
     * One page of a user's uploads, newest first ({@code created_at DESC, id DESC}), only those with
     * {@code status} (null: all), keyset paged: pass {@code null} for the first page and {@link Page#next()}
     * for the following ones. {@link Page#total()} is the number of the user's uploads with that status (all
     * pages), counted in the same statement as the page.
     * <pre>{@code
     * Page<FileUpload> first = db.fileUploads().listByUser(userId, UploadStatus.COMPLETED, null, 20);
     * long all = first.total().getAsLong();
     * }</pre>
     *
     * <p><b>Indexes.</b> The page is served by {@code idx_file_uploads_user_id_created_at} read backwards (the
     * status as a filter), or by {@code idx_file_uploads_user_status} and a sort of those rows, whichever
     * PostgreSQL estimates cheaper. No index holds (user_id, status, created_at), so a rare status of a user
     * with many uploads may read more index entries than it returns. The total is counted on
     * {@code idx_file_uploads_user_status}: its cost grows with the user's uploads of that status (all of
     * them, on every page), which production's indexes cannot avoid; for a user with hundreds of thousands of
     * uploads, prefer the first page's total. Rows created in one transaction share {@code created_at}; among
     * them the order is PostgreSQL's uuid order (byte-wise).
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param status the status to list, or null for every status
     * @param after  the cursor of the previous page, or null for the first page
     * @param limit  1..1000 rows
     * @param userId the owner's id; not null
     * @return the page (empty when none match), its total and the cursor of the next page, if any
     * @throws ValidationException when {@code userId} is missing, {@code limit} is outside 1..1000 or the
     *                             cursor's time is outside what timestamptz holds
     */
    Page<FileUpload> listByUser(UUID userId, UploadStatus status, PageCursor after, int limit);

    /**
     * The uploads still in the pipeline (pending, validating or extracting), newest first ({@code created_at
     * DESC, id DESC}), keyset paged, of one user or of all users; no total.
     * <pre>{@code
     * Page<FileUpload> mine = db.fileUploads().listInPipeline(userId, null, 20);
     * Page<FileUpload> all = db.fileUploads().listInPipeline(null, null, 100);   // a pipeline monitor
     * }</pre>
     * Served by {@code idx_file_uploads_user_status} (one user) or {@code idx_file_uploads_status} (all users),
     * followed by a sort of the uploads in the pipeline: a small set, since uploads move through it in seconds
     * and production's {@code cleanup_old_file_uploads()} deletes those stuck for more than a day.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param userId the user, or null for every user
     * @param after  the cursor of the previous page, or null for the first page
     * @param limit  1..1000 rows
     * @return the page (empty when nothing is in the pipeline) and the cursor of the next page, if any
     */
    Page<FileUpload> listInPipeline(UUID userId, PageCursor after, int limit);

    /**
     * The most recent uploads of all users, newest first ({@code created_at DESC, id DESC}), keyset paged; no
     * total. Served by {@code idx_file_uploads_created_at} read backwards: each page reads about
     * {@code limit} index entries whatever the table's size.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param after the cursor of the previous page, or null for the first page
     * @param limit 1..1000 rows
     * @return the page (empty when there are no uploads) and the cursor of the next page, if any
     */
    Page<FileUpload> listRecent(PageCursor after, int limit);

    /**
     * {@code pending -> validating}. See {@link #advance}. Runs on the primary.
     *
     * @param id the upload's id; not null
     * @return the upload as stored after the step
     */
    FileUpload startValidating(UUID id);

    /**
     * {@code validating -> extracting}. See {@link #advance}. Runs on the primary.
     *
     * @param id the upload's id; not null
     * @return the upload as stored after the step
     */
    FileUpload startExtracting(UUID id);

    /**
     * Moves the upload from {@code from} to {@code to} in one compare-and-set and returns it as stored. Moving
     * to {@code completed} also sets progress 100 and {@code uploadCompletedAt} (without extraction results:
     * use {@link #complete} to store them); moving to {@code error} stores no message (use {@link #fail}).
     * Runs on the primary.
     *
     * @param id   the upload's id; not null
     * @param from the status the caller expects the upload to be in now; not null
     * @param to   the status to move to; not null
     * @return the upload as stored after the step
     * @throws IllegalTransitionException when the lifecycle does not allow {@code from -> to} (before any SQL)
     * @throws StaleStateException        when the upload is not in {@code from} any more; nothing was written
     * @throws NotFoundException          when there is no such upload
     */
    FileUpload advance(UUID id, UploadStatus from, UploadStatus to);

    /**
     * Sets the progress (0..100) of an upload that is still in the pipeline. Progress may go down as well
     * as up (a step may restart its own count). Runs on the primary.
     *
     * @param id       the upload's id; not null
     * @param progress the new progress in percent, 0..100
     * @return the upload as stored after the change
     * @throws ValidationException when {@code progress} is outside 0..100 (before any SQL)
     * @throws StaleStateException when the upload is already completed or failed; nothing was written
     * @throws NotFoundException   when there is no such upload
     */
    FileUpload updateProgress(UUID id, int progress);

    /**
     * {@code extracting -> completed} with the extraction results: stores the text, the metadata (split into
     * word_count, character_count, extraction_method, detected_sections) and the three timings, sets
     * progress 100 and {@code uploadCompletedAt} to the transaction's time. Runs on the primary.
     *
     * @param id     the upload's id; not null
     * @param result the extracted text, metadata and timings (milliseconds); not null
     * @return the completed upload as stored
     * @throws ValidationException       for a negative count or time, a method over 50 characters, text or
     *                                   JSON PostgreSQL cannot hold (NUL, lone surrogates, NaN) (before any SQL)
     * @throws StaleStateException       when the upload is not extracting; nothing was written
     * @throws NotFoundException         when there is no such upload
     */
    FileUpload complete(UUID id, ExtractionResult result);

    /**
     * Marks the upload as failed with {@code errorMessage}, from whichever pipeline state it is in now
     * (pending, validating or extracting), in one statement. {@code uploadCompletedAt} stays empty: it
     * means "processing completed", and production's cleanup judges failed uploads by their creation time.
     * Runs on the primary.
     *
     * @param id           the upload's id; not null
     * @param errorMessage what went wrong (column {@code error_message}); not blank
     * @return the failed upload as stored
     * @throws ValidationException when the message is missing or blank (before any SQL)
     * @throws StaleStateException when the upload is already completed or failed; nothing was written
     * @throws NotFoundException   when there is no such upload
     */
    FileUpload fail(UUID id, String errorMessage);

    /**
     * Like {@link #fail(UUID, String)}, but only when the upload is in {@code from} now. Runs on the primary.
     *
     * @param id           the upload's id; not null
     * @param from         the pipeline status the caller expects the upload to be in now; not null
     * @param errorMessage what went wrong (column {@code error_message}); not blank
     * @return the failed upload as stored
     * @throws IllegalTransitionException when {@code from} is completed or error (before any SQL)
     * @throws StaleStateException        when the upload is not in {@code from}; nothing was written
     * @throws NotFoundException          when there is no such upload
     */
    FileUpload fail(UUID id, UploadStatus from, String errorMessage);

    /**
     * Counts of one user's uploads, by production's {@code get_upload_statistics(user_id)} (zeros and nulls
     * for a user without uploads). The function's query ({@code user_id_param IS NULL OR user_id = ...})
     * is planned inside PL/pgSQL; it cannot be steered to an index from here.
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param userId the user's id; not null
     * @return the user's counts; zeros and nulls when the user has no uploads (or does not exist)
     */
    UploadStatistics statistics(UUID userId);

    /**
     * Counts over all users' uploads (a full scan of {@code file_uploads} by its nature).
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @return the counts over every upload
     */
    UploadStatistics statisticsForAllUsers();

    /**
     * Runs production's {@code cleanup_old_file_uploads()}: deletes completed uploads whose completion is
     * older than 30 days, failed ones created more than 7 days ago and ones stuck in the pipeline for more
     * than a day. Returns the number deleted. Runs on the primary.
     *
     * @return the number of uploads deleted, 0 when none was old enough
     */
    int cleanupOldUploads();
}
