package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.FILE_UPLOADS;
import static com.airesumereview.db.generated.tables.GetUploadStatistics.GET_UPLOAD_STATISTICS;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.insertInto;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.update;
import com.airesumereview.db.IllegalTransitionException;
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
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.internal.Binds;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.SqlFailures;
import com.airesumereview.db.internal.Statement;
import com.airesumereview.db.repository.internal.Pages.Counted;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import com.airesumereview.db.repository.FileUploadRepository;

/** The one implementation of {@link FileUploadRepository}: statements built once, run by the engine. */
public final class PostgresFileUploadRepository implements FileUploadRepository {
    private static final FileUploads F = FILE_UPLOADS;
    private static final String ENTITY = "fileUpload";
    private static final Set<UploadStatus> IN_PIPELINE =
            EnumSet.of(UploadStatus.PENDING, UploadStatus.VALIDATING, UploadStatus.EXTRACTING);
    private static final String IN_PIPELINE_TEXT = "pending, validating or extracting";
    /** The columns {@link #createAll} copies, in COPY order; the others take their defaults. */
    private static final List<Field<?>> COPY_COLUMNS = List.of(F.USER_ID, F.FILENAME, F.ORIGINAL_FILENAME,
            F.MIME_TYPE, F.FILE_SIZE, F.FILE_HASH, F.TARGET_ROLE, F.TARGET_INDUSTRY, F.EXPERIENCE_LEVEL);
    private static final int COPY_BUFFER_CHARS = 1 << 16;

    /**
     * The select list (every column, written out in table order) {@link #ROW} reads: by column, so a snapshot that
     * reorders or adds columns changes nothing here, and one that drops a column fails when this class loads.
     */
    static final List<SelectField<?>> COLUMNS = List.of(F.ID, F.USER_ID, F.FILENAME, F.ORIGINAL_FILENAME,
            F.MIME_TYPE, F.FILE_SIZE, F.FILE_HASH, F.STATUS, F.PROGRESS, F.ERROR_MESSAGE, F.TARGET_ROLE,
            F.TARGET_INDUSTRY, F.EXPERIENCE_LEVEL, F.EXTRACTED_TEXT, F.WORD_COUNT, F.CHARACTER_COUNT,
            F.EXTRACTION_METHOD, F.DETECTED_SECTIONS, F.PROCESSING_TIME, F.VALIDATION_TIME, F.EXTRACTION_TIME,
            F.CREATED_AT, F.UPDATED_AT, F.COMPLETED_AT);
    static final RowReader<FileUpload> ROW = RowReader.of(COLUMNS, r -> {
        Integer words = r.get(F.WORD_COUNT);
        Integer characters = r.get(F.CHARACTER_COUNT);
        String method = r.get(F.EXTRACTION_METHOD);
        JsonNode sections = r.json(F.DETECTED_SECTIONS);
        ExtractionMetadata metadata = words == null && characters == null && method == null && sections == null
                ? ExtractionMetadata.EMPTY : ExtractionMetadata.of(words, characters, method, sections);
        return new FileUpload(r.get(F.ID), r.get(F.USER_ID), r.get(F.FILENAME), r.get(F.ORIGINAL_FILENAME),
                r.get(F.MIME_TYPE), r.get(F.FILE_SIZE), r.get(F.FILE_HASH), r.get(F.STATUS), r.get(F.PROGRESS),
                r.get(F.ERROR_MESSAGE), r.get(F.TARGET_ROLE), r.get(F.TARGET_INDUSTRY), r.get(F.EXPERIENCE_LEVEL),
                r.get(F.EXTRACTED_TEXT), metadata, r.get(F.PROCESSING_TIME), r.get(F.VALIDATION_TIME),
                r.get(F.EXTRACTION_TIME), r.get(F.CREATED_AT), r.get(F.UPDATED_AT), r.get(F.COMPLETED_AT));
    });
    /** A list row's total, counted in the same statement. */
    private static final Field<Integer> TOTAL = DSL.field(DSL.name("total"), Integer.class);
    private static final Field<Integer> N = DSL.count();

    private static final Statement<FileUpload> CREATE = Statement.write("fileUploads.create",
            insertInto(F, F.USER_ID, F.FILENAME, F.ORIGINAL_FILENAME, F.MIME_TYPE, F.FILE_SIZE, F.FILE_HASH, F.STATUS,
                    F.PROGRESS, F.TARGET_ROLE, F.TARGET_INDUSTRY, F.EXPERIENCE_LEVEL)
                    .values(param("userId", UUID.class), param("filename", String.class),
                            param("originalFilename", String.class), param("mimeType", String.class),
                            param("fileSize", Integer.class), param("fileHash", String.class),
                            inline(UploadStatus.PENDING, F.STATUS), inline(0), param("targetRole", String.class),
                            param("targetIndustry", String.class), param("experienceLevel", F.EXPERIENCE_LEVEL))
                    .returningResult(COLUMNS), ROW);
    private static final Statement<FileUpload> FIND_BY_ID = Statement.read("fileUploads.findById",
            select(COLUMNS).from(F).where(F.ID.eq(param("id", UUID.class))), ROW);
    private static final Statement<FileUpload> FIND_BY_CONTENT_HASH = Statement.read("fileUploads.findByContentHash",
            select(COLUMNS).from(F).where(F.FILE_HASH.eq(param("fileHash", String.class)))
                    .and(F.USER_ID.eq(param("userId", UUID.class)))
                    .orderBy(F.CREATED_AT.desc(), F.ID.desc()).limit(inline(1)), ROW);
    /** listByUser: [status][after], each row carrying the total (bound by name, as everywhere). */
    private static final Statement<Counted<FileUpload>> LIST_BY_USER = listByUser(false, false);
    private static final Statement<Counted<FileUpload>> LIST_BY_USER_AFTER = listByUser(false, true);
    private static final Statement<Counted<FileUpload>> LIST_BY_USER_STATUS = listByUser(true, false);
    private static final Statement<Counted<FileUpload>> LIST_BY_USER_STATUS_AFTER = listByUser(true, true);
    private static final Statement<Integer> COUNT_BY_USER = Statement.read("fileUploads.listByUser",
            select(N).from(F).where(userFilter(false)), RowReader.column(N));
    private static final Statement<Integer> COUNT_BY_USER_STATUS = Statement.read("fileUploads.listByUser",
            select(N).from(F).where(userFilter(true)), RowReader.column(N));
    /** listInPipeline: [user][after]. */
    private static final Statement<FileUpload> PIPELINE = list("fileUploads.listInPipeline", inPipeline(false), false);
    private static final Statement<FileUpload> PIPELINE_AFTER = list("fileUploads.listInPipeline", inPipeline(false), true);
    private static final Statement<FileUpload> PIPELINE_OF_USER = list("fileUploads.listInPipeline", inPipeline(true), false);
    private static final Statement<FileUpload> PIPELINE_OF_USER_AFTER = list("fileUploads.listInPipeline", inPipeline(true), true);
    private static final Statement<FileUpload> RECENT = list("fileUploads.listRecent", DSL.noCondition(), false);
    private static final Statement<FileUpload> RECENT_AFTER = list("fileUploads.listRecent", DSL.noCondition(), true);
    /** The compare-and-sets: the new values where the row still has the expected status. */
    private static final Statement<FileUpload> ADVANCE = Statement.write("fileUploads.advance",
            update(F).set(F.STATUS, param("to", F.STATUS))
                    .where(F.ID.eq(param("id", UUID.class))).and(F.STATUS.eq(param("from", F.STATUS)))
                    .returningResult(COLUMNS), ROW);
    private static final Statement<FileUpload> ADVANCE_TO_COMPLETED = Statement.write("fileUploads.advance",
            update(F).set(F.STATUS, inline(UploadStatus.COMPLETED, F.STATUS)).set(F.PROGRESS, inline(100))
                    .set(F.COMPLETED_AT, currentInstant())
                    .where(F.ID.eq(param("id", UUID.class))).and(F.STATUS.eq(param("from", F.STATUS)))
                    .returningResult(COLUMNS), ROW);
    private static final Statement<FileUpload> UPDATE_PROGRESS = Statement.write("fileUploads.updateProgress",
            update(F).set(F.PROGRESS, param("progress", Integer.class))
                    .where(F.ID.eq(param("id", UUID.class))).and(F.STATUS.in(pipelineLiterals()))
                    .returningResult(COLUMNS), ROW);
    private static final Statement<FileUpload> COMPLETE = Statement.write("fileUploads.complete",
            update(F).set(F.STATUS, inline(UploadStatus.COMPLETED, F.STATUS)).set(F.PROGRESS, inline(100))
                    .set(F.COMPLETED_AT, currentInstant())
                    .set(F.EXTRACTED_TEXT, param("extractedText", String.class))
                    .set(F.WORD_COUNT, param("wordCount", Integer.class))
                    .set(F.CHARACTER_COUNT, param("characterCount", Integer.class))
                    .set(F.EXTRACTION_METHOD, param("extractionMethod", String.class))
                    .set(F.DETECTED_SECTIONS, param("detectedSections", F.DETECTED_SECTIONS))
                    .set(F.PROCESSING_TIME, param("processingTime", Integer.class))
                    .set(F.VALIDATION_TIME, param("validationTime", Integer.class))
                    .set(F.EXTRACTION_TIME, param("extractionTime", Integer.class))
                    .where(F.ID.eq(param("id", UUID.class)))
                    .and(F.STATUS.eq(inline(UploadStatus.EXTRACTING, F.STATUS)))
                    .returningResult(COLUMNS), ROW);
    private static final Statement<FileUpload> FAIL_IN_PIPELINE = Statement.write("fileUploads.fail",
            update(F).set(F.STATUS, inline(UploadStatus.ERROR, F.STATUS))
                    .set(F.ERROR_MESSAGE, param("errorMessage", String.class))
                    .where(F.ID.eq(param("id", UUID.class))).and(F.STATUS.in(pipelineLiterals()))
                    .returningResult(COLUMNS), ROW);
    private static final Statement<FileUpload> FAIL_FROM = Statement.write("fileUploads.fail",
            update(F).set(F.STATUS, inline(UploadStatus.ERROR, F.STATUS))
                    .set(F.ERROR_MESSAGE, param("errorMessage", String.class))
                    .where(F.ID.eq(param("id", UUID.class))).and(F.STATUS.eq(param("from", F.STATUS)))
                    .returningResult(COLUMNS), ROW);
    private static final Statement<UploadStatistics> STATISTICS = Statement.read("fileUploads.statistics",
            select(GET_UPLOAD_STATISTICS.TOTAL_UPLOADS, GET_UPLOAD_STATISTICS.COMPLETED_UPLOADS,
                    GET_UPLOAD_STATISTICS.FAILED_UPLOADS, GET_UPLOAD_STATISTICS.PENDING_UPLOADS,
                    GET_UPLOAD_STATISTICS.AVG_PROCESSING_TIME_MS, GET_UPLOAD_STATISTICS.TOTAL_FILE_SIZE_MB)
                    .from(GET_UPLOAD_STATISTICS.call(param("userId", UUID.class))),
            RowReader.of(List.of(GET_UPLOAD_STATISTICS.TOTAL_UPLOADS, GET_UPLOAD_STATISTICS.COMPLETED_UPLOADS,
                    GET_UPLOAD_STATISTICS.FAILED_UPLOADS, GET_UPLOAD_STATISTICS.PENDING_UPLOADS,
                    GET_UPLOAD_STATISTICS.AVG_PROCESSING_TIME_MS, GET_UPLOAD_STATISTICS.TOTAL_FILE_SIZE_MB),
                    r -> new UploadStatistics(r.count(GET_UPLOAD_STATISTICS.TOTAL_UPLOADS),
                            r.count(GET_UPLOAD_STATISTICS.COMPLETED_UPLOADS),
                            r.count(GET_UPLOAD_STATISTICS.FAILED_UPLOADS),
                            r.count(GET_UPLOAD_STATISTICS.PENDING_UPLOADS),
                            r.get(GET_UPLOAD_STATISTICS.AVG_PROCESSING_TIME_MS),
                            r.get(GET_UPLOAD_STATISTICS.TOTAL_FILE_SIZE_MB))));
    private static final Field<Integer> CLEANED = Routines.cleanupOldFileUploads().as("deleted");
    private static final Statement<Integer> CLEANUP_OLD = Statement.write("fileUploads.cleanupOldUploads",
            select(CLEANED), RowReader.column(CLEANED));

    private static List<Field<UploadStatus>> pipelineLiterals() {
        return IN_PIPELINE.stream().<Field<UploadStatus>>map(s -> inline(s, F.STATUS)).toList();
    }

    private static Condition userFilter(boolean byStatus) {
        Condition c = F.USER_ID.eq(param("userId", UUID.class));
        return byStatus ? c.and(F.STATUS.eq(param("status", F.STATUS))) : c;
    }

    private static Condition inPipeline(boolean ofUser) {
        Condition c = F.STATUS.in(pipelineLiterals());
        return ofUser ? F.USER_ID.eq(param("userId", UUID.class)).and(c) : c;
    }

    private static Statement<FileUpload> list(String name, Condition filter, boolean after) {
        return Statement.read(name, select(COLUMNS).from(F).where(after ? filter.and(Pages.after(F.CREATED_AT, F.ID)) : filter)
                .orderBy(F.CREATED_AT.desc(), F.ID.desc()).limit(param("limit", Integer.class)), ROW);
    }

    private static Statement<Counted<FileUpload>> listByUser(boolean byStatus, boolean after) {
        List<SelectField<?>> columns = new ArrayList<>(COLUMNS);
        columns.add(DSL.field(selectCount().from(F).where(userFilter(byStatus))).as(TOTAL.getName()));
        Condition page = after ? userFilter(byStatus).and(Pages.after(F.CREATED_AT, F.ID)) : userFilter(byStatus);
        return Statement.read("fileUploads.listByUser", select(columns).from(F).where(page)
                        .orderBy(F.CREATED_AT.desc(), F.ID.desc()).limit(param("limit", Integer.class)),
                ROW.with(List.of(TOTAL), r -> new Counted<>(ROW.read(r), r.count(TOTAL))));
    }

    /** The lists' order and cursor: created_at (uploadStartedAt), id, both descending. */
    private static final Function<FileUpload, PageCursor> CURSOR = u -> new PageCursor(u.uploadStartedAt(), u.id());

    private final Database db;

    /** Called by {@code ResumeReviewDb}. */
    public PostgresFileUploadRepository(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    // ---- create -----------------------------------------------------------------------------------

    @Override
    public FileUpload create(NewFileUpload upload) {
        return db.operation("fileUploads.create", () -> {
            Rules.required(ENTITY, upload);
            validate(upload);
            return db.one(CREATE, Binds.of("userId", upload.userId(), "filename", upload.filename(),
                    "originalFilename", upload.originalFilename(), "mimeType", upload.mimeType(),
                    "fileSize", upload.fileSize(), "fileHash", upload.fileHash(),
                    "targetRole", upload.targetRole(), "targetIndustry", upload.targetIndustry(),
                    "experienceLevel", upload.experienceLevel())).orElseThrow();
        });
    }

    /** Statement budget: 1 (one COPY, whatever the number of rows). */
    @Override
    public long createAll(List<NewFileUpload> uploads) {
        return db.operation("fileUploads.createAll", () -> {
            Rules.required("fileUploads", uploads);
            for (int i = 0; i < uploads.size(); i++) {
                NewFileUpload upload = uploads.get(i);
                try {
                    Rules.required(ENTITY, upload);
                    validate(upload);
                } catch (ValidationException e) {
                    // Names are built for the failing row only: 100,000 valid rows allocate none.
                    throw new ValidationException("fileUploads[" + i + "]" + e.field().substring(ENTITY.length()),
                            e.rule(), e.rejectedValue());
                }
            }
            if (uploads.isEmpty()) {
                return 0L;
            }
            return db.copy("fileUploads.createAll", COPY_SQL, in -> copy(in, uploads));
        });
    }

    /** {@code COPY file_uploads (the copied columns) FROM STDIN}, rendered once from the generated names. */
    private static final String COPY_SQL;

    static {
        DSLContext renderer = DSL.using(org.jooq.SQLDialect.POSTGRES, RowMappings.settings());
        COPY_SQL = "COPY " + renderer.render(F) + " (" + COPY_COLUMNS.stream()
                .map(f -> renderer.render(f.getUnqualifiedName())).collect(Collectors.joining(", ")) + ") FROM STDIN";
    }

    private static void copy(CopyIn in, List<NewFileUpload> uploads) throws SQLException {
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

    /** Every rule a new upload must pass, its fields named {@code fileUpload.*}. */
    private static void validate(NewFileUpload u) {
        Rules.required("fileUpload.userId", u.userId());
        Rules.nonBlank("fileUpload.filename", u.filename(), F.FILENAME);
        Rules.nonBlank("fileUpload.originalFilename", u.originalFilename(), F.ORIGINAL_FILENAME);
        Rules.nonBlank("fileUpload.mimeType", u.mimeType(), F.MIME_TYPE);
        Rules.rangeLong("fileUpload.fileSize", u.fileSize(), 1, Integer.MAX_VALUE);
        Rules.sha256Hex("fileUpload.fileHash", u.fileHash());
        Rules.optionalText("fileUpload.targetRole", u.targetRole(), F.TARGET_ROLE);
        Rules.optionalText("fileUpload.targetIndustry", u.targetIndustry(), F.TARGET_INDUSTRY);
    }

    // ---- lookups ----------------------------------------------------------------------------------

    @Override
    public Optional<FileUpload> findById(UUID id) {
        return db.operation("fileUploads.findById", () -> {
            Rules.required("fileUpload.id", id);
            return db.one(FIND_BY_ID, Binds.of("id", id));
        });
    }

    @Override
    public Optional<FileUpload> findByContentHash(UUID userId, String fileHash) {
        return db.operation("fileUploads.findByContentHash", () -> {
            Rules.required("fileUpload.userId", userId);
            Rules.text("fileUpload.fileHash", fileHash, F.FILE_HASH);
            return db.one(FIND_BY_CONTENT_HASH, Binds.of("fileHash", fileHash, "userId", userId));
        });
    }

    @Override
    public Page<FileUpload> listByUser(UUID userId, PageCursor after, int limit) {
        return listByUser(userId, null, after, limit);
    }

    /** Statement budget: 1 (the page with its total); 2 after a cursor past the last row (the total alone, counted on a second checkout). */
    @Override
    public Page<FileUpload> listByUser(UUID userId, UploadStatus status, PageCursor after, int limit) {
        return db.operation("fileUploads.listByUser", () -> {
            Rules.required("fileUpload.userId", userId);
            Rules.pageSize("page.limit", limit);
            Binds filter = status == null ? Binds.of("userId", userId) : Binds.of("userId", userId, "status", status);
            Statement<Counted<FileUpload>> statement = status == null
                    ? (after == null ? LIST_BY_USER : LIST_BY_USER_AFTER)
                    : (after == null ? LIST_BY_USER_STATUS : LIST_BY_USER_STATUS_AFTER);
            return Pages.ofCounted(db.list(statement, Pages.cursor(filter, after).and("limit", limit + 1)), limit,
                    after, CURSOR, () -> db.count(status == null ? COUNT_BY_USER : COUNT_BY_USER_STATUS, filter));
        });
    }

    @Override
    public Page<FileUpload> listInPipeline(UUID userId, PageCursor after, int limit) {
        return db.operation("fileUploads.listInPipeline", () -> {
            Rules.pageSize("page.limit", limit);
            Binds binds = userId == null ? Binds.none() : Binds.of("userId", userId);
            Statement<FileUpload> statement = userId == null ? (after == null ? PIPELINE : PIPELINE_AFTER)
                    : (after == null ? PIPELINE_OF_USER : PIPELINE_OF_USER_AFTER);
            return Pages.of(db.list(statement, Pages.cursor(binds, after).and("limit", limit + 1)), limit, CURSOR,
                    OptionalLong.empty());
        });
    }

    @Override
    public Page<FileUpload> listRecent(PageCursor after, int limit) {
        return db.operation("fileUploads.listRecent", () -> {
            Rules.pageSize("page.limit", limit);
            return Pages.of(db.list(after == null ? RECENT : RECENT_AFTER,
                    Pages.cursor(Binds.none(), after).and("limit", limit + 1)), limit, CURSOR, OptionalLong.empty());
        });
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    @Override
    public FileUpload startValidating(UUID id) {
        return db.operation("fileUploads.startValidating",
                () -> advance(id, UploadStatus.PENDING, UploadStatus.VALIDATING));
    }

    @Override
    public FileUpload startExtracting(UUID id) {
        return db.operation("fileUploads.startExtracting",
                () -> advance(id, UploadStatus.VALIDATING, UploadStatus.EXTRACTING));
    }

    @Override
    public FileUpload advance(UUID id, UploadStatus from, UploadStatus to) {
        return db.operation("fileUploads.advance", () -> {
            Rules.required("fileUpload.id", id);
            checkTransition(from, to);
            if (to == UploadStatus.COMPLETED) {
                return transition(id, from.literal(), ADVANCE_TO_COMPLETED, Binds.of("id", id, "from", from));
            }
            return transition(id, from.literal(), ADVANCE, Binds.of("to", to, "id", id, "from", from));
        });
    }

    @Override
    public FileUpload updateProgress(UUID id, int progress) {
        return db.operation("fileUploads.updateProgress", () -> {
            Rules.required("fileUpload.id", id);
            Rules.range("fileUpload.progress", progress, 0, 100);
            return transition(id, IN_PIPELINE_TEXT, UPDATE_PROGRESS, Binds.of("progress", progress, "id", id));
        });
    }

    @Override
    public FileUpload complete(UUID id, ExtractionResult result) {
        return db.operation("fileUploads.complete", () -> completeExtraction(id, result));
    }

    private FileUpload completeExtraction(UUID id, ExtractionResult result) {
        Rules.required("fileUpload.id", id);
        Rules.required("extractionResult", result);
        Rules.optionalText("fileUpload.extractedText", result.extractedText(), 0);
        ExtractionMetadata m = result.metadata();
        if (m.wordCount() != null) {
            Rules.range("fileUpload.extractionMetadata.wordCount", m.wordCount(), 0, Integer.MAX_VALUE);
        }
        if (m.characterCount() != null) {
            Rules.range("fileUpload.extractionMetadata.characterCount", m.characterCount(), 0, Integer.MAX_VALUE);
        }
        Rules.optionalText("fileUpload.extractionMetadata.extractionMethod", m.extractionMethod(), F.EXTRACTION_METHOD);
        JsonNode sections = storable("fileUpload.extractionMetadata.detectedSections", m.detectedSections());
        int processing = Rules.rangeLong("fileUpload.processingTimeMs", result.processingTimeMs(), 0, Integer.MAX_VALUE);
        int validation = Rules.rangeLong("fileUpload.validationTimeMs", result.validationTimeMs(), 0, Integer.MAX_VALUE);
        int extraction = Rules.rangeLong("fileUpload.extractionTimeMs", result.extractionTimeMs(), 0, Integer.MAX_VALUE);

        return transition(id, UploadStatus.EXTRACTING.literal(), COMPLETE, Binds.of("extractedText",
                result.extractedText(), "wordCount", m.wordCount(), "characterCount", m.characterCount(),
                "extractionMethod", m.extractionMethod(), "detectedSections", sections, "processingTime", processing,
                "validationTime", validation, "extractionTime", extraction, "id", id));
    }

    @Override
    public FileUpload fail(UUID id, String errorMessage) {
        return db.operation("fileUploads.fail", () -> {
            Rules.required("fileUpload.id", id);
            Rules.nonBlank("fileUpload.errorMessage", errorMessage, F.ERROR_MESSAGE);
            return transition(id, IN_PIPELINE_TEXT, FAIL_IN_PIPELINE, Binds.of("errorMessage", errorMessage, "id", id));
        });
    }

    @Override
    public FileUpload fail(UUID id, UploadStatus from, String errorMessage) {
        return db.operation("fileUploads.fail", () -> {
            Rules.required("fileUpload.id", id);
            checkTransition(from, UploadStatus.ERROR);
            Rules.nonBlank("fileUpload.errorMessage", errorMessage, F.ERROR_MESSAGE);
            return transition(id, from.literal(), FAIL_FROM,
                    Binds.of("errorMessage", errorMessage, "id", id, "from", from));
        });
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

    /** One compare-and-set UPDATE; on 0 rows the one helper tells a missing row from a moved one. */
    private FileUpload transition(UUID id, String expected, Statement<FileUpload> update, Binds binds) {
        return db.transition(ENTITY, id, expected, u -> u.status().literal(), update, binds, FIND_BY_ID,
                Binds.of("id", id));
    }

    // ---- functions --------------------------------------------------------------------------------

    @Override
    public UploadStatistics statistics(UUID userId) {
        return db.operation("fileUploads.statistics", () -> {
            Rules.required("fileUpload.userId", userId);
            return statisticsOf(userId);
        });
    }

    @Override
    public UploadStatistics statisticsForAllUsers() {
        return db.operation("fileUploads.statisticsForAllUsers", () -> statisticsOf(null));
    }

    private UploadStatistics statisticsOf(UUID userId) {
        return db.one(STATISTICS, Binds.of("userId", userId)).orElseThrow();
    }

    @Override
    public int cleanupOldUploads() {
        return db.operation("fileUploads.cleanupOldUploads", () -> {
            Integer deleted = db.one(CLEANUP_OLD, Binds.none()).orElse(null);
            return deleted == null ? 0 : deleted;
        });
    }

    // ---- mapping ----------------------------------------------------------------------------------

    /** Checks that jsonb can hold {@code value} (before any SQL); the engine binds it with the one codec. */
    private static JsonNode storable(String field, JsonNode value) {
        if (value != null) {
            storableJson(field, value);
        }
        return value;
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
}
