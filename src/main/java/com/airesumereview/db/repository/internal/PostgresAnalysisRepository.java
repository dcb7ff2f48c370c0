package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.ANALYSIS_REQUESTS;
import static com.airesumereview.db.generated.Tables.ANALYSIS_RESULTS;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.currentInstant;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.insertInto;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.update;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.AnalysisResult;
import com.airesumereview.db.domain.DetailedFeedback;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.ResumeAnalysis;
import com.airesumereview.db.domain.StructureFeedback;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.airesumereview.db.internal.Database;
import com.airesumereview.db.internal.RowReader;
import com.airesumereview.db.internal.Statement;
import com.airesumereview.db.repository.internal.Pages.Counted;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import com.airesumereview.db.repository.AnalysisRepository;

/** The one implementation of {@link AnalysisRepository}: statements built once, run by the engine. */
public final class PostgresAnalysisRepository implements AnalysisRepository {
    /** Largest processing time the integer millisecond column holds, in seconds. */
    public static final double MAX_PROCESSING_SECONDS = Integer.MAX_VALUE / 1000.0;
    private static final Duration MAX_STUCK_FOR = Duration.ofDays(36_500);
    /** How long {@link #claimNextPending} trusts its low-water mark before probing it again. */
    public static final long LOW_WATER_REFRESH_MILLIS = 1_000;
    private static final String ENTITY = "analysisRequest";

    /** The select lists; {@link #REQUEST_ROW} and {@link #RESULT_ROW} read them by position. */
    static final List<SelectField<?>> REQUEST = List.of(ANALYSIS_REQUESTS.ID, ANALYSIS_REQUESTS.USER_ID,
            ANALYSIS_REQUESTS.STATUS, ANALYSIS_REQUESTS.ORIGINAL_FILENAME, ANALYSIS_REQUESTS.FILE_PATH,
            ANALYSIS_REQUESTS.FILE_SIZE_BYTES, ANALYSIS_REQUESTS.MIME_TYPE, ANALYSIS_REQUESTS.TARGET_ROLE,
            ANALYSIS_REQUESTS.TARGET_INDUSTRY, ANALYSIS_REQUESTS.EXPERIENCE_LEVEL, ANALYSIS_REQUESTS.CREATED_AT,
            ANALYSIS_REQUESTS.UPDATED_AT, ANALYSIS_REQUESTS.COMPLETED_AT);
    static final RowReader<AnalysisRequest> REQUEST_ROW = r -> new AnalysisRequest(r.uuid(1), r.uuid(2),
            r.vocabulary(3, AnalysisStatus::fromLiteral), r.string(4), r.string(5), r.integer(6), r.string(7),
            r.string(8), r.string(9), r.vocabulary(10, AnalysisExperienceLevel::fromLiteral), r.instant(11),
            r.instant(12), r.instant(13));
    static final List<SelectField<?>> RESULT = List.of(ANALYSIS_RESULTS.ID, ANALYSIS_RESULTS.REQUEST_ID,
            ANALYSIS_RESULTS.OVERALL_SCORE, ANALYSIS_RESULTS.FORMATTING_SCORE, ANALYSIS_RESULTS.CONTENT_SCORE,
            ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE, ANALYSIS_RESULTS.STRENGTHS, ANALYSIS_RESULTS.WEAKNESSES,
            ANALYSIS_RESULTS.RECOMMENDATIONS, ANALYSIS_RESULTS.DETAILED_FEEDBACK, ANALYSIS_RESULTS.AI_MODEL_USED,
            ANALYSIS_RESULTS.PROCESSING_TIME_MS, ANALYSIS_RESULTS.CREATED_AT);
    static final RowReader<AnalysisResult> RESULT_ROW = r -> {
        Integer ms = r.integer(12);
        JsonNode feedback = r.jsonb(10);
        return new AnalysisResult(r.uuid(1), r.uuid(2), r.integer(3), r.integer(4), r.integer(5), r.integer(6),
                new StructureFeedback(r.textArray(7), r.textArray(8)), r.textArray(9),
                feedback == null ? null : DetailedFeedback.fromJson(feedback), r.string(11),
                ms == null ? null : ms / 1000.0, r.instant(13));
    };

    private static final Field<AnalysisStatus> STATUS = ANALYSIS_REQUESTS.STATUS;
    private static final Field<Instant> CREATED_AT = ANALYSIS_REQUESTS.CREATED_AT;
    private static final Field<UUID> ID = ANALYSIS_REQUESTS.ID;
    private static final Field<UUID> USER_ID = ANALYSIS_REQUESTS.USER_ID;

    private static final Statement<AnalysisRequest> CREATE = Statement.write("analyses.create",
            insertInto(ANALYSIS_REQUESTS, USER_ID, ANALYSIS_REQUESTS.ORIGINAL_FILENAME, ANALYSIS_REQUESTS.FILE_PATH,
                    ANALYSIS_REQUESTS.FILE_SIZE_BYTES, ANALYSIS_REQUESTS.MIME_TYPE, STATUS,
                    ANALYSIS_REQUESTS.TARGET_ROLE, ANALYSIS_REQUESTS.TARGET_INDUSTRY, ANALYSIS_REQUESTS.EXPERIENCE_LEVEL)
                    .values(param("userId", UUID.class), param("originalFilename", String.class),
                            param("filePath", String.class), param("fileSizeBytes", Integer.class),
                            param("mimeType", String.class), inline(AnalysisStatus.PENDING, STATUS),
                            param("targetRole", String.class), param("industry", String.class),
                            param("experienceLevel", ANALYSIS_REQUESTS.EXPERIENCE_LEVEL))
                    .returningResult(REQUEST), REQUEST_ROW);
    /**
     * The low-water probe: the oldest pending created_at. OFFSET 0 keeps min() from becoming a walk of the
     * created_at index past the whole history; idx_analysis_requests_status finds the pending rows.
     */
    private static final Statement<Instant> OLDEST_PENDING;
    /** The claim: a walk of idx_analysis_requests_created_at forward from the low-water mark. */
    private static final Statement<AnalysisRequest> CLAIM = Statement.write("analyses.claimNextPending",
            update(ANALYSIS_REQUESTS)
                    .set(STATUS, inline(AnalysisStatus.PROCESSING, STATUS))
                    .where(ID.eq(select(ID).from(ANALYSIS_REQUESTS)
                            .where(STATUS.eq(inline(AnalysisStatus.PENDING, STATUS)))
                            .and(CREATED_AT.ge(param("lowWater", CREATED_AT)))
                            .orderBy(CREATED_AT)
                            .limit(inline(1))
                            .forUpdate()
                            .skipLocked()))
                    .returningResult(REQUEST), REQUEST_ROW);
    private static final Statement<AnalysisRequest> START_PROCESSING = Statement.write("analyses.startProcessing",
            update(ANALYSIS_REQUESTS)
                    .set(STATUS, inline(AnalysisStatus.PROCESSING, STATUS))
                    .where(ID.eq(param("id", UUID.class)))
                    .and(STATUS.eq(inline(AnalysisStatus.PENDING, STATUS)))
                    .returningResult(REQUEST), REQUEST_ROW);
    private static final Statement<Void> REQUEUE_STUCK = Statement.write("analyses.requeueStuck",
            update(ANALYSIS_REQUESTS)
                    .set(STATUS, inline(AnalysisStatus.PENDING, STATUS))
                    .where(STATUS.eq(inline(AnalysisStatus.PROCESSING, STATUS)))
                    // The database clock, as before; the interval is bound (Database binds a Duration as interval).
                    .and(ANALYSIS_REQUESTS.UPDATED_AT.lt(DSL.field("({0} - cast({1} as interval))",
                            Instant.class, currentInstant(), param("stuckFor", Object.class)))));
    private static final Statement<AnalysisRequest> COMPLETE_REQUEST = Statement.write("analyses.complete",
            update(ANALYSIS_REQUESTS)
                    .set(STATUS, inline(AnalysisStatus.COMPLETED, STATUS))
                    .set(ANALYSIS_REQUESTS.COMPLETED_AT, currentInstant())
                    .where(ID.eq(param("id", UUID.class)))
                    .and(STATUS.eq(inline(AnalysisStatus.PROCESSING, STATUS)))
                    .returningResult(REQUEST), REQUEST_ROW);
    private static final Statement<AnalysisResult> INSERT_RESULT = Statement.write("analyses.complete",
            insertInto(ANALYSIS_RESULTS, ANALYSIS_RESULTS.REQUEST_ID, ANALYSIS_RESULTS.OVERALL_SCORE,
                    ANALYSIS_RESULTS.FORMATTING_SCORE, ANALYSIS_RESULTS.CONTENT_SCORE,
                    ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE, ANALYSIS_RESULTS.STRENGTHS, ANALYSIS_RESULTS.WEAKNESSES,
                    ANALYSIS_RESULTS.RECOMMENDATIONS, ANALYSIS_RESULTS.DETAILED_FEEDBACK, ANALYSIS_RESULTS.AI_MODEL_USED,
                    ANALYSIS_RESULTS.PROCESSING_TIME_MS)
                    .values(param("requestId", UUID.class), param("overallScore", Integer.class),
                            param("formattingScore", Integer.class), param("contentScore", Integer.class),
                            param("keywordOptimizationScore", Integer.class),
                            param("strengths", ANALYSIS_RESULTS.STRENGTHS),
                            param("weaknesses", ANALYSIS_RESULTS.WEAKNESSES),
                            param("recommendations", ANALYSIS_RESULTS.RECOMMENDATIONS),
                            param("detailedFeedback", ANALYSIS_RESULTS.DETAILED_FEEDBACK),
                            param("aiModelUsed", String.class), param("processingTimeMs", Integer.class))
                    .returningResult(RESULT), RESULT_ROW);
    private static final Statement<AnalysisRequest> FAIL = Statement.write("analyses.fail",
            update(ANALYSIS_REQUESTS)
                    .set(STATUS, inline(AnalysisStatus.FAILED, STATUS))
                    .where(ID.eq(param("id", UUID.class)))
                    .and(STATUS.in(inline(AnalysisStatus.PENDING, STATUS), inline(AnalysisStatus.PROCESSING, STATUS)))
                    .returningResult(REQUEST), REQUEST_ROW);
    private static final Statement<AnalysisRequest> FIND_REQUEST = Statement.read("analyses.find",
            select(REQUEST).from(ANALYSIS_REQUESTS).where(ID.eq(param("id", UUID.class))), REQUEST_ROW);
    private static final Statement<AnalysisResult> FIND_RESULT = Statement.read("analyses.find",
            select(RESULT).from(ANALYSIS_RESULTS)
                    .where(ANALYSIS_RESULTS.REQUEST_ID.eq(param("requestId", UUID.class)))
                    .orderBy(ANALYSIS_RESULTS.CREATED_AT.desc(), ANALYSIS_RESULTS.ID.desc())
                    .limit(inline(1)), RESULT_ROW);
    /** listByUser: [status filter][after a cursor]; binds: total's (userId[, status]), then the page's. */
    private static final Statement<Counted<AnalysisRequest>> LIST_ALL = listByUser(false, false);
    private static final Statement<Counted<AnalysisRequest>> LIST_ALL_AFTER = listByUser(false, true);
    private static final Statement<Counted<AnalysisRequest>> LIST_STATUS = listByUser(true, false);
    private static final Statement<Counted<AnalysisRequest>> LIST_STATUS_AFTER = listByUser(true, true);
    private static final Statement<Long> COUNT_ALL = Statement.read("analyses.listByUser",
            select(count()).from(ANALYSIS_REQUESTS).where(userFilter(false)), r -> r.longValue(1));
    private static final Statement<Long> COUNT_STATUS = Statement.read("analyses.listByUser",
            select(count()).from(ANALYSIS_REQUESTS).where(userFilter(true)), r -> r.longValue(1));
    private static final Statement<Map.Entry<AnalysisStatus, Long>> COUNT_BY_STATUS = Statement.read(
            "analyses.countByStatus",
            select(STATUS, count()).from(ANALYSIS_REQUESTS).where(USER_ID.eq(param("userId", UUID.class)))
                    .groupBy(STATUS),
            r -> Map.entry(r.vocabulary(1, AnalysisStatus::fromLiteral), r.longValue(2)));

    static {
        Table<?> pending = select(CREATED_AT).from(ANALYSIS_REQUESTS)
                .where(STATUS.eq(inline(AnalysisStatus.PENDING, STATUS)))
                .offset(inline(0))
                .asTable("pending");
        OLDEST_PENDING = Statement.read("analyses.claimNextPending",
                select(min(pending.field(CREATED_AT))).from(pending), r -> r.instant(1));
    }

    private static Condition userFilter(boolean byStatus) {
        Condition c = USER_ID.eq(param("userId", UUID.class));
        return byStatus ? c.and(STATUS.eq(param("status", STATUS))) : c;
    }

    private static Statement<Counted<AnalysisRequest>> listByUser(boolean byStatus, boolean after) {
        Condition page = userFilter(byStatus);
        if (after) {
            page = page.and(row(CREATED_AT, ID).lt(param("afterCreatedAt", CREATED_AT), param("afterId", UUID.class)));
        }
        List<SelectField<?>> columns = new ArrayList<>(REQUEST);
        columns.add(DSL.field(selectCount().from(ANALYSIS_REQUESTS).where(userFilter(byStatus))).as("total"));
        return Statement.read("analyses.listByUser",
                select(columns).from(ANALYSIS_REQUESTS).where(page)
                        .orderBy(CREATED_AT.desc(), ID.desc())
                        .limit(param("limit", Integer.class)),
                r -> new Counted<>(REQUEST_ROW.read(r), r.longValue(REQUEST.size() + 1)));
    }

    private final Database db;
    private final long refreshNanos;
    /** The queue's low-water mark, shared by this repository's workers (see {@link #claimNextPending}). */
    private final AtomicReference<LowWater> lowWater = new AtomicReference<>(LowWater.UNKNOWN);

    /** Called by {@code ResumeReviewDb}. */
    public PostgresAnalysisRepository(Database db) {
        this.db = db;
        this.refreshNanos = Duration.ofMillis(LOW_WATER_REFRESH_MILLIS).toNanos();
    }

    // ---- requests -------------------------------------------------------------------------------

    @Override
    public AnalysisRequest create(NewAnalysisRequest request) {
        Rules.required("analysisRequest", request);
        Rules.required("analysisRequest.userId", request.userId());
        Rules.text("analysisRequest.originalFilename", request.originalFilename(), 255);
        Rules.text("analysisRequest.filePath", request.filePath(), 500);
        int size = Rules.range("analysisRequest.fileSizeBytes", request.fileSizeBytes(), 0, Integer.MAX_VALUE);
        Rules.text("analysisRequest.mimeType", request.mimeType(), 100);
        Rules.optionalText("analysisRequest.targetRole", request.targetRole(), 255);
        Rules.optionalText("analysisRequest.industry", request.industry(), 255);

        AnalysisRequest created = db.one(CREATE, request.userId(), request.originalFilename(), request.filePath(),
                size, request.mimeType(), request.targetRole(), request.industry(),
                request.experienceLevel() == null ? null : request.experienceLevel().literal()).orElseThrow();
        // Inside a long transaction created_at (the transaction's start) may lie below the queue's mark.
        lowerMark(created.createdAt());
        return created;
    }

    @Override
    public Optional<AnalysisRequest> claimNextPending() {
        LowWater seen = lowWater.get();
        boolean fresh = seen.isStale(refreshNanos);
        Instant bound = fresh ? probe(seen) : seen.bound();
        if (bound == null) {
            return Optional.empty();
        }
        Optional<AnalysisRequest> claimed = db.one(CLAIM, bound);
        if (claimed.isEmpty() && !fresh) {
            // Nothing at or above the mark: something may have become pending below it; ask before saying "empty".
            bound = probe(lowWater.get());
            claimed = bound == null ? Optional.empty() : db.one(CLAIM, bound);
        }
        claimed.ifPresent(request -> lowWater.getAndUpdate(w -> w.raisedTo(request.createdAt())));
        return claimed;
    }

    /** Probes the oldest pending {@code created_at} (null: none pending) and keeps it as the mark unless it moved. */
    private Instant probe(LowWater seen) {
        // On the primary: a replica's older snapshot could miss a request that was just requeued.
        Instant bound = db.oneOnPrimary(OLDEST_PENDING).orElse(null);
        lowWater.compareAndSet(seen, new LowWater(bound, System.nanoTime()));
        return bound;
    }

    /** Lowers the mark to {@code createdAt} (a request this repository made pending), or drops it when null. */
    private void lowerMark(Instant createdAt) {
        lowWater.getAndUpdate(w -> w.loweredTo(createdAt));
    }

    /**
     * The low-water mark of the queue: no pending request has a {@code created_at} below {@code bound}, except
     * ones that became pending below it since {@code probedAt} (requeued, rolled back or committed late by
     * another process). A null bound means "probe before the next claim". Immutable, swapped atomically.
     */
    private record LowWater(Instant bound, long probedAt) {
        static final LowWater UNKNOWN = new LowWater(null, 0);

        boolean isStale(long refreshNanos) {
            return bound == null || System.nanoTime() - probedAt >= refreshNanos;
        }

        LowWater raisedTo(Instant createdAt) {
            return bound != null && createdAt.isAfter(bound) ? new LowWater(createdAt, probedAt) : this;
        }

        LowWater loweredTo(Instant createdAt) {
            if (createdAt == null) {
                return new LowWater(null, probedAt);
            }
            return bound != null && createdAt.isBefore(bound) ? new LowWater(createdAt, probedAt) : this;
        }
    }

    @Override
    public AnalysisRequest startProcessing(UUID requestId) {
        Rules.required("analysisRequest.id", requestId);
        return db.transition(ENTITY, requestId, "pending", r -> r.status().literal(), START_PROCESSING,
                FIND_REQUEST, requestId);
    }

    @Override
    public int requeueStuck(Duration stuckFor) {
        Rules.required("stuckFor", stuckFor);
        if (stuckFor.isNegative() || stuckFor.compareTo(MAX_STUCK_FOR) > 0) {
            throw new ValidationException("stuckFor", "must be between 0 and 36500 days", stuckFor.toString());
        }
        int requeued = db.execute(REQUEUE_STUCK, stuckFor);
        if (requeued > 0) {
            lowerMark(null); // requeued requests keep their old created_at: probe again before the next claim
        }
        return requeued;
    }

    @Override
    public ResumeAnalysis complete(UUID requestId, NewAnalysisResult result) {
        Rules.required("analysisResult.requestId", requestId);
        ResultRow row = validate(result);
        return db.atomically(() -> {
            AnalysisRequest completed = db.transition(ENTITY, requestId, "processing", r -> r.status().literal(),
                    COMPLETE_REQUEST, FIND_REQUEST, requestId);
            AnalysisResult stored = db.one(INSERT_RESULT, requestId, result.overallScore(), result.formattingScore(),
                    result.contentScore(), result.keywordOptimizationScore(), row.strengths(), row.weaknesses(),
                    row.recommendations(), row.detailedFeedback(), result.aiModelVersion(), row.processingTimeMs())
                    .orElseThrow();
            return new ResumeAnalysis(completed, Optional.of(stored));
        });
    }

    @Override
    public AnalysisRequest fail(UUID requestId) {
        Rules.required("analysisRequest.id", requestId);
        return db.transition(ENTITY, requestId, "pending or processing", r -> r.status().literal(), FAIL,
                FIND_REQUEST, requestId);
    }

    @Override
    public Optional<ResumeAnalysis> find(UUID requestId) {
        Rules.required("analysisRequest.id", requestId);
        return db.atomically(() -> db.one(FIND_REQUEST, requestId)
                .map(request -> new ResumeAnalysis(request, db.one(FIND_RESULT, requestId))));
    }

    @Override
    public Page<AnalysisRequest> listByUser(UUID userId, AnalysisStatus status, PageCursor after, int limit) {
        Rules.required("analysisRequest.userId", userId);
        Rules.pageSize("page.limit", limit);
        List<Object> binds = new ArrayList<>();
        binds.add(userId);                           // the total's filter
        if (status != null) {
            binds.add(status.literal());
        }
        binds.add(userId);                           // the page's filter
        if (status != null) {
            binds.add(status.literal());
        }
        if (after != null) {
            binds.add(cursorInstant("page.after.createdAt", after.createdAt()));
            binds.add(after.id());
        }
        binds.add(limit + 1);                        // one more row says whether a next page exists
        Statement<Counted<AnalysisRequest>> statement = status == null
                ? (after == null ? LIST_ALL : LIST_ALL_AFTER)
                : (after == null ? LIST_STATUS : LIST_STATUS_AFTER);
        return Pages.ofCounted(db.list(statement, binds.toArray()), limit, after,
                r -> new PageCursor(r.createdAt(), r.id()),
                () -> status == null ? db.count(COUNT_ALL, userId) : db.count(COUNT_STATUS, userId, status.literal()));
    }

    @Override
    public Map<AnalysisStatus, Long> countByStatus(UUID userId) {
        Rules.required("analysisRequest.userId", userId);
        Map<AnalysisStatus, Long> counts = new EnumMap<>(AnalysisStatus.class);
        for (AnalysisStatus status : AnalysisStatus.values()) {
            counts.put(status, 0L);
        }
        for (Map.Entry<AnalysisStatus, Long> e : db.list(COUNT_BY_STATUS, userId)) {
            counts.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(counts);
    }

    // ---- validation -------------------------------------------------------------------------------

    /** The column values of a valid result. */
    private record ResultRow(String[] strengths, String[] weaknesses, String[] recommendations,
            JsonNode detailedFeedback, Integer processingTimeMs) {
    }

    private static ResultRow validate(NewAnalysisResult result) {
        Rules.required("analysisResult", result);
        Rules.optionalRange("analysisResult.overallScore", result.overallScore(), 0, 100);
        Rules.optionalRange("analysisResult.formattingScore", result.formattingScore(), 0, 100);
        Rules.optionalRange("analysisResult.contentScore", result.contentScore(), 0, 100);
        Rules.optionalRange("analysisResult.keywordOptimizationScore", result.keywordOptimizationScore(), 0, 100);
        Rules.text("analysisResult.aiModelVersion", result.aiModelVersion(), 100);
        StructureFeedback structure = result.structureFeedback();
        String[] strengths = null;
        String[] weaknesses = null;
        if (structure != null) {
            strengths = array("analysisResult.structureFeedback.strengths", structure.strengths());
            weaknesses = array("analysisResult.structureFeedback.weaknesses", structure.weaknesses());
        }
        String[] appeal = array("analysisResult.appealFeedback", result.appealFeedback());
        String[] improvements = array("analysisResult.improvementSuggestions", result.improvementSuggestions());
        String[] recommendations = null;
        if (appeal != null || improvements != null) {
            List<String> all = new ArrayList<>();
            if (appeal != null) {
                all.addAll(Arrays.asList(appeal));
            }
            if (improvements != null) {
                all.addAll(Arrays.asList(improvements));
            }
            recommendations = all.toArray(new String[0]);
        }
        return new ResultRow(strengths, weaknesses, recommendations,
                json("analysisResult.detailedFeedback", result.detailedFeedback()),
                milliseconds("analysisResult.processingTimeSeconds", result.processingTimeSeconds()));
    }

    /** Seconds to whole milliseconds ({@code round(seconds * 1000)}), refusing what the int column cannot hold. */
    static Integer milliseconds(String field, Double seconds) {
        if (seconds == null) {
            return null;
        }
        if (!Double.isFinite(seconds) || seconds < 0) {
            throw new ValidationException(field, "must be a finite number of seconds >= 0", String.valueOf(seconds));
        }
        long ms = Math.round(seconds * 1000);
        if (ms > Integer.MAX_VALUE) {
            throw new ValidationException(field, "must be at most " + MAX_PROCESSING_SECONDS
                    + " seconds (stored as integer milliseconds)", String.valueOf(seconds));
        }
        return (int) ms;
    }

    private static String[] array(String field, List<String> values) {
        if (values == null) {
            return null;
        }
        Rules.textElements(field, values);
        return values.toArray(new String[0]);
    }

    private static JsonNode json(String field, DetailedFeedback feedback) {
        if (feedback == null) {
            return null;
        }
        JsonNode raw = feedback.raw();
        storableJson(field, raw);
        return raw;
    }

    /** jsonb cannot hold NUL in strings, lone surrogates, NaN or infinities: refuse them before any SQL. */
    private static void storableJson(String path, JsonNode node) {
        if (node.isTextual()) {
            Rules.optionalText(path, node.textValue(), 0);
        } else if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new ValidationException(path, "JSON numbers must be finite", node.toString());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                Rules.optionalText(path + " (key)", entry.getKey(), 0);
                storableJson(path + "." + entry.getKey(), entry.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                storableJson(path + "[" + i + "]", node.get(i));
            }
        }
    }

    /** A cursor's instant: {@link Instant#MAX}/{@link Instant#MIN} (infinity) or one timestamptz can hold. */
    static Instant cursorInstant(String field, Instant value) {
        Rules.required(field, value);
        return value.equals(Instant.MAX) || value.equals(Instant.MIN) ? value : Rules.instant(field, value);
    }
}
