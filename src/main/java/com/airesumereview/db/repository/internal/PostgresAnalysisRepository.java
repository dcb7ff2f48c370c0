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
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.StaleStateException;
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
import com.airesumereview.db.internal.Binds;
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
import org.jooq.CommonTableExpression;
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

    /** The select lists {@link #REQUEST_ROW} and {@link #RESULT_ROW} read. */
    static final List<SelectField<?>> REQUEST = List.of(ANALYSIS_REQUESTS.ID, ANALYSIS_REQUESTS.USER_ID,
            ANALYSIS_REQUESTS.STATUS, ANALYSIS_REQUESTS.ORIGINAL_FILENAME, ANALYSIS_REQUESTS.FILE_PATH,
            ANALYSIS_REQUESTS.FILE_SIZE_BYTES, ANALYSIS_REQUESTS.MIME_TYPE, ANALYSIS_REQUESTS.TARGET_ROLE,
            ANALYSIS_REQUESTS.TARGET_INDUSTRY, ANALYSIS_REQUESTS.EXPERIENCE_LEVEL, ANALYSIS_REQUESTS.CREATED_AT,
            ANALYSIS_REQUESTS.UPDATED_AT, ANALYSIS_REQUESTS.COMPLETED_AT);
    static final RowReader<AnalysisRequest> REQUEST_ROW = RowReader.of(REQUEST, r -> new AnalysisRequest(
            r.get(ANALYSIS_REQUESTS.ID), r.get(ANALYSIS_REQUESTS.USER_ID), r.get(ANALYSIS_REQUESTS.STATUS),
            r.get(ANALYSIS_REQUESTS.ORIGINAL_FILENAME), r.get(ANALYSIS_REQUESTS.FILE_PATH),
            r.get(ANALYSIS_REQUESTS.FILE_SIZE_BYTES), r.get(ANALYSIS_REQUESTS.MIME_TYPE),
            r.get(ANALYSIS_REQUESTS.TARGET_ROLE), r.get(ANALYSIS_REQUESTS.TARGET_INDUSTRY),
            r.get(ANALYSIS_REQUESTS.EXPERIENCE_LEVEL), r.get(ANALYSIS_REQUESTS.CREATED_AT),
            r.get(ANALYSIS_REQUESTS.UPDATED_AT), r.get(ANALYSIS_REQUESTS.COMPLETED_AT)));
    static final List<SelectField<?>> RESULT = List.of(ANALYSIS_RESULTS.ID, ANALYSIS_RESULTS.REQUEST_ID,
            ANALYSIS_RESULTS.OVERALL_SCORE, ANALYSIS_RESULTS.FORMATTING_SCORE, ANALYSIS_RESULTS.CONTENT_SCORE,
            ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE, ANALYSIS_RESULTS.STRENGTHS, ANALYSIS_RESULTS.WEAKNESSES,
            ANALYSIS_RESULTS.RECOMMENDATIONS, ANALYSIS_RESULTS.DETAILED_FEEDBACK, ANALYSIS_RESULTS.AI_MODEL_USED,
            ANALYSIS_RESULTS.PROCESSING_TIME_MS, ANALYSIS_RESULTS.CREATED_AT);
    static final RowReader<AnalysisResult> RESULT_ROW = RowReader.of(RESULT, r -> {
        Integer ms = r.get(ANALYSIS_RESULTS.PROCESSING_TIME_MS);
        JsonNode feedback = r.json(ANALYSIS_RESULTS.DETAILED_FEEDBACK);
        return new AnalysisResult(r.get(ANALYSIS_RESULTS.ID), r.get(ANALYSIS_RESULTS.REQUEST_ID),
                r.get(ANALYSIS_RESULTS.OVERALL_SCORE), r.get(ANALYSIS_RESULTS.FORMATTING_SCORE),
                r.get(ANALYSIS_RESULTS.CONTENT_SCORE), r.get(ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE),
                new StructureFeedback(r.get(ANALYSIS_RESULTS.STRENGTHS), r.get(ANALYSIS_RESULTS.WEAKNESSES)),
                r.get(ANALYSIS_RESULTS.RECOMMENDATIONS),
                feedback == null ? null : DetailedFeedback.fromJson(feedback), r.get(ANALYSIS_RESULTS.AI_MODEL_USED),
                ms == null ? null : ms / 1000.0, r.get(ANALYSIS_RESULTS.CREATED_AT));
    });

    private static final Field<AnalysisStatus> STATUS = ANALYSIS_REQUESTS.STATUS;
    private static final Field<Instant> CREATED_AT = ANALYSIS_REQUESTS.CREATED_AT;
    private static final Field<UUID> ID = ANALYSIS_REQUESTS.ID;
    private static final Field<UUID> USER_ID = ANALYSIS_REQUESTS.USER_ID;
    /** A list row's total, counted in the same statement. */
    private static final Field<Integer> TOTAL = DSL.field(DSL.name("total"), Integer.class);

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
                    .and(ANALYSIS_REQUESTS.UPDATED_AT.lt(currentInstant().minus(
                            param("stuckFor", org.jooq.types.DayToSecond.class)))));
    /** How a completion ended: completed with its stored result, or not (the request as it is, if it exists). */
    private record Completion(boolean completed, AnalysisRequest request, AnalysisResult result) {
    }

    /**
     * A completion in one statement: {@code completed} is the compare-and-set (processing to completed; the
     * updated_at trigger stamps the row), {@code stored} inserts the result only for a row it completed, and the
     * outer select returns both, or, when nothing was completed, the request as it is (for the stale-state message).
     */
    private static final Statement<Completion> COMPLETE;
    private static final Field<Boolean> COMPLETED = DSL.field(DSL.name("completed"), Boolean.class);

    static {
        Field<UUID> id = param("id", UUID.class);
        CommonTableExpression<?> completed = DSL.name("completed_request").as(update(ANALYSIS_REQUESTS)
                .set(STATUS, inline(AnalysisStatus.COMPLETED, STATUS))
                .set(ANALYSIS_REQUESTS.COMPLETED_AT, currentInstant())
                .where(ID.eq(id))
                .and(STATUS.eq(inline(AnalysisStatus.PROCESSING, STATUS)))
                .returningResult(REQUEST));
        CommonTableExpression<?> stored = DSL.name("stored_result").as(insertInto(ANALYSIS_RESULTS,
                        ANALYSIS_RESULTS.REQUEST_ID, ANALYSIS_RESULTS.OVERALL_SCORE,
                        ANALYSIS_RESULTS.FORMATTING_SCORE, ANALYSIS_RESULTS.CONTENT_SCORE,
                        ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE, ANALYSIS_RESULTS.STRENGTHS,
                        ANALYSIS_RESULTS.WEAKNESSES, ANALYSIS_RESULTS.RECOMMENDATIONS,
                        ANALYSIS_RESULTS.DETAILED_FEEDBACK, ANALYSIS_RESULTS.AI_MODEL_USED,
                        ANALYSIS_RESULTS.PROCESSING_TIME_MS)
                .select(select(completed.field(ID.getName(), UUID.class), param("overallScore", Integer.class),
                        param("formattingScore", Integer.class), param("contentScore", Integer.class),
                        param("keywordOptimizationScore", Integer.class),
                        param("strengths", ANALYSIS_RESULTS.STRENGTHS),
                        param("weaknesses", ANALYSIS_RESULTS.WEAKNESSES),
                        param("recommendations", ANALYSIS_RESULTS.RECOMMENDATIONS),
                        param("detailedFeedback", ANALYSIS_RESULTS.DETAILED_FEEDBACK),
                        param("aiModelUsed", String.class), param("processingTimeMs", Integer.class))
                        .from(completed))
                .returningResult(RESULT));
        // Request columns keep their names; result columns are prefixed, so the two readers never meet.
        List<SelectField<?>> done = new ArrayList<>();
        List<SelectField<?>> notDone = new ArrayList<>();
        for (SelectField<?> c : REQUEST) {
            done.add(completed.field(c.getName()).as(c.getName()));
            notDone.add(((Field<?>) c).as(c.getName()));
        }
        for (SelectField<?> c : RESULT) {
            done.add(stored.field(c.getName()).as("result_" + c.getName()));
            notDone.add(DSL.castNull((Field<?>) c).as("result_" + c.getName()));
        }
        done.add(inline(true).as(COMPLETED.getName()));
        notDone.add(inline(false).as(COMPLETED.getName()));
        List<Field<?>> read = new ArrayList<>();
        for (SelectField<?> c : REQUEST) {
            read.add(DSL.field(DSL.name(c.getName()), c.getDataType()));
        }
        for (SelectField<?> c : RESULT) {
            read.add(DSL.field(DSL.name("result_" + c.getName()), c.getDataType()));
        }
        read.add(COMPLETED);
        COMPLETE = Statement.write("analyses.complete",
                DSL.with(completed, stored).select(done).from(completed).crossJoin(stored)
                        .unionAll(select(notDone).from(ANALYSIS_REQUESTS).where(ID.eq(param("id", UUID.class)))
                                .andNotExists(DSL.selectOne().from(completed))),
                RowReader.of(read, r -> Boolean.TRUE.equals(r.get(COMPLETED))
                        ? new Completion(true, REQUEST_ROW.read(r), RESULT_ROW.read(r.prefixed("result_")))
                        : new Completion(false, REQUEST_ROW.read(r), null)));
    }

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
    /** listByUser: [status filter][after a cursor], each row carrying the total. */
    private static final Statement<Counted<AnalysisRequest>> LIST_ALL = listByUser(false, false);
    private static final Statement<Counted<AnalysisRequest>> LIST_ALL_AFTER = listByUser(false, true);
    private static final Statement<Counted<AnalysisRequest>> LIST_STATUS = listByUser(true, false);
    private static final Statement<Counted<AnalysisRequest>> LIST_STATUS_AFTER = listByUser(true, true);
    private static final Field<Integer> N = count();
    private static final Statement<Integer> COUNT_ALL = Statement.read("analyses.listByUser",
            select(N).from(ANALYSIS_REQUESTS).where(userFilter(false)), RowReader.column(N));
    private static final Statement<Integer> COUNT_STATUS = Statement.read("analyses.listByUser",
            select(N).from(ANALYSIS_REQUESTS).where(userFilter(true)), RowReader.column(N));
    private static final Statement<Map.Entry<AnalysisStatus, Long>> COUNT_BY_STATUS = Statement.read(
            "analyses.countByStatus",
            select(STATUS, N).from(ANALYSIS_REQUESTS).where(USER_ID.eq(param("userId", UUID.class)))
                    .groupBy(STATUS),
            RowReader.of(List.of(STATUS, N), r -> Map.entry(r.get(STATUS), r.count(N))));


    static {
        Table<?> pending = select(CREATED_AT).from(ANALYSIS_REQUESTS)
                .where(STATUS.eq(inline(AnalysisStatus.PENDING, STATUS)))
                .offset(inline(0))
                .asTable("pending");
        Field<Instant> oldest = min(pending.field(CREATED_AT)).as("oldest");
        OLDEST_PENDING = Statement.read("analyses.claimNextPending",
                select(oldest).from(pending), RowReader.column(oldest));
    }

    private static Condition userFilter(boolean byStatus) {
        Condition c = USER_ID.eq(param("userId", UUID.class));
        return byStatus ? c.and(STATUS.eq(param("status", STATUS))) : c;
    }

    private static Statement<Counted<AnalysisRequest>> listByUser(boolean byStatus, boolean after) {
        Condition page = userFilter(byStatus);
        if (after) {
            page = page.and(Pages.after(CREATED_AT, ID));
        }
        List<SelectField<?>> columns = new ArrayList<>(REQUEST);
        columns.add(DSL.field(selectCount().from(ANALYSIS_REQUESTS).where(userFilter(byStatus))).as(TOTAL.getName()));
        return Statement.read("analyses.listByUser",
                select(columns).from(ANALYSIS_REQUESTS).where(page)
                        .orderBy(CREATED_AT.desc(), ID.desc())
                        .limit(param("limit", Integer.class)),
                REQUEST_ROW.with(List.of(TOTAL), r -> new Counted<>(REQUEST_ROW.read(r), r.count(TOTAL))));
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
        return db.operation("analyses.create", () -> {
            Rules.required("analysisRequest", request);
            Rules.required("analysisRequest.userId", request.userId());
            Rules.text("analysisRequest.originalFilename", request.originalFilename(), ANALYSIS_REQUESTS.ORIGINAL_FILENAME);
            Rules.text("analysisRequest.filePath", request.filePath(), ANALYSIS_REQUESTS.FILE_PATH);
            int size = Rules.range("analysisRequest.fileSizeBytes", request.fileSizeBytes(), 0, Integer.MAX_VALUE);
            Rules.text("analysisRequest.mimeType", request.mimeType(), ANALYSIS_REQUESTS.MIME_TYPE);
            Rules.optionalText("analysisRequest.targetRole", request.targetRole(), ANALYSIS_REQUESTS.TARGET_ROLE);
            Rules.optionalText("analysisRequest.industry", request.industry(), ANALYSIS_REQUESTS.TARGET_INDUSTRY);
            return created(db.one(CREATE, Binds.of("userId", request.userId(),
                    "originalFilename", request.originalFilename(), "filePath", request.filePath(),
                    "fileSizeBytes", size, "mimeType", request.mimeType(), "targetRole", request.targetRole(),
                    "industry", request.industry(), "experienceLevel", request.experienceLevel())).orElseThrow());
        });
    }

    private AnalysisRequest created(AnalysisRequest created) {
        // Inside a long transaction created_at (the transaction's start) may lie below the queue's mark.
        lowerMark(created.createdAt());
        return created;
    }

    /** Statement budget: 1 in steady state; 2 when the low-water mark is probed first, 3 when it then moved. */
    @Override
    public Optional<AnalysisRequest> claimNextPending() {
        return db.operation("analyses.claimNextPending", this::claim);
    }

    private Optional<AnalysisRequest> claim() {
        LowWater seen = lowWater.get();
        boolean fresh = seen.isStale(refreshNanos);
        Instant bound = fresh ? probe(seen) : seen.bound();
        if (bound == null) {
            return Optional.empty();
        }
        Optional<AnalysisRequest> claimed = db.one(CLAIM, Binds.of("lowWater", bound));
        if (claimed.isEmpty() && !fresh) {
            // Nothing at or above the mark: something may have become pending below it; ask before saying "empty".
            bound = probe(lowWater.get());
            claimed = bound == null ? Optional.empty() : db.one(CLAIM, Binds.of("lowWater", bound));
        }
        claimed.ifPresent(request -> lowWater.getAndUpdate(w -> w.raisedTo(request.createdAt())));
        return claimed;
    }

    /** Probes the oldest pending {@code created_at} (null: none pending) and keeps it as the mark unless it moved. */
    private Instant probe(LowWater seen) {
        // On the primary: a replica's older snapshot could miss a request that was just requeued.
        Instant bound = db.oneOnPrimary(OLDEST_PENDING, Binds.none()).orElse(null);
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
        return db.operation("analyses.startProcessing", () -> {
            Rules.required("analysisRequest.id", requestId);
            return transition(requestId, "pending", START_PROCESSING, Binds.of("id", requestId));
        });
    }

    @Override
    public int requeueStuck(Duration stuckFor) {
        return db.operation("analyses.requeueStuck", () -> {
            Rules.required("stuckFor", stuckFor);
            if (stuckFor.isNegative() || stuckFor.compareTo(MAX_STUCK_FOR) > 0) {
                throw new ValidationException("stuckFor", "must be between 0 and 36500 days", stuckFor.toString());
            }
            int requeued = db.execute(REQUEUE_STUCK, Binds.of("stuckFor", stuckFor));
            if (requeued > 0) {
                lowerMark(null); // requeued requests keep their old created_at: probe again before the next claim
            }
            return requeued;
        });
    }

    /** Statement budget: 1 (compare-and-set, result insert and, on failure, the request as it is: one CTE). */
    @Override
    public ResumeAnalysis complete(UUID requestId, NewAnalysisResult result) {
        return db.operation("analyses.complete", () -> {
            Rules.required("analysisResult.requestId", requestId);
            ResultRow row = validate(result);
            Optional<Completion> outcome = db.one(COMPLETE, Binds.of("id", requestId,
                    "overallScore", result.overallScore(), "formattingScore", result.formattingScore(),
                    "contentScore", result.contentScore(), "keywordOptimizationScore", result.keywordOptimizationScore(),
                    "strengths", row.strengths(), "weaknesses", row.weaknesses(),
                    "recommendations", row.recommendations(), "detailedFeedback", row.detailedFeedback(),
                    "aiModelUsed", result.aiModelVersion(), "processingTimeMs", row.processingTimeMs()));
            Completion c = outcome.orElseThrow(() -> new NotFoundException(ENTITY, requestId.toString()));
            if (!c.completed()) {
                throw new StaleStateException(ENTITY, requestId.toString(), "processing",
                        c.request().status().literal());
            }
            return new ResumeAnalysis(c.request(), Optional.of(c.result()));
        });
    }

    @Override
    public AnalysisRequest fail(UUID requestId) {
        return db.operation("analyses.fail", () -> {
            Rules.required("analysisRequest.id", requestId);
            return transition(requestId, "pending or processing", FAIL, Binds.of("id", requestId));
        });
    }

    private AnalysisRequest transition(UUID id, String expected, Statement<AnalysisRequest> update, Binds binds) {
        return db.transition(ENTITY, id, expected, r -> r.status().literal(), update, binds, FIND_REQUEST,
                Binds.of("id", id));
    }

    /** Statement budget: 2 (the request, then its latest result), in one transaction. */
    @Override
    public Optional<ResumeAnalysis> find(UUID requestId) {
        return db.operation("analyses.find", () -> {
            Rules.required("analysisRequest.id", requestId);
            return db.atomically(() -> db.one(FIND_REQUEST, Binds.of("id", requestId))
                    .map(request -> new ResumeAnalysis(request,
                            db.one(FIND_RESULT, Binds.of("requestId", requestId)))));
        });
    }

    /** Statement budget: 1 (the page with its total); 2 after a cursor past the last row (the total alone, counted on a second checkout). */
    @Override
    public Page<AnalysisRequest> listByUser(UUID userId, AnalysisStatus status, PageCursor after, int limit) {
        return db.operation("analyses.listByUser", () -> {
            Rules.required("analysisRequest.userId", userId);
            Rules.pageSize("page.limit", limit);
            Binds filter = status == null ? Binds.of("userId", userId) : Binds.of("userId", userId, "status", status);
            Statement<Counted<AnalysisRequest>> statement = status == null
                    ? (after == null ? LIST_ALL : LIST_ALL_AFTER)
                    : (after == null ? LIST_STATUS : LIST_STATUS_AFTER);
            // One more row than asked says whether a next page exists.
            return Pages.ofCounted(db.list(statement, Pages.cursor(filter, after).and("limit", limit + 1)), limit,
                    after, r -> new PageCursor(r.createdAt(), r.id()),
                    () -> db.count(status == null ? COUNT_ALL : COUNT_STATUS, filter));
        });
    }

    @Override
    public Map<AnalysisStatus, Long> countByStatus(UUID userId) {
        return db.operation("analyses.countByStatus", () -> {
            Rules.required("analysisRequest.userId", userId);
            Map<AnalysisStatus, Long> counts = new EnumMap<>(AnalysisStatus.class);
            for (AnalysisStatus status : AnalysisStatus.values()) {
                counts.put(status, 0L);
            }
            for (Map.Entry<AnalysisStatus, Long> e : db.list(COUNT_BY_STATUS, Binds.of("userId", userId))) {
                counts.put(e.getKey(), e.getValue());
            }
            return Collections.unmodifiableMap(counts);
        });
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
        Rules.text("analysisResult.aiModelVersion", result.aiModelVersion(), ANALYSIS_RESULTS.AI_MODEL_USED);
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
}
