package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.FILE_UPLOADS;
import static com.airesumereview.db.generated.tables.GetUploadStatistics.GET_UPLOAD_STATISTICS;

import com.airesumereview.db.IllegalTransitionException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.UnsupportedFieldException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.ExtractionResult;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.UploadStatistics;
import com.airesumereview.db.generated.Routines;
import com.airesumereview.db.generated.tables.FileUploads;
import com.airesumereview.db.generated.tables.records.FileUploadsRecord;
import com.airesumereview.db.generated.tables.records.GetUploadStatisticsRecord;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Resume uploads ({@code file_uploads}) and their processing pipeline.
 *
 * <pre>{@code
 * FileUpload u = db.fileUploads().create(NewFileUpload.of(userId, "a1b2.pdf", "CV.pdf", "application/pdf", 48213, sha256));
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
 */
public final class FileUploadRepository {
    private static final FileUploads F = FILE_UPLOADS;
    private static final String ENTITY = "fileUpload";
    private static final Set<UploadStatus> IN_PIPELINE =
            EnumSet.of(UploadStatus.PENDING, UploadStatus.VALIDATING, UploadStatus.EXTRACTING);
    private static final String IN_PIPELINE_TEXT = "pending, validating or extracting";
    /** Reads jsonb without losing precision: decimals as BigDecimal, exactly as written. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonbReading.factory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    /** The columns {@link #createAll} copies, in COPY order; the others take their defaults. */
    private static final List<Field<?>> COPY_COLUMNS = List.of(F.USER_ID, F.FILENAME, F.ORIGINAL_FILENAME,
            F.MIME_TYPE, F.FILE_SIZE, F.FILE_HASH, F.TARGET_ROLE, F.TARGET_INDUSTRY, F.EXPERIENCE_LEVEL);
    private static final int COPY_BUFFER_CHARS = 1 << 16;

    private final DSLContext dsl;

    /** Used by {@code ResumeReviewDb}; {@code dsl} must carry its transaction provider and listeners. */
    public FileUploadRepository(DSLContext dsl) {
        // ResumeReviewDb's settings bind timestamptz through pgJDBC, which reads 'infinity' as OffsetDateTime.MAX/MIN.
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    // ---- create -----------------------------------------------------------------------------------

    /**
     * Stores a new upload with status {@code pending} and progress 0 and returns it as stored.
     *
     * @throws ValidationException                                 naming the field ({@code fileUpload.fileHash}, ...)
     *                                                             when an input breaks a rule; nothing is written
     * @throws com.airesumereview.db.ConstraintViolationException  (foreign key, field {@code fileUpload.userId})
     *                                                             when the user does not exist
     */
    public FileUpload create(NewFileUpload upload) {
        Rules.required(ENTITY, upload);
        validate(upload, ENTITY);
        FileUploadsRecord r = dsl.insertInto(F)
                .set(F.USER_ID, upload.userId())
                .set(F.FILENAME, upload.filename())
                .set(F.ORIGINAL_FILENAME, upload.originalFilename())
                .set(F.MIME_TYPE, upload.mimeType())
                .set(F.FILE_SIZE, (int) upload.fileSize())
                .set(F.FILE_HASH, upload.fileHash())
                .set(F.STATUS, UploadStatus.PENDING)
                .set(F.PROGRESS, 0)
                .set(F.TARGET_ROLE, upload.targetRole())
                .set(F.TARGET_INDUSTRY, upload.targetIndustry())
                .set(F.EXPERIENCE_LEVEL, upload.experienceLevel())
                .returning()
                .fetchOne();
        return toDomain(Objects.requireNonNull(r, "INSERT ... RETURNING returned no row"));
    }

    /**
     * Stores many new uploads at once with PostgreSQL {@code COPY ... FROM STDIN} (pgJDBC's CopyManager), each
     * with status {@code pending} and progress 0, and returns how many were written. Meant for imports and
     * back-fills: much faster than one INSERT per row. All rows of one call get the same {@code created_at}
     * (the transaction's start), so they list newest-first in id order among themselves.
     *
     * <p>Every row is checked first; one invalid row means nothing is written, and the exception names the
     * row's index and field, e.g. {@code fileUploads[4999].fileHash}. The COPY runs on the connection of a
     * surrounding {@code inTransaction} (and rolls back with it); outside one it is atomic on its own.
     *
     * @throws ValidationException                                for a null list, a null row or an invalid field
     * @throws com.airesumereview.db.ConstraintViolationException (field {@code fileUpload.userId}) when a user
     *                                                            does not exist; nothing is written
     */
    public long createAll(List<NewFileUpload> uploads) {
        Rules.required("fileUploads", uploads);
        for (int i = 0; i < uploads.size(); i++) {
            String prefix = "fileUploads[" + i + "]";
            Rules.required(prefix, uploads.get(i));
            validate(uploads.get(i), prefix);
        }
        if (uploads.isEmpty()) {
            return 0;
        }
        String columns = COPY_COLUMNS.stream().map(f -> dsl.render(f.getUnqualifiedName()))
                .collect(Collectors.joining(", "));
        String sql = "COPY " + dsl.render(F) + " (" + columns + ") FROM STDIN";
        return dsl.connectionResult(c -> copy(c, sql, uploads));
    }

    private static long copy(Connection connection, String sql, List<NewFileUpload> uploads) {
        try {
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                StringBuilder b = new StringBuilder(COPY_BUFFER_CHARS + 4096);
                for (NewFileUpload u : uploads) {
                    copyValue(b, u.userId().toString()).append('\t');
                    copyValue(b, u.filename()).append('\t');
                    copyValue(b, u.originalFilename()).append('\t');
                    copyValue(b, u.mimeType()).append('\t');
                    b.append(u.fileSize()).append('\t');
                    copyValue(b, u.fileHash()).append('\t');
                    copyValue(b, u.targetRole()).append('\t');
                    copyValue(b, u.targetIndustry()).append('\t');
                    copyValue(b, u.experienceLevel() == null ? null : u.experienceLevel().literal()).append('\n');
                    if (b.length() >= COPY_BUFFER_CHARS) {
                        write(in, b);
                    }
                }
                write(in, b);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (SQLException e) {
            RuntimeException translated = ConstraintTranslator.translate(e);
            throw translated != null ? translated : new ResumeReviewDbException("COPY into file_uploads failed: " + e.getMessage(), e);
        }
    }

    private static void write(CopyIn in, StringBuilder b) throws SQLException {
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8); // pgJDBC always talks UTF8 to the server
        in.writeToCopy(bytes, 0, bytes.length);
        b.setLength(0);
    }

    /** One value in COPY's text format: NULL as {@code \N}; backslash, tab, newline and CR escaped. */
    private static StringBuilder copyValue(StringBuilder b, String v) {
        if (v == null) {
            return b.append("\\N");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b;
    }

    private static void validate(NewFileUpload u, String prefix) {
        Rules.required(prefix + ".userId", u.userId());
        Rules.nonBlank(prefix + ".filename", u.filename(), 255);
        Rules.nonBlank(prefix + ".originalFilename", u.originalFilename(), 255);
        Rules.nonBlank(prefix + ".mimeType", u.mimeType(), 100);
        Rules.rangeLong(prefix + ".fileSize", u.fileSize(), 1, Integer.MAX_VALUE);
        Rules.sha256Hex(prefix + ".fileHash", u.fileHash());
        Rules.optionalText(prefix + ".targetRole", u.targetRole(), 255);
        Rules.optionalText(prefix + ".targetIndustry", u.targetIndustry(), 255);
    }

    // ---- lookups ----------------------------------------------------------------------------------

    /** The upload with this id (primary key). */
    public Optional<FileUpload> findById(UUID id) {
        Rules.required("fileUpload.id", id);
        return dsl.selectFrom(F).where(F.ID.eq(id)).fetchOptional().map(FileUploadRepository::toDomain);
    }

    /**
     * The user's newest upload with this content hash, to detect a file uploaded twice. Served by
     * {@code idx_file_uploads_file_hash} (the hash is nearly unique; the user is a filter on its few rows).
     * The hash is matched exactly as stored; any text of at most 64 characters is accepted so rows written
     * by the other service with another spelling can still be found.
     */
    public Optional<FileUpload> findByContentHash(UUID userId, String fileHash) {
        Rules.required("fileUpload.userId", userId);
        Rules.text("fileUpload.fileHash", fileHash, 64);
        return dsl.selectFrom(F)
                .where(F.FILE_HASH.eq(fileHash))
                .and(F.USER_ID.eq(userId))
                .orderBy(F.CREATED_AT.desc(), F.ID.desc())
                .limit(1)
                .fetchOptional()
                .map(FileUploadRepository::toDomain);
    }

    /**
     * One page of a user's uploads, newest first, with the total; the same as
     * {@link #listByUser(UUID, UploadStatus, PageCursor, int) listByUser(userId, null, after, limit)}.
     *
     * @param after the cursor of the previous page, or null for the first page
     * @param limit 1..1000 rows
     */
    public Page<FileUpload> listByUser(UUID userId, PageCursor after, int limit) {
        return listByUser(userId, null, after, limit);
    }

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
     *
     * @param status the status to list, or null for every status
     * @param after  the cursor of the previous page, or null for the first page
     * @param limit  1..1000 rows
     * @throws ValidationException when {@code userId} is missing, {@code limit} is outside 1..1000 or the
     *                             cursor's time is outside what timestamptz holds
     */
    public Page<FileUpload> listByUser(UUID userId, UploadStatus status, PageCursor after, int limit) {
        Rules.required("fileUpload.userId", userId);
        Rules.pageSize("page.limit", limit);
        Condition filter = F.USER_ID.eq(userId);
        if (status != null) {
            filter = filter.and(F.STATUS.eq(status));
        }
        Field<Integer> total = DSL.field(DSL.selectCount().from(F).where(filter)).as("total");
        List<SelectField<?>> columns = new ArrayList<>(List.of(F.fields()));
        columns.add(total);
        List<Record> rows = dsl.select(columns)
                .from(F)
                .where(filter.and(after(after)))
                .orderBy(F.CREATED_AT.desc(), F.ID.desc())
                .limit(limit + 1)
                .fetch();
        long count;
        if (!rows.isEmpty()) {
            count = rows.get(0).get(total);
        } else if (after == null) {
            count = 0; // no row matches the filter at all
        } else {
            count = dsl.fetchCount(F, filter); // a cursor past the end: the rows carry no total
        }
        return page(rows, limit, OptionalLong.of(count));
    }

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
     *
     * @param userId the user, or null for every user
     * @param after  the cursor of the previous page, or null for the first page
     * @param limit  1..1000 rows
     */
    public Page<FileUpload> listInPipeline(UUID userId, PageCursor after, int limit) {
        Rules.pageSize("page.limit", limit);
        Condition filter = F.STATUS.in(IN_PIPELINE);
        if (userId != null) {
            filter = F.USER_ID.eq(userId).and(filter);
        }
        return page(dsl.selectFrom(F)
                .where(filter.and(after(after)))
                .orderBy(F.CREATED_AT.desc(), F.ID.desc())
                .limit(limit + 1)
                .fetch(), limit, OptionalLong.empty());
    }

    /**
     * The most recent uploads of all users, newest first ({@code created_at DESC, id DESC}), keyset paged; no
     * total. Served by {@code idx_file_uploads_created_at} read backwards: each page reads about
     * {@code limit} index entries whatever the table's size.
     *
     * @param after the cursor of the previous page, or null for the first page
     * @param limit 1..1000 rows
     */
    public Page<FileUpload> listRecent(PageCursor after, int limit) {
        Rules.pageSize("page.limit", limit);
        return page(dsl.selectFrom(F)
                .where(after(after))
                .orderBy(F.CREATED_AT.desc(), F.ID.desc())
                .limit(limit + 1)
                .fetch(), limit, OptionalLong.empty());
    }

    /** The keyset condition "strictly after the cursor" in {@code created_at DESC, id DESC} order. */
    private static Condition after(PageCursor after) {
        if (after == null) {
            return DSL.noCondition();
        }
        // Out of timestamptz's range the bind would fail inside PostgreSQL; infinity (MAX/MIN) is a valid cursor.
        OffsetDateTime at = toOffset(AnalysisRepository.cursorInstant("page.after.createdAt", after.createdAt()));
        // created_at <= ? is an index condition; the row comparison breaks ties on id.
        return F.CREATED_AT.le(at).and(DSL.row(F.CREATED_AT, F.ID).lt(at, after.id()));
    }

    /** Up to {@code limit} rows of {@code limit + 1} fetched; the extra row only says a next page exists. */
    private static Page<FileUpload> page(List<? extends Record> fetched, int limit, OptionalLong total) {
        List<FileUpload> rows = new ArrayList<>(fetched.size());
        for (Record r : fetched) {
            rows.add(toDomain(r));
        }
        Optional<PageCursor> next = Optional.empty();
        if (rows.size() > limit) {
            rows.subList(limit, rows.size()).clear();
            FileUpload last = rows.get(limit - 1);
            next = Optional.of(new PageCursor(last.uploadStartedAt(), last.id()));
        }
        return new Page<>(rows, next, total);
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /** {@code pending -> validating}. See {@link #advance}. */
    public FileUpload startValidating(UUID id) {
        return advance(id, UploadStatus.PENDING, UploadStatus.VALIDATING);
    }

    /** {@code validating -> extracting}. See {@link #advance}. */
    public FileUpload startExtracting(UUID id) {
        return advance(id, UploadStatus.VALIDATING, UploadStatus.EXTRACTING);
    }

    /**
     * Moves the upload from {@code from} to {@code to} in one compare-and-set and returns it as stored. Moving
     * to {@code completed} also sets progress 100 and {@code uploadCompletedAt} (without extraction results:
     * use {@link #complete} to store them); moving to {@code error} stores no message (use {@link #fail}).
     *
     * @throws IllegalTransitionException when the lifecycle does not allow {@code from -> to} (before any SQL)
     * @throws StaleStateException        when the upload is not in {@code from} any more; nothing was written
     * @throws NotFoundException          when there is no such upload
     */
    public FileUpload advance(UUID id, UploadStatus from, UploadStatus to) {
        Rules.required("fileUpload.id", id);
        checkTransition(from, to);
        Map<Field<?>, Object> set = new LinkedHashMap<>();
        set.put(F.STATUS, to);
        if (to == UploadStatus.COMPLETED) {
            set.put(F.PROGRESS, 100);
            set.put(F.COMPLETED_AT, DSL.currentOffsetDateTime());
        }
        return compareAndSet(id, F.STATUS.eq(from), from.literal(), set);
    }

    /**
     * Sets the progress (0..100) of an upload that is still in the pipeline. Progress may go down as well
     * as up (a step may restart its own count).
     *
     * @throws ValidationException when {@code progress} is outside 0..100 (before any SQL)
     * @throws StaleStateException when the upload is already completed or failed; nothing was written
     * @throws NotFoundException   when there is no such upload
     */
    public FileUpload updateProgress(UUID id, int progress) {
        Rules.required("fileUpload.id", id);
        Rules.range("fileUpload.progress", progress, 0, 100);
        return compareAndSet(id, F.STATUS.in(IN_PIPELINE), IN_PIPELINE_TEXT, Map.of(F.PROGRESS, progress));
    }

    /**
     * {@code extracting -> completed} with the extraction results: stores the text, the metadata (split into
     * word_count, character_count, extraction_method, detected_sections) and the three timings, sets
     * progress 100 and {@code uploadCompletedAt} to the transaction's time.
     *
     * @throws UnsupportedFieldException (field {@code fileUpload.extractionMetadata.otherKeys}) when the
     *                                   metadata has keys without a column, naming them (before any SQL)
     * @throws ValidationException       for a negative count or time, a method over 50 characters, text or
     *                                   JSON PostgreSQL cannot hold (NUL, lone surrogates, NaN) (before any SQL)
     * @throws StaleStateException       when the upload is not extracting; nothing was written
     * @throws NotFoundException         when there is no such upload
     */
    public FileUpload complete(UUID id, ExtractionResult result) {
        Rules.required("fileUpload.id", id);
        Rules.required("extractionResult", result);
        Rules.optionalText("fileUpload.extractedText", result.extractedText(), 0);
        ExtractionMetadata m = result.metadata();
        if (!m.otherKeys().isEmpty()) {
            throw new UnsupportedFieldException("fileUpload.extractionMetadata.otherKeys",
                    "file_uploads has no column for the keys " + String.join(", ", m.otherKeys().keySet())
                            + " (only wordCount, characterCount, extractionMethod, detectedSections are stored)",
                    m.otherKeys().keySet().toString());
        }
        if (m.wordCount() != null) {
            Rules.range("fileUpload.extractionMetadata.wordCount", m.wordCount(), 0, Integer.MAX_VALUE);
        }
        if (m.characterCount() != null) {
            Rules.range("fileUpload.extractionMetadata.characterCount", m.characterCount(), 0, Integer.MAX_VALUE);
        }
        Rules.optionalText("fileUpload.extractionMetadata.extractionMethod", m.extractionMethod(), 50);
        JSONB sections = toJsonb("fileUpload.extractionMetadata.detectedSections", m.detectedSections());
        int processing = Rules.rangeLong("fileUpload.processingTimeMs", result.processingTimeMs(), 0, Integer.MAX_VALUE);
        int validation = Rules.rangeLong("fileUpload.validationTimeMs", result.validationTimeMs(), 0, Integer.MAX_VALUE);
        int extraction = Rules.rangeLong("fileUpload.extractionTimeMs", result.extractionTimeMs(), 0, Integer.MAX_VALUE);

        Map<Field<?>, Object> set = new LinkedHashMap<>();
        set.put(F.STATUS, UploadStatus.COMPLETED);
        set.put(F.PROGRESS, 100);
        set.put(F.COMPLETED_AT, DSL.currentOffsetDateTime());
        set.put(F.EXTRACTED_TEXT, result.extractedText());
        set.put(F.WORD_COUNT, m.wordCount());
        set.put(F.CHARACTER_COUNT, m.characterCount());
        set.put(F.EXTRACTION_METHOD, m.extractionMethod());
        set.put(F.DETECTED_SECTIONS, sections);
        set.put(F.PROCESSING_TIME, processing);
        set.put(F.VALIDATION_TIME, validation);
        set.put(F.EXTRACTION_TIME, extraction);
        return compareAndSet(id, F.STATUS.eq(UploadStatus.EXTRACTING), UploadStatus.EXTRACTING.literal(), set);
    }

    /**
     * Marks the upload as failed with {@code errorMessage}, from whichever pipeline state it is in now
     * (pending, validating or extracting), in one statement. {@code uploadCompletedAt} stays empty: it
     * means "processing completed", and production's cleanup judges failed uploads by their creation time.
     *
     * @throws ValidationException when the message is missing or blank (before any SQL)
     * @throws StaleStateException when the upload is already completed or failed; nothing was written
     * @throws NotFoundException   when there is no such upload
     */
    public FileUpload fail(UUID id, String errorMessage) {
        Rules.required("fileUpload.id", id);
        Rules.nonBlank("fileUpload.errorMessage", errorMessage, 0);
        return compareAndSet(id, F.STATUS.in(IN_PIPELINE), IN_PIPELINE_TEXT, failure(errorMessage));
    }

    /**
     * Like {@link #fail(UUID, String)}, but only when the upload is in {@code from} now.
     *
     * @throws IllegalTransitionException when {@code from} is completed or error (before any SQL)
     * @throws StaleStateException        when the upload is not in {@code from}; nothing was written
     * @throws NotFoundException          when there is no such upload
     */
    public FileUpload fail(UUID id, UploadStatus from, String errorMessage) {
        Rules.required("fileUpload.id", id);
        checkTransition(from, UploadStatus.ERROR);
        Rules.nonBlank("fileUpload.errorMessage", errorMessage, 0);
        return compareAndSet(id, F.STATUS.eq(from), from.literal(), failure(errorMessage));
    }

    private static Map<Field<?>, Object> failure(String errorMessage) {
        Map<Field<?>, Object> set = new LinkedHashMap<>();
        set.put(F.STATUS, UploadStatus.ERROR);
        set.put(F.ERROR_MESSAGE, errorMessage);
        return set;
    }

    private static void checkTransition(UploadStatus from, UploadStatus to) {
        Rules.required("fileUpload.status (from)", from);
        Rules.required("fileUpload.status", to);
        Set<UploadStatus> allowed = FileUpload.nextStatuses(from);
        if (!allowed.contains(to)) {
            throw new IllegalTransitionException("fileUpload.status", from.literal(), to.literal(),
                    allowed.isEmpty() ? "none (final)" : allowed.stream().map(UploadStatus::literal)
                            .collect(Collectors.joining(", ")));
        }
    }

    /** One UPDATE guarded by {@code expected}; on 0 rows tells a missing row from a moved one. */
    private FileUpload compareAndSet(UUID id, Condition expected, String expectedText, Map<Field<?>, Object> set) {
        Optional<FileUploadsRecord> updated = dsl.update(F).set(set).where(F.ID.eq(id)).and(expected)
                .returning().fetchOptional();
        if (updated.isPresent()) {
            return toDomain(updated.get());
        }
        UploadStatus actual = dsl.select(F.STATUS).from(F).where(F.ID.eq(id)).fetchOptional(F.STATUS)
                .orElseThrow(() -> new NotFoundException(ENTITY, id.toString()));
        throw new StaleStateException(ENTITY, id.toString(), expectedText, actual.literal());
    }

    // ---- functions --------------------------------------------------------------------------------

    /**
     * Counts of one user's uploads, by production's {@code get_upload_statistics(user_id)} (zeros and nulls
     * for a user without uploads). The function's query ({@code user_id_param IS NULL OR user_id = ...})
     * is planned inside PL/pgSQL; it cannot be steered to an index from here.
     */
    public UploadStatistics statistics(UUID userId) {
        Rules.required("fileUpload.userId", userId);
        return statisticsOf(userId);
    }

    /** Counts over all users' uploads (a full scan of {@code file_uploads} by its nature). */
    public UploadStatistics statisticsForAllUsers() {
        return statisticsOf(null);
    }

    private UploadStatistics statisticsOf(UUID userId) {
        GetUploadStatisticsRecord r = dsl.selectFrom(GET_UPLOAD_STATISTICS.call(userId)).fetchSingle();
        return new UploadStatistics(count(r.getTotalUploads()), count(r.getCompletedUploads()),
                count(r.getFailedUploads()), count(r.getPendingUploads()), r.getAvgProcessingTimeMs(),
                r.getTotalFileSizeMb());
    }

    private static long count(Long value) {
        return value == null ? 0 : value;
    }

    /**
     * Runs production's {@code cleanup_old_file_uploads()}: deletes completed uploads whose completion is
     * older than 30 days, failed ones created more than 7 days ago and ones stuck in the pipeline for more
     * than a day. Returns the number deleted.
     */
    public int cleanupOldUploads() {
        Integer deleted = Routines.cleanupOldFileUploads(dsl.configuration());
        return deleted == null ? 0 : deleted;
    }

    // ---- mapping ----------------------------------------------------------------------------------

    /** The one row -> FileUpload function; {@code row} holds every column of {@code file_uploads}. */
    static FileUpload toDomain(Record row) {
        FileUploadsRecord r = row.into(F);
        ExtractionMetadata metadata = r.getWordCount() == null && r.getCharacterCount() == null
                && r.getExtractionMethod() == null && r.getDetectedSections() == null
                ? ExtractionMetadata.EMPTY
                : ExtractionMetadata.of(r.getWordCount(), r.getCharacterCount(), r.getExtractionMethod(),
                fromJsonb(r.getDetectedSections()));
        return new FileUpload(r.getId(), r.getUserId(), r.getFilename(), r.getOriginalFilename(), r.getMimeType(),
                r.getFileSize(), r.getFileHash(), r.getStatus(), r.getProgress(), r.getErrorMessage(),
                r.getTargetRole(), r.getTargetIndustry(), r.getExperienceLevel(), r.getExtractedText(), metadata,
                r.getProcessingTime(), r.getValidationTime(), r.getExtractionTime(), toInstant(r.getCreatedAt()),
                toInstant(r.getUpdatedAt()), toInstant(r.getCompletedAt()));
    }

    private static JsonNode fromJsonb(JSONB value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.readTree(value.data());
        } catch (JsonProcessingException e) {
            throw new ResumeReviewDbException("file_uploads.detected_sections: the stored jsonb could not be read as JSON", e);
        }
    }

    private static JSONB toJsonb(String field, JsonNode value) {
        if (value == null) {
            return null;
        }
        storableJson(field, value);
        try {
            return JSONB.valueOf(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new ValidationException(field, "must be serializable JSON", Rules.show(e.getOriginalMessage()));
        }
    }

    /** jsonb holds no NUL character, no lone surrogate and no NaN or infinite number. */
    private static void storableJson(String field, JsonNode node) {
        if (node.isTextual()) {
            Rules.optionalText(field, node.textValue(), 0);
        } else if (node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue())) {
            throw new ValidationException(field, "must not hold NaN or infinite numbers (JSON cannot)",
                    String.valueOf(node.doubleValue()));
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                Rules.optionalText(field, e.getKey(), 0);
                storableJson(field, e.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                storableJson(field, element);
            }
        }
    }

    /** Timestamps as Instants; {@code infinity} / {@code -infinity} become {@link Instant#MAX} / {@link Instant#MIN}. */
    static Instant toInstant(OffsetDateTime t) {
        if (t == null) {
            return null;
        }
        if (t.equals(OffsetDateTime.MAX) || t.getYear() > 294276) {
            return Instant.MAX;
        }
        if (t.equals(OffsetDateTime.MIN) || t.getYear() < -4713) {
            return Instant.MIN;
        }
        return t.toInstant();
    }

    /** The reverse of {@link #toInstant}, so a cursor at {@code infinity} binds as {@code infinity}. */
    static OffsetDateTime toOffset(Instant t) {
        if (t.equals(Instant.MAX)) {
            return OffsetDateTime.MAX;
        }
        if (t.equals(Instant.MIN)) {
            return OffsetDateTime.MIN;
        }
        return t.atOffset(ZoneOffset.UTC);
    }
}
