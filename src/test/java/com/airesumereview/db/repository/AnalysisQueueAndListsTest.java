package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import com.airesumereview.db.repository.internal.PostgresAnalysisRepository;
import static com.airesumereview.db.repository.AnalysisRepositoryTest.insertRequest;
import static com.airesumereview.db.repository.AnalysisTestRows.string;
import static com.airesumereview.db.repository.AnalysisTestRows.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 8's analysis operations and the queue's order and starvation guarantees (issue 9, section 4). */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class AnalysisQueueAndListsTest {

    private static UUID claimedId(ResumeReviewDb db) {
        return db.analyses().claimNextPending().map(AnalysisRequest::id).orElseThrow();
    }

    // ---- claim order and starvation ---------------------------------------------------------------

    @Test
    void claimsFollowCreatedAtWhateverTheInsertOrder(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID third = insertRequest(ds, userId, "pending", "2024-01-03 00:00:00+00");
        UUID first = insertRequest(ds, userId, "pending", "2024-01-01 00:00:00+00");
        insertRequest(ds, userId, "completed", "2023-06-01 00:00:00+00");
        UUID second = insertRequest(ds, userId, "pending", "2024-01-02 00:00:00+00");

        assertThat(List.of(claimedId(db), claimedId(db), claimedId(db))).containsExactly(first, second, third);
        assertThat(db.analyses().claimNextPending()).isEmpty();
    }

    @Test
    void aRequeuedRequestIsClaimedBeforeNewerOnes(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        // its worker died: the oldest request is stuck in processing for two hours
        UUID old = insertRequest(ds, userId, "processing", "2024-01-01 00:00:00+00", "now() - interval '2 hours'");
        UUID newer = insertRequest(ds, userId, "pending", "2024-01-05 00:00:00+00");
        UUID newest = insertRequest(ds, userId, "pending", "2024-01-06 00:00:00+00");
        assertThat(claimedId(db)).isEqualTo(newer);

        assertThat(db.analyses().requeueStuck(Duration.ofHours(1))).isEqualTo(1);

        assertThat(claimedId(db)).as("the requeued request, older than the last claim").isEqualTo(old);
        assertThat(claimedId(db)).isEqualTo(newest);
    }

    @Test
    void requeueingAcceptsTheLongestAgeAndCountsOnlyOlderRequests(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        insertRequest(ds, userId, "processing", "2024-01-01 00:00:00+00", "now() - interval '2 hours'");

        assertThat(db.analyses().requeueStuck(Duration.ofDays(36_500))).isZero();
        assertThat(db.analyses().requeueStuck(Duration.ofMinutes(119))).isEqualTo(1);
    }

    @Test
    void aRequestRequeuedByAnotherProcessIsClaimedWithinTheRefreshInterval(DataSource ds) throws Exception {
        ResumeReviewDb worker = ResumeReviewDb.create(ds);
        ResumeReviewDb otherProcess = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID old = insertRequest(ds, userId, "processing", "2024-01-01 00:00:00+00", "now() - interval '2 hours'");
        UUID newer = insertRequest(ds, userId, "pending", "2024-01-05 00:00:00+00");
        insertRequest(ds, userId, "pending", "2024-01-06 00:00:00+00");
        assertThat(claimedId(worker)).isEqualTo(newer);
        assertThat(otherProcess.analyses().requeueStuck(Duration.ofHours(1))).isEqualTo(1);

        Thread.sleep(PostgresAnalysisRepository.LOW_WATER_REFRESH_MILLIS + 200);

        assertThat(claimedId(worker)).as("the requeued, oldest request").isEqualTo(old);
    }

    @Test
    void aRequestCommittedLateWithAnOlderCreatedAtIsClaimedAtOnceWhenNothingNewerIsPending(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID newer = insertRequest(ds, userId, "pending", "2024-01-05 00:00:00+00");
        assertThat(claimedId(db)).isEqualTo(newer);
        // another writer commits a request whose created_at lies before everything claimed so far
        UUID late = insertRequest(ds, userId, "pending", "2024-01-01 00:00:00+00");

        assertThat(claimedId(db)).isEqualTo(late);
        assertThat(db.analyses().claimNextPending()).isEmpty();
    }

    @Test
    void aRequestCommittedLateBehindABacklogIsClaimedWithinTheRefreshInterval(DataSource ds) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        insertRequest(ds, userId, "pending", "2024-01-05 00:00:00+00");
        insertRequest(ds, userId, "pending", "2024-01-06 00:00:00+00");
        insertRequest(ds, userId, "pending", "2024-01-07 00:00:00+00");
        claimedId(db);
        UUID late = insertRequest(ds, userId, "pending", "2024-01-01 00:00:00+00");

        Thread.sleep(PostgresAnalysisRepository.LOW_WATER_REFRESH_MILLIS + 200);

        assertThat(claimedId(db)).isEqualTo(late);
    }

    // ---- startProcessing ---------------------------------------------------------------------------

    @Test
    void startsProcessingTheGivenPendingRequest(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        insertRequest(ds, userId, "pending", "2024-01-01 00:00:00+00");
        UUID chosen = insertRequest(ds, userId, "pending", "2024-01-02 00:00:00+00");

        AnalysisRequest started = db.analyses().startProcessing(chosen);

        assertThat(started.id()).isEqualTo(chosen);
        assertThat(started.status()).isEqualTo(AnalysisStatus.PROCESSING);
        assertThat(string(ds, "SELECT string_agg(status, ',' ORDER BY created_at) FROM analysis_requests"))
                .isEqualTo("pending,processing");
    }

    @Test
    void startingARequestThatIsNotPendingIsStaleAndWritesNothing(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID busy = insertRequest(ds, userId, "processing", "2024-01-01 00:00:00+00");
        UUID done = insertRequest(ds, userId, "completed", "2024-01-01 00:00:00+00");
        String before = string(ds, "SELECT string_agg(id || status || updated_at, ',' ORDER BY id) FROM analysis_requests");

        assertThatThrownBy(() -> db.analyses().startProcessing(busy))
                .isInstanceOf(StaleStateException.class)
                .hasMessageContaining(busy.toString()).hasMessageContaining("expected state pending")
                .hasMessageContaining("but it is processing");
        assertThatThrownBy(() -> db.analyses().startProcessing(done))
                .isInstanceOf(StaleStateException.class).hasMessageContaining("but it is completed");
        assertThatThrownBy(() -> db.analyses().startProcessing(UUID.randomUUID()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> db.analyses().startProcessing(null))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("analysisRequest.id:");
        assertThat(string(ds, "SELECT string_agg(id || status || updated_at, ',' ORDER BY id) FROM analysis_requests"))
                .isEqualTo(before);
    }

    // ---- lists and counts ------------------------------------------------------------------------

    @Test
    void listsAUsersRequestsOfOneStatusNewestFirstWithTheTotal(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID other = user(ds);
        UUID c1 = insertRequest(ds, userId, "completed", "2024-01-01 00:00:00+00");
        insertRequest(ds, userId, "failed", "2024-01-02 00:00:00+00");
        UUID c3 = insertRequest(ds, userId, "completed", "2024-01-03 00:00:00+00");
        UUID c4 = insertRequest(ds, userId, "completed", "2024-01-04 00:00:00+00");
        insertRequest(ds, userId, "pending", "2024-01-05 00:00:00+00");
        insertRequest(ds, other, "completed", "2024-01-06 00:00:00+00");

        Page<AnalysisRequest> first = db.analyses().listByUser(userId, AnalysisStatus.COMPLETED, null, 2);
        Page<AnalysisRequest> second = db.analyses().listByUser(userId, AnalysisStatus.COMPLETED, first.next().orElseThrow(), 2);

        assertThat(first.items()).extracting(AnalysisRequest::id).containsExactly(c4, c3);
        assertThat(second.items()).extracting(AnalysisRequest::id).containsExactly(c1);
        assertThat(second.next()).isEmpty();
        assertThat(first.total()).hasValue(3);
        assertThat(second.total()).hasValue(3);
        assertThat(db.analyses().listByUser(userId, null, null, 10).total()).hasValue(5);
        assertThat(db.analyses().listByUser(userId, AnalysisStatus.PROCESSING, null, 10).total()).hasValue(0);
    }

    @Test
    void countsAUsersRequestsByStatusWithEveryStatusPresent(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID other = user(ds);
        insertRequest(ds, userId, "completed", "2024-01-01 00:00:00+00");
        insertRequest(ds, userId, "completed", "2024-01-02 00:00:00+00");
        insertRequest(ds, userId, "pending", "2024-01-03 00:00:00+00");
        insertRequest(ds, other, "failed", "2024-01-03 00:00:00+00");

        Map<AnalysisStatus, Long> counts = db.analyses().countByStatus(userId);

        assertThat(counts).containsExactly(Map.entry(AnalysisStatus.PENDING, 1L),
                Map.entry(AnalysisStatus.PROCESSING, 0L), Map.entry(AnalysisStatus.COMPLETED, 2L),
                Map.entry(AnalysisStatus.FAILED, 0L));
        assertThat(db.analyses().countByStatus(UUID.randomUUID()).values()).containsOnly(0L);
        assertThatThrownBy(() -> db.analyses().countByStatus(null)).isInstanceOf(ValidationException.class);
    }

}
