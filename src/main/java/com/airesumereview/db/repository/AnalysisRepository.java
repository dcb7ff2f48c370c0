package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.ANALYSIS_REQUESTS;
import static com.airesumereview.db.generated.Tables.ANALYSIS_RESULTS;

import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDbException;
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
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * Resume analyses: the requests (the worker queue, {@code analysis_requests}) and their results
 * ({@code analysis_results}).
 *
 * <p>Lifecycle: {@link #create} (pending) → {@link #claimNextPending} (processing) → {@link #complete}
 * (completed, with its result, in one transaction) or {@link #fail} (failed). {@link #requeueStuck} returns
 * requests whose worker died to pending.
 * <pre>{@code
 * db.analyses().claimNextPending().ifPresent(request -> {
 *     NewAnalysisResult result = analyse(request);
 *     db.analyses().complete(request.id(), result);   // StaleStateException if it was requeued meanwhile
 * });
 * }</pre>
 *
 * <p>Every method validates its input before any SQL and changes no row when it throws. Calls join a
 * surrounding {@code ResumeReviewDb.inTransaction}.
 */
public final class AnalysisRepository {
    /** Largest processing time the integer millisecond column holds, in seconds. */
    static final double MAX_PROCESSING_SECONDS = Integer.MAX_VALUE / 1000.0;
    private static final Duration MAX_STUCK_FOR = Duration.ofDays(36_500);

    // Floats as BigDecimal, so any jsonb number reads back without loss and writes back unchanged.
    private static final ObjectMapper JSON = JsonMapper.builder(JsonbReading.factory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    // Timestamps read through InstantColumns so 'infinity' reads back (the generated binding fails on it).
    private static final Field<Instant> REQUEST_CREATED_AT = InstantColumns.of(ANALYSIS_REQUESTS.CREATED_AT);
    private static final Field<Instant> REQUEST_UPDATED_AT = InstantColumns.of(ANALYSIS_REQUESTS.UPDATED_AT);
    private static final Field<Instant> REQUEST_COMPLETED_AT = InstantColumns.of(ANALYSIS_REQUESTS.COMPLETED_AT);
    private static final Field<Instant> RESULT_CREATED_AT = InstantColumns.of(ANALYSIS_RESULTS.CREATED_AT);
    // text[] read through TextArrays so multi-dimensional values production may hold read back (flattened).
    private static final Field<String[]> STRENGTHS = TextArrays.read(ANALYSIS_RESULTS.STRENGTHS);
    private static final Field<String[]> WEAKNESSES = TextArrays.read(ANALYSIS_RESULTS.WEAKNESSES);
    private static final Field<String[]> RECOMMENDATIONS = TextArrays.read(ANALYSIS_RESULTS.RECOMMENDATIONS);
    static final List<SelectField<?>> REQUEST = List.of(ANALYSIS_REQUESTS.ID, ANALYSIS_REQUESTS.USER_ID,
            ANALYSIS_REQUESTS.STATUS, ANALYSIS_REQUESTS.ORIGINAL_FILENAME, ANALYSIS_REQUESTS.FILE_PATH,
            ANALYSIS_REQUESTS.FILE_SIZE_BYTES, ANALYSIS_REQUESTS.MIME_TYPE, ANALYSIS_REQUESTS.TARGET_ROLE,
            ANALYSIS_REQUESTS.TARGET_INDUSTRY, ANALYSIS_REQUESTS.EXPERIENCE_LEVEL, REQUEST_CREATED_AT,
            REQUEST_UPDATED_AT, REQUEST_COMPLETED_AT);
    static final List<SelectField<?>> RESULT = List.of(ANALYSIS_RESULTS.ID, ANALYSIS_RESULTS.REQUEST_ID,
            ANALYSIS_RESULTS.OVERALL_SCORE, ANALYSIS_RESULTS.FORMATTING_SCORE, ANALYSIS_RESULTS.CONTENT_SCORE,
            ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE, STRENGTHS, WEAKNESSES,
            RECOMMENDATIONS, ANALYSIS_RESULTS.DETAILED_FEEDBACK, ANALYSIS_RESULTS.AI_MODEL_USED,
            ANALYSIS_RESULTS.PROCESSING_TIME_MS, RESULT_CREATED_AT);

    /** How long {@link #claimNextPending} trusts its low-water mark before probing it again. */
    static final long LOW_WATER_REFRESH_MILLIS = 1_000;

    private final DSLContext dsl;
    private final long refreshNanos;
    /** The queue's low-water mark, shared by this repository's workers (see {@link #claimNextPending}). */
    private final AtomicReference<LowWater> lowWater = new AtomicReference<>(LowWater.UNKNOWN);

    /** Called by {@code ResumeReviewDb}; repositories share its {@link DSLContext}. */
    public AnalysisRepository(DSLContext dsl) {
        this(dsl, Duration.ofMillis(LOW_WATER_REFRESH_MILLIS));
    }

    /** For tests: {@code lowWaterRefresh} instead of {@value #LOW_WATER_REFRESH_MILLIS} ms. */
    AnalysisRepository(DSLContext dsl, Duration lowWaterRefresh) {
        this.dsl = dsl;
        this.refreshNanos = lowWaterRefresh.toNanos();
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

        AnalysisRequest created = toRequest(dsl.insertInto(ANALYSIS_REQUESTS)
                .set(ANALYSIS_REQUESTS.USER_ID, request.userId())
                .set(ANALYSIS_REQUESTS.ORIGINAL_FILENAME, request.originalFilename())
                .set(ANALYSIS_REQUESTS.FILE_PATH, request.filePath())
                .set(ANALYSIS_REQUESTS.FILE_SIZE_BYTES, size)
                .set(ANALYSIS_REQUESTS.MIME_TYPE, request.mimeType())
                .set(ANALYSIS_REQUESTS.STATUS, AnalysisStatus.PENDING)
                .set(ANALYSIS_REQUESTS.TARGET_ROLE, request.targetRole())
                .set(ANALYSIS_REQUESTS.TARGET_INDUSTRY, request.industry())
                .set(ANALYSIS_REQUESTS.EXPERIENCE_LEVEL, request.experienceLevel())
                .returningResult(REQUEST)
                .fetchSingle());
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
        Optional<AnalysisRequest> claimed = claimFrom(bound);
        if (claimed.isEmpty() && !fresh) {
            // Nothing at or above the mark: something may have become pending below it; ask before saying "empty".
            bound = probe(lowWater.get());
            claimed = bound == null ? Optional.empty() : claimFrom(bound);
        }
        claimed.ifPresent(request -> lowWater.getAndUpdate(w -> w.raisedTo(request.createdAt())));
        return claimed;
    }

    /** Probes the oldest pending {@code created_at} (null: none pending) and keeps it as the mark unless it moved. */
    private Instant probe(LowWater seen) {
        // OFFSET 0 keeps min() from becoming a walk of the created_at index past the whole history.
        Table<?> pending = DSL.select(REQUEST_CREATED_AT).from(ANALYSIS_REQUESTS)
                .where(ANALYSIS_REQUESTS.STATUS.eq(DSL.inline(AnalysisStatus.PENDING)))
                .offset(DSL.inline(0))
                .asTable("pending");
        Instant bound = dsl.select(DSL.min(pending.field(REQUEST_CREATED_AT))).from(pending).fetchSingle().value1();
        lowWater.compareAndSet(seen, new LowWater(bound, System.nanoTime()));
        return bound;
    }

    private Optional<AnalysisRequest> claimFrom(Instant bound) {
        var next = DSL.select(ANALYSIS_REQUESTS.ID)
                .from(ANALYSIS_REQUESTS)
                .where(ANALYSIS_REQUESTS.STATUS.eq(DSL.inline(AnalysisStatus.PENDING)))
                .and(REQUEST_CREATED_AT.ge(InstantColumns.value(bound)))
                .orderBy(ANALYSIS_REQUESTS.CREATED_AT)
                .limit(DSL.inline(1))
                .forUpdate()
                .skipLocked();
        return dsl.update(ANALYSIS_REQUESTS)
                .set(ANALYSIS_REQUESTS.STATUS, DSL.inline(AnalysisStatus.PROCESSING))
                .where(ANALYSIS_REQUESTS.ID.eq(next))
                .returningResult(REQUEST)
                .fetchOptional()
                .map(AnalysisRepository::toRequest);
    }

    /** Lowers the mark to {@code createdAt} (a request this repository made pending), or drops it when unknown. */
    private void lowerMark(Instant createdAt) {
        lowWater.getAndUpdate(w -> w.loweredTo(createdAt));
    }

    /**
     * The low-water mark of the queue: no pending request has a {@code created_at} below {@code bound}, except
     * ones that became pending below it since {@code probedAt} (requeued or committed late by another process).
     * A null bound means "probe before the next claim". Immutable, swapped atomically.
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
        int requeued = dsl.update(ANALYSIS_REQUESTS)
                .set(ANALYSIS_REQUESTS.STATUS, AnalysisStatus.PENDING)
                .where(ANALYSIS_REQUESTS.STATUS.eq(AnalysisStatus.PROCESSING))
                .and(ANALYSIS_REQUESTS.UPDATED_AT.lt(
                        DSL.currentOffsetDateTime().minus(DSL.val(DayToSecond.valueOf(stuckFor)))))
                .execute();
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
        return dsl.transactionResult(() -> {
            Optional<Record> completed = dsl.update(ANALYSIS_REQUESTS)
                    .set(ANALYSIS_REQUESTS.STATUS, AnalysisStatus.COMPLETED)
                    .set(ANALYSIS_REQUESTS.COMPLETED_AT, DSL.currentOffsetDateTime())
                    .where(ANALYSIS_REQUESTS.ID.eq(requestId))
                    .and(ANALYSIS_REQUESTS.STATUS.eq(AnalysisStatus.PROCESSING))
                    .returningResult(REQUEST)
                    .fetchOptional();
            if (completed.isEmpty()) {
                throw stale(requestId, "processing");
            }
            Record stored = dsl.insertInto(ANALYSIS_RESULTS)
                    .set(ANALYSIS_RESULTS.REQUEST_ID, requestId)
                    .set(ANALYSIS_RESULTS.OVERALL_SCORE, result.overallScore())
                    .set(ANALYSIS_RESULTS.FORMATTING_SCORE, result.formattingScore())
                    .set(ANALYSIS_RESULTS.CONTENT_SCORE, result.contentScore())
                    .set(ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE, result.keywordOptimizationScore())
                    .set(ANALYSIS_RESULTS.STRENGTHS, row.strengths())
                    .set(ANALYSIS_RESULTS.WEAKNESSES, row.weaknesses())
                    .set(ANALYSIS_RESULTS.RECOMMENDATIONS, row.recommendations())
                    .set(ANALYSIS_RESULTS.DETAILED_FEEDBACK, row.detailedFeedback())
                    .set(ANALYSIS_RESULTS.AI_MODEL_USED, result.aiModelVersion())
                    .set(ANALYSIS_RESULTS.PROCESSING_TIME_MS, row.processingTimeMs())
                    .returningResult(RESULT)
                    .fetchSingle();
            return new ResumeAnalysis(toRequest(completed.get()), Optional.of(toResult(stored)));
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
        return dsl.update(ANALYSIS_REQUESTS)
                .set(ANALYSIS_REQUESTS.STATUS, AnalysisStatus.FAILED)
                .where(ANALYSIS_REQUESTS.ID.eq(requestId))
                .and(ANALYSIS_REQUESTS.STATUS.in(AnalysisStatus.PENDING, AnalysisStatus.PROCESSING))
                .returningResult(REQUEST)
                .fetchOptional()
                .map(AnalysisRepository::toRequest)
                .orElseThrow(() -> stale(requestId, "pending or processing"));
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
        return dsl.update(ANALYSIS_REQUESTS)
                .set(ANALYSIS_REQUESTS.STATUS, AnalysisStatus.PROCESSING)
                .where(ANALYSIS_REQUESTS.ID.eq(requestId))
                .and(ANALYSIS_REQUESTS.STATUS.eq(AnalysisStatus.PENDING))
                .returningResult(REQUEST)
                .fetchOptional()
                .map(AnalysisRepository::toRequest)
                .orElseThrow(() -> stale(requestId, "pending"));
    }

    /**
     * The request with its result, if any. Production does not enforce "at most one result per request"
     * (there is no unique key on {@code request_id}); should several exist, the newest is returned.
     * Uses the primary key and {@code idx_analysis_results_request_id}.
     */
    public Optional<ResumeAnalysis> find(UUID requestId) {
        Rules.required("analysisRequest.id", requestId);
        return dsl.transactionResult(() -> dsl.select(REQUEST).from(ANALYSIS_REQUESTS)
                .where(ANALYSIS_REQUESTS.ID.eq(requestId))
                .fetchOptional()
                .map(request -> new ResumeAnalysis(toRequest(request), dsl.select(RESULT).from(ANALYSIS_RESULTS)
                        .where(ANALYSIS_RESULTS.REQUEST_ID.eq(requestId))
                        .orderBy(ANALYSIS_RESULTS.CREATED_AT.desc(), ANALYSIS_RESULTS.ID.desc())
                        .limit(1)
                        .fetchOptional()
                        .map(AnalysisRepository::toResult))));
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
        Condition filter = ANALYSIS_REQUESTS.USER_ID.eq(userId);
        if (status != null) {
            filter = filter.and(ANALYSIS_REQUESTS.STATUS.eq(status));
        }
        Condition page = filter;
        if (after != null) {
            page = page.and(DSL.row(REQUEST_CREATED_AT, ANALYSIS_REQUESTS.ID)
                    .lt(InstantColumns.value(cursorInstant("page.after.createdAt", after.createdAt())),
                            DSL.val(after.id())));
        }
        Field<Integer> total = DSL.field(DSL.selectCount().from(ANALYSIS_REQUESTS).where(filter)).as("total");
        List<SelectField<?>> columns = new ArrayList<>(REQUEST);
        columns.add(total);
        List<Record> rows = dsl.select(columns).from(ANALYSIS_REQUESTS)
                .where(page)
                .orderBy(ANALYSIS_REQUESTS.CREATED_AT.desc(), ANALYSIS_REQUESTS.ID.desc())
                .limit(limit + 1)
                .fetch();
        long count;
        if (!rows.isEmpty()) {
            count = rows.get(0).get(total);
        } else if (after == null) {
            count = 0; // no row matches the filter at all
        } else {
            count = dsl.fetchCount(ANALYSIS_REQUESTS, filter); // a cursor past the end: the rows carry no total
        }
        List<AnalysisRequest> items = new ArrayList<>(rows.size());
        for (Record r : rows) {
            items.add(toRequest(r));
        }
        Optional<PageCursor> next = Optional.empty();
        if (items.size() > limit) {
            items.subList(limit, items.size()).clear();
            AnalysisRequest last = items.get(limit - 1);
            next = Optional.of(new PageCursor(last.createdAt(), last.id()));
        }
        return new Page<>(items, next, OptionalLong.of(count));
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
        Field<Integer> count = DSL.count();
        dsl.select(ANALYSIS_REQUESTS.STATUS, count)
                .from(ANALYSIS_REQUESTS)
                .where(ANALYSIS_REQUESTS.USER_ID.eq(userId))
                .groupBy(ANALYSIS_REQUESTS.STATUS)
                .fetch()
                .forEach(r -> counts.put(r.value1(), r.value2().longValue()));
        return Collections.unmodifiableMap(counts);
    }

    // ---- validation -------------------------------------------------------------------------------

    /** The column values of a valid result. */
    private record ResultRow(String[] strengths, String[] weaknesses, String[] recommendations,
            JSONB detailedFeedback, Integer processingTimeMs) {
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

    private static JSONB json(String field, DetailedFeedback feedback) {
        if (feedback == null) {
            return null;
        }
        JsonNode raw = feedback.raw();
        storableJson(field, raw);
        try {
            return JSONB.valueOf(JSON.writeValueAsString(raw));
        } catch (JsonProcessingException e) {
            throw new ValidationException(field, "must be serializable as JSON (" + e.getOriginalMessage() + ")",
                    "(JSON)");
        }
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

    /** Stale when the request exists in another state; NotFound when it does not exist. */
    private RuntimeException stale(UUID requestId, String expected) {
        return dsl.select(ANALYSIS_REQUESTS.STATUS)
                .from(ANALYSIS_REQUESTS)
                .where(ANALYSIS_REQUESTS.ID.eq(requestId))
                .fetchOptional(ANALYSIS_REQUESTS.STATUS)
                .<RuntimeException>map(actual -> new StaleStateException("analysisRequest", requestId.toString(),
                        expected, actual.literal()))
                .orElseGet(() -> new NotFoundException("analysisRequest", requestId.toString()));
    }

    // ---- mapping ----------------------------------------------------------------------------------

    static AnalysisRequest toRequest(Record r) {
        return new AnalysisRequest(r.get(ANALYSIS_REQUESTS.ID), r.get(ANALYSIS_REQUESTS.USER_ID),
                r.get(ANALYSIS_REQUESTS.STATUS), r.get(ANALYSIS_REQUESTS.ORIGINAL_FILENAME),
                r.get(ANALYSIS_REQUESTS.FILE_PATH), r.get(ANALYSIS_REQUESTS.FILE_SIZE_BYTES),
                r.get(ANALYSIS_REQUESTS.MIME_TYPE), r.get(ANALYSIS_REQUESTS.TARGET_ROLE),
                r.get(ANALYSIS_REQUESTS.TARGET_INDUSTRY), r.get(ANALYSIS_REQUESTS.EXPERIENCE_LEVEL),
                r.get(REQUEST_CREATED_AT), r.get(REQUEST_UPDATED_AT), r.get(REQUEST_COMPLETED_AT));
    }

    static AnalysisResult toResult(Record r) {
        Integer ms = r.get(ANALYSIS_RESULTS.PROCESSING_TIME_MS);
        return new AnalysisResult(r.get(ANALYSIS_RESULTS.ID), r.get(ANALYSIS_RESULTS.REQUEST_ID),
                r.get(ANALYSIS_RESULTS.OVERALL_SCORE), r.get(ANALYSIS_RESULTS.FORMATTING_SCORE),
                r.get(ANALYSIS_RESULTS.CONTENT_SCORE), r.get(ANALYSIS_RESULTS.KEYWORD_OPTIMIZATION_SCORE),
                new StructureFeedback(list(r.get(STRENGTHS)), list(r.get(WEAKNESSES))),
                list(r.get(RECOMMENDATIONS)), feedback(r.get(ANALYSIS_RESULTS.DETAILED_FEEDBACK)),
                r.get(ANALYSIS_RESULTS.AI_MODEL_USED), ms == null ? null : ms / 1000.0, r.get(RESULT_CREATED_AT));
    }

    private static List<String> list(String[] values) {
        return values == null ? null : Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values)));
    }

    private static DetailedFeedback feedback(JSONB value) {
        if (value == null) {
            return null;
        }
        try {
            return DetailedFeedback.fromJson(JSON.readTree(value.data()));
        } catch (JsonProcessingException e) {
            // jsonb always holds valid JSON; this would be a driver or library defect. Named, never a foreign type.
            throw new ResumeReviewDbException("analysis_results.detailed_feedback: the stored jsonb could not be read"
                    + " as JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** A cursor's instant: {@link Instant#MAX}/{@link Instant#MIN} (infinity) or one timestamptz can hold. */
    static Instant cursorInstant(String field, Instant value) {
        Rules.required(field, value);
        return value.equals(Instant.MAX) || value.equals(Instant.MIN) ? value : Rules.instant(field, value);
    }
}
