package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.ANALYSIS_REQUESTS;
import static com.airesumereview.db.generated.Tables.ANALYSIS_RESULTS;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.currentOffsetDateTime;
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
import com.airesumereview.db.UnsupportedFieldException;
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
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Resume analyses: the requests (the worker queue, {@code analysis_requests}) and their results
 * ({@code analysis_results}).
 *
 * <p>Lifecycle: {@link #create} (pending) → {@link #claimNextPending} or {@link #startProcessing} (processing) →
 * {@link #complete} (completed, with its result, in one transaction) or {@link #fail} (failed).
 * {@link #requeueStuck} returns requests whose worker died to pending.
 * <pre>{@code
 * db.analyses().claimNextPending().ifPresent(request -> {
 *     NewAnalysisResult result = analyse(request);
 *     db.analyses().complete(request.id(), result);   // StaleStateException if it was requeued meanwhile
 * });
 * }</pre>
 *
 * <p>Every method validates its input before any SQL and changes no row when it throws. Calls join a
 * surrounding {@code ResumeReviewDb.inTransaction}. Each statement is built once below from the generated
 * tables and run by {@link Database} with bind values.
 */
public final class AnalysisRepository {
    /** Largest processing time the integer millisecond column holds, in seconds. */
    static final double MAX_PROCESSING_SECONDS = Integer.MAX_VALUE / 1000.0;
    private static final Duration MAX_STUCK_FOR = Duration.ofDays(36_500);
    /** How long {@link #claimNextPending} trusts its low-water mark before probing it again. */
    static final long LOW_WATER_REFRESH_MILLIS = 1_000;
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
    private static final Field<OffsetDateTime> CREATED_AT = ANALYSIS_REQUESTS.CREATED_AT;
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
                    // The database clock, as before. The age is bound in microseconds: a PGInterval holds at most
                    // 2^31 seconds (68 years), less than the 36,500 days allowed.
                    .and(ANALYSIS_REQUESTS.UPDATED_AT.lt(DSL.field("({0} - cast({1} as bigint) * interval '1 microsecond')",
                            OffsetDateTime.class, currentOffsetDateTime(), param("stuckForMicros", Long.class)))));
    private static final Statement<AnalysisRequest> COMPLETE_REQUEST = Statement.write("analyses.complete",
            update(ANALYSIS_REQUESTS)
                    .set(STATUS, inline(AnalysisStatus.COMPLETED, STATUS))
                    .set(ANALYSIS_REQUESTS.COMPLETED_AT, currentOffsetDateTime())
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

    /** A row of a list with the list's total, counted in the same statement. */
    private record Counted<T>(T item, long total) {
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
    public AnalysisRepository(Database db) {
        this.db = db;
        this.refreshNanos = Duration.ofMillis(LOW_WATER_REFRESH_MILLIS).toNanos();
    }

    // ---- requests -------------------------------------------------------------------------------

    /**
     * Creates a pending request.
     *
     * @throws UnsupportedFieldException when {@code fileUploadId}, {@code errorMessage}, {@code marketTier} or
     *         {@code retryCount} is set (production has no column for them)
     * @throws ValidationException when a field breaks its column's rule (lengths 255/500/100/255/255,
     *         size 0..2147483647)
     * @throws com.airesumereview.db.ConstraintViolationException when the user does not exist
     */
    public AnalysisRequest create(NewAnalysisRequest request) {
        Rules.required("analysisRequest", request);
        unsupported("analysisRequest.fileUploadId", request.fileUploadId(),
                "no column; a request points at its file by filePath, originalFilename, fileSizeBytes, mimeType");
        unsupported("analysisRequest.errorMessage", request.errorMessage(),
                "no column; a failed request is status failed only");
        unsupported("analysisRequest.marketTier", request.marketTier(), "no column");
        unsupported("analysisRequest.retryCount", request.retryCount(), "no column");
        Rules.required("analysisRequest.userId", request.userId());
        Rules.text("analysisRequest.originalFilename", request.originalFilename(), 255);
        Rules.text("analysisRequest.filePath", request.filePath(), 500);
        int size = Rules.rangeLong("analysisRequest.fileSizeBytes", request.fileSizeBytes(), 0, Integer.MAX_VALUE);
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

    /**
     * Claims the oldest pending request for the calling worker: sets it to processing and returns it, or
     * empty when none is pending. Concurrent workers skip rows another worker has locked
     * ({@code FOR UPDATE SKIP LOCKED}), so no request is ever handed to two workers.
     *
     * <p><b>Cost does not grow with history.</b> Production has no {@code (status, created_at)} index, and
     * none may be added. Walking {@code idx_analysis_requests_created_at} from the oldest row would pass
     * every completed request; sorting all pending rows would cost the whole backlog on every claim. So a
     * claim walks {@code idx_analysis_requests_created_at} forward from a <em>low-water mark</em>, a lower
     * bound of the pending requests' {@code created_at}: {@code WHERE status = 'pending' AND created_at >= ?
     * ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED}. The mark comes from a probe that
     * {@code idx_analysis_requests_status} serves ({@code min(created_at)} of the pending rows, linear in the
     * backlog, never in the history), kept by this repository and moved forward to each claimed request, and
     * probed again at least every {@value #LOW_WATER_REFRESH_MILLIS} ms and whenever the walk finds nothing.
     *
     * <p><b>Order and starvation.</b> Claims follow {@code created_at} (ties in any order). A request that
     * becomes pending below the mark, requeued by another process or committed late with an older
     * {@code created_at} (e.g. from a long transaction), is claimed next once the mark is probed again: within
     * {@value #LOW_WATER_REFRESH_MILLIS} ms, or at once when no newer request is pending. Requests this
     * repository creates or requeues lower the mark themselves, so they are never late.
     */
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

    /**
     * Starts processing <em>this</em> request, not "the next one in the queue": one compare-and-set
     * {@code UPDATE ... SET status = 'processing' WHERE id = ? AND status = 'pending'} by the primary key.
     * <pre>{@code
     * AnalysisRequest mine = db.analyses().startProcessing(requestId);   // then complete(...) or fail(...)
     * }</pre>
     *
     * @throws StaleStateException when the request is not pending (another worker claimed it first, or it is
     *         completed or failed), naming the state it is in; nothing is written
     * @throws NotFoundException   when there is no such request
     * @throws ValidationException when {@code requestId} is null (before any SQL)
     */
    public AnalysisRequest startProcessing(UUID requestId) {
        Rules.required("analysisRequest.id", requestId);
        return db.transition(ENTITY, requestId, "pending", r -> r.status().literal(), START_PROCESSING,
                FIND_REQUEST, requestId);
    }

    /**
     * Returns requests that have been processing for longer than {@code stuckFor} (their
     * {@code updated_at} is older than {@code now() - stuckFor}, by the database clock) to pending, so
     * another worker claims them. A worker that still completes such a request later gets a
     * {@link StaleStateException} once it was claimed again and completed, or succeeds if it is still
     * processing.
     *
     * @param stuckFor 0 .. 36500 days
     * @return how many requests were returned to pending
     */
    public int requeueStuck(Duration stuckFor) {
        Rules.required("stuckFor", stuckFor);
        if (stuckFor.isNegative() || stuckFor.compareTo(MAX_STUCK_FOR) > 0) {
            throw new ValidationException("stuckFor", "must be between 0 and 36500 days", stuckFor.toString());
        }
        int requeued = db.execute(REQUEUE_STUCK, stuckFor.toNanos() / 1_000);
        if (requeued > 0) {
            lowerMark(null); // requeued requests keep their old created_at: probe again before the next claim
        }
        return requeued;
    }

    /**
     * Completes a processing request with its result, in one transaction: inserts the
     * {@code analysis_results} row and sets the request to completed with {@code completed_at = now()}.
     * Either both happen or neither.
     *
     * @throws StaleStateException when the request is not processing (not claimed, requeued, already
     *         completed or failed); nothing is written
     * @throws NotFoundException when there is no such request
     * @throws UnsupportedFieldException when {@code marketTier} is set
     * @throws ValidationException when a score is outside 0..100, {@code aiModelVersion} is missing or
     *         longer than 100, the processing time is negative, not finite or too large, or a text cannot be
     *         stored
     */
    public ResumeAnalysis complete(UUID requestId, NewAnalysisResult result) {
        Rules.required("analysisResult.requestId", requestId);
        ResultRow row = validate(result);
        return db.inTransaction(() -> {
            AnalysisRequest completed = db.transition(ENTITY, requestId, "processing", r -> r.status().literal(),
                    COMPLETE_REQUEST, FIND_REQUEST, requestId);
            AnalysisResult stored = db.one(INSERT_RESULT, requestId, result.overallScore(), result.formattingScore(),
                    result.contentScore(), result.keywordOptimizationScore(), row.strengths(), row.weaknesses(),
                    row.recommendations(), row.detailedFeedback(), result.aiModelVersion(), row.processingTimeMs())
                    .orElseThrow();
            return new ResumeAnalysis(completed, Optional.of(stored));
        });
    }

    /**
     * Marks a pending or processing request failed (production keeps no error message and leaves
     * {@code completed_at} empty for failed requests).
     *
     * @throws StaleStateException when the request is already completed or failed; nothing is written
     * @throws NotFoundException when there is no such request
     */
    public AnalysisRequest fail(UUID requestId) {
        Rules.required("analysisRequest.id", requestId);
        return db.transition(ENTITY, requestId, "pending or processing", r -> r.status().literal(), FAIL,
                FIND_REQUEST, requestId);
    }

    /**
     * The request with its result, if any. Production does not enforce "at most one result per request"
     * (there is no unique key on {@code request_id}); should several exist, the newest is returned.
     * Uses the primary key and {@code idx_analysis_results_request_id}; both reads in one transaction.
     */
    public Optional<ResumeAnalysis> find(UUID requestId) {
        Rules.required("analysisRequest.id", requestId);
        return db.inTransaction(() -> db.one(FIND_REQUEST, requestId)
                .map(request -> new ResumeAnalysis(request, db.one(FIND_RESULT, requestId))));
    }

    /**
     * One page of a user's requests, newest first ({@code created_at DESC, id DESC}), only those with
     * {@code status} (null: all), keyset paged, with {@link Page#total()} the number of the user's requests
     * with that status (all pages), counted in the same statement as the page.
     * <pre>{@code
     * Page<AnalysisRequest> first = db.analyses().listByUser(userId, AnalysisStatus.COMPLETED, null, 20);
     * Page<AnalysisRequest> second = db.analyses().listByUser(userId, AnalysisStatus.COMPLETED, first.next().get(), 20);
     * }</pre>
     *
     * <p><b>Indexes.</b> Served by {@code idx_analysis_requests_user_id}; the user's rows are then filtered and
     * sorted (production has no {@code (user_id, created_at)} or {@code (user_id, status)} index on this table),
     * and the total counts them all. Both grow with the user's whole history, on every page: cheap for the
     * tens or hundreds of requests a user has, not for a user with hundreds of thousands.
     *
     * @param status the status to list, or null for every status
     * @param after  the {@link Page#next()} of the previous page, or null for the first page
     * @param limit  1..1000 rows
     * @throws ValidationException when {@code userId} is missing, {@code limit} is outside 1..1000 or the
     *         cursor's time is outside what timestamptz holds
     */
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
        List<Counted<AnalysisRequest>> rows = db.list(statement, binds.toArray());
        long total;
        if (!rows.isEmpty()) {
            total = rows.get(0).total();
        } else if (after == null) {
            total = 0;                               // no row matches the filter at all
        } else {                                     // a cursor past the end: the rows carry no total
            total = status == null ? db.count(COUNT_ALL, userId) : db.count(COUNT_STATUS, userId, status.literal());
        }
        List<AnalysisRequest> items = new ArrayList<>(Math.min(rows.size(), limit));
        for (int i = 0; i < rows.size() && i < limit; i++) {
            items.add(rows.get(i).item());
        }
        Optional<PageCursor> next = Optional.empty();
        if (rows.size() > limit) {
            AnalysisRequest last = items.get(limit - 1);
            next = Optional.of(new PageCursor(last.createdAt(), last.id()));
        }
        return new Page<>(items, next, OptionalLong.of(total));
    }

    /**
     * How many requests the user has in each status: every status is a key (0 when none), in the
     * vocabulary's order. One {@code GROUP BY status} over the user's rows, found with
     * {@code idx_analysis_requests_user_id}; its cost grows with the user's history.
     * <pre>{@code
     * long waiting = db.analyses().countByStatus(userId).get(AnalysisStatus.PENDING);
     * }</pre>
     *
     * @throws ValidationException when {@code userId} is null (before any SQL)
     */
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
        unsupported("analysisResult.marketTier", result.marketTier(), "no column");
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

    private static void unsupported(String field, Object value, String why) {
        if (value != null) {
            throw new UnsupportedFieldException(field, why, Rules.show(value));
        }
    }

    /** A cursor's instant: {@link Instant#MAX}/{@link Instant#MIN} (infinity) or one timestamptz can hold. */
    static Instant cursorInstant(String field, Instant value) {
        Rules.required(field, value);
        return value.equals(Instant.MAX) || value.equals(Instant.MIN) ? value : Rules.instant(field, value);
    }
}
