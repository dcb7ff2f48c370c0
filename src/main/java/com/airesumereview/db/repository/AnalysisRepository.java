package com.airesumereview.db.repository;

import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.ResumeAnalysis;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
 * surrounding transaction (the library's, jOOQ's or Spring's). SQL runs with bind values only.
 *
 * <p>Thread-safe. The library implements it ({@code ResumeReviewDb} hands it out); services may mock it in
 * their own tests.
 */
public interface AnalysisRepository {
    /**
     * Creates a pending request. Runs on the primary.
     *
     * @param request the user, the uploaded file (name, path, size, MIME type) and the target role, industry and
     *                experience level
     * @return the stored request, pending, with its database-generated id and timestamps
     * @throws ValidationException when a field breaks its column's rule (lengths 255/500/100/255/255,
     *         size 0..2147483647)
     * @throws com.airesumereview.db.ConstraintViolationException when the user does not exist
     */
    AnalysisRequest create(NewAnalysisRequest request);

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
     * probed again at least every 1000 ms (one second) and whenever the walk finds nothing.
     *
     * <p><b>Order and starvation.</b> Claims follow {@code created_at} (ties in any order). A request that
     * becomes pending below the mark, requeued by another process or committed late with an older
     * {@code created_at} (e.g. from a long transaction), is claimed next once the mark is probed again: within
     * 1000 ms (one second), or at once when no newer request is pending. Requests this
     * repository creates or requeues lower the mark themselves, so they are never late.
     * Runs on the primary, its probe included: a replica's older snapshot could miss a request that was just
     * requeued.
     *
     * @return the claimed request, now processing and owned by the caller; empty when none is pending or every
     *         pending one is locked by another worker
     */
    Optional<AnalysisRequest> claimNextPending();

    /**
     * Starts processing <em>this</em> request, not "the next one in the queue": one compare-and-set
     * {@code UPDATE ... SET status = 'processing' WHERE id = ? AND status = 'pending'} by the primary key.
     * <pre>{@code
     * AnalysisRequest mine = db.analyses().startProcessing(requestId);   // then complete(...) or fail(...)
     * }</pre>
     * Runs on the primary.
     *
     * @param requestId the request to start, pending
     * @return the request, now processing and owned by the caller
     * @throws StaleStateException when the request is not pending (another worker claimed it first, or it is
     *         completed or failed), naming the state it is in; nothing is written
     * @throws NotFoundException   when there is no such request
     * @throws ValidationException when {@code requestId} is null (before any SQL)
     */
    AnalysisRequest startProcessing(UUID requestId);

    /**
     * Returns requests that have been processing for longer than {@code stuckFor} (their
     * {@code updated_at} is older than {@code now() - stuckFor}, by the database clock) to pending, so
     * another worker claims them. A worker that still completes such a request later gets a
     * {@link StaleStateException} once it was claimed again and completed, or succeeds if it is still
     * processing. Runs on the primary.
     *
     * @param stuckFor 0 .. 36500 days
     * @return how many requests were returned to pending
     */
    int requeueStuck(Duration stuckFor);

    /**
     * Completes a processing request with its result, in one transaction: inserts the
     * {@code analysis_results} row and sets the request to completed with {@code completed_at = now()}.
     * Either both happen or neither. Runs on the primary.
     *
     * @param requestId the processing request the result answers
     * @param result    the scores, feedback, model and processing time to store
     * @return the request, now completed, with the result as stored
     * @throws StaleStateException when the request is not processing (not claimed, requeued, already
     *         completed or failed); nothing is written
     * @throws NotFoundException when there is no such request
     * @throws ValidationException when a score is outside 0..100, {@code aiModelVersion} is missing or
     *         longer than 100, the processing time is negative, not finite or too large, or a text cannot be
     *         stored
     */
    ResumeAnalysis complete(UUID requestId, NewAnalysisResult result);

    /**
     * Marks a pending or processing request failed (production keeps no error message and leaves
     * {@code completed_at} empty for failed requests). Runs on the primary.
     *
     * @param requestId the pending or processing request to fail
     * @return the request, now failed
     * @throws StaleStateException when the request is already completed or failed; nothing is written
     * @throws NotFoundException when there is no such request
     */
    AnalysisRequest fail(UUID requestId);

    /**
     * The request with its result, if any. Production does not enforce "at most one result per request"
     * (there is no unique key on {@code request_id}); should several exist, the newest is returned.
     * Uses the primary key and {@code idx_analysis_results_request_id}; both reads in one transaction.
     * Runs on the primary: both reads share one transaction.
     *
     * @param requestId the request to read
     * @return the request with its newest result (none while it is not completed); empty when there is no such
     *         request
     */
    Optional<ResumeAnalysis> find(UUID requestId);

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
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param userId the user whose requests to list; not null
     * @param status the status to list, or null for every status
     * @param after  the {@link Page#next()} of the previous page, or null for the first page
     * @param limit  1..1000 rows
     * @return up to {@code limit} requests, the cursor to the next page, and the total with that status
     * @throws ValidationException when {@code userId} is missing, {@code limit} is outside 1..1000 or the
     *         cursor's time is outside what timestamptz holds
     */
    Page<AnalysisRequest> listByUser(UUID userId, AnalysisStatus status, PageCursor after, int limit);

    /**
     * How many requests the user has in each status: every status is a key (0 when none), in the
     * vocabulary's order. One {@code GROUP BY status} over the user's rows, found with
     * {@code idx_analysis_requests_user_id}; its cost grows with the user's history.
     * <pre>{@code
     * long waiting = db.analyses().countByStatus(userId).get(AnalysisStatus.PENDING);
     * }</pre>
     * Runs on a replica when one is configured and has replayed the caller's last write.
     *
     * @param userId the user whose requests to count; not null
     * @return the count for every status, in the vocabulary's order; 0 for a user without requests
     * @throws ValidationException when {@code userId} is null (before any SQL)
     */
    Map<AnalysisStatus, Long> countByStatus(UUID userId);
}
