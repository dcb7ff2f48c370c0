package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static com.airesumereview.db.repository.AnalysisTestRows.contents;
import static com.airesumereview.db.repository.AnalysisTestRows.execute;
import static com.airesumereview.db.repository.AnalysisTestRows.string;
import static com.airesumereview.db.repository.AnalysisTestRows.strings;
import static com.airesumereview.db.repository.AnalysisTestRows.user;
import static com.airesumereview.db.repository.AnalysisTestRows.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.ResumeAnalysis;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestAnalyses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class AnalysisRepositoryTest {
    private static final String REQUESTS = "analysis_requests";
    private static final String RESULTS = "analysis_results";

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void createsPendingRequestWithEveryField(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        Instant before = Instant.now().minusSeconds(5);

        AnalysisRequest r = db.analyses().create(NewAnalysisRequest.builder()
                .userId(userId).originalFilename("cv.pdf").filePath("uploads/u/cv.pdf").fileSizeBytes(2048)
                .mimeType("application/pdf").targetRole("Data Engineer").industry("Finance")
                .experienceLevel(AnalysisExperienceLevel.EXECUTIVE).build());

        assertThat(r.id()).isNotNull();
        assertThat(r.userId()).isEqualTo(userId);
        assertThat(r.status()).isEqualTo(AnalysisStatus.PENDING);
        assertThat(r.originalFilename()).isEqualTo("cv.pdf");
        assertThat(r.filePath()).isEqualTo("uploads/u/cv.pdf");
        assertThat(r.fileSizeBytes()).isEqualTo(2048);
        assertThat(r.mimeType()).isEqualTo("application/pdf");
        assertThat(r.targetRole()).isEqualTo("Data Engineer");
        assertThat(r.industry()).isEqualTo("Finance");
        assertThat(r.experienceLevel()).isEqualTo(AnalysisExperienceLevel.EXECUTIVE);
        assertThat(r.createdAt()).isAfter(before);
        assertThat(r.updatedAt()).isEqualTo(r.createdAt());
        assertThat(r.completedAt()).isNull();
        assertThat(db.analyses().find(r.id())).contains(new ResumeAnalysis(r, Optional.empty()));
    }

    @Test
    void createsRequestWithOptionalFieldsLeftOutAndLongestValues(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);

        AnalysisRequest r = db.analyses().create(NewAnalysisRequest.builder()
                .userId(userId).originalFilename("n".repeat(255)).filePath("p".repeat(500))
                .fileSizeBytes(Integer.MAX_VALUE).mimeType("m".repeat(100)).build());

        assertThat(r.originalFilename()).hasSize(255);
        assertThat(r.filePath()).hasSize(500);
        assertThat(r.fileSizeBytes()).isEqualTo(Integer.MAX_VALUE);
        assertThat(r.mimeType()).hasSize(100);
        assertThat(r.targetRole()).isNull();
        assertThat(r.industry()).isNull();
        assertThat(r.experienceLevel()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"originalFilename", "filePath", "mimeType", "targetRole", "industry", "fileSizeBytes",
            "userId", "nul"})
    void rejectsInvalidRequestBeforeAnySql(String broken, DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        NewAnalysisRequest ok = TestAnalyses.newRequest(userId);
        // Built inside the assertion: a missing or negative field is refused by build(), the rest by create().
        Supplier<NewAnalysisRequest> bad = () -> switch (broken) {
            case "originalFilename" -> with(ok, "n".repeat(256), ok.filePath(), ok.fileSizeBytes(), ok.mimeType(),
                    ok.targetRole(), ok.industry());
            case "filePath" -> with(ok, ok.originalFilename(), "p".repeat(501), ok.fileSizeBytes(), ok.mimeType(),
                    ok.targetRole(), ok.industry());
            case "mimeType" -> with(ok, ok.originalFilename(), ok.filePath(), ok.fileSizeBytes(), "m".repeat(101),
                    ok.targetRole(), ok.industry());
            case "targetRole" -> with(ok, ok.originalFilename(), ok.filePath(), ok.fileSizeBytes(), ok.mimeType(),
                    "r".repeat(256), ok.industry());
            case "industry" -> with(ok, ok.originalFilename(), ok.filePath(), ok.fileSizeBytes(), ok.mimeType(),
                    ok.targetRole(), "i".repeat(256));
            case "fileSizeBytes" -> with(ok, ok.originalFilename(), ok.filePath(), -1, ok.mimeType(),
                    ok.targetRole(), ok.industry());
            case "userId" -> NewAnalysisRequest.builder()
                    .userId(null).originalFilename(ok.originalFilename()).filePath(ok.filePath()).fileSizeBytes(1)
                    .mimeType(ok.mimeType()).build();
            case "nul" -> with(ok, "cv\0.pdf", ok.filePath(), ok.fileSizeBytes(), ok.mimeType(), ok.targetRole(),
                    ok.industry());
            default -> throw new IllegalArgumentException(broken);
        };
        String field = "analysisRequest." + switch (broken) {
            case "nul" -> "originalFilename";
            default -> broken;
        };

        assertThatThrownBy(() -> db.analyses().create(bad.get()))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(field + ":")
                .extracting(e -> ((ValidationException) e).field()).isEqualTo(field);
        assertThat(contents(ds, REQUESTS)).isEmpty();
    }

    private static NewAnalysisRequest with(NewAnalysisRequest r, String name, String path, int size, String mime,
            String role, String industry) {
        return NewAnalysisRequest.builder()
                .userId(r.userId()).originalFilename(name).filePath(path).fileSizeBytes(size).mimeType(mime)
                .targetRole(role).industry(industry).experienceLevel(r.experienceLevel()).build();
    }

    @Test
    void refusesRequestOfUnknownUserNamingTheField(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);

        assertThatThrownBy(() -> db.analyses().create(TestAnalyses.newRequest(UUID.randomUUID())))
                .isInstanceOf(ConstraintViolationException.class)
                .hasMessageContaining("analysisRequest.userId")
                .extracting(e -> ((ConstraintViolationException) e).kind())
                .isEqualTo(ConstraintViolationException.Kind.FOREIGN_KEY);
        assertThat(contents(ds, REQUESTS)).isEmpty();
    }

    // ---- claim ----------------------------------------------------------------------------------

    @Test
    void claimsOldestPendingRequestAndSetsItProcessing(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID newer = insertRequest(ds, userId, "pending", "2024-01-02 00:00:00+00");
        UUID oldest = insertRequest(ds, userId, "pending", "2024-01-01 00:00:00+00");
        insertRequest(ds, userId, "completed", "2023-01-01 00:00:00+00");
        insertRequest(ds, userId, "failed", "2023-01-01 00:00:00+00");

        AnalysisRequest claimed = db.analyses().claimNextPending().orElseThrow();

        assertThat(claimed.id()).isEqualTo(oldest);
        assertThat(claimed.status()).isEqualTo(AnalysisStatus.PROCESSING);
        assertThat(status(ds, oldest)).isEqualTo("processing");
        assertThat(status(ds, newer)).isEqualTo("pending");
        assertThat(db.analyses().claimNextPending().map(AnalysisRequest::id)).contains(newer);
        assertThat(db.analyses().claimNextPending()).isEmpty();
    }

    @Test
    void eightWorkersClaimEachOf200PendingRequestsExactlyOnce(DataSource ds) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        execute(ds, "INSERT INTO analysis_requests (user_id, original_filename, file_path, file_size_bytes, mime_type)"
                + " SELECT '" + userId + "', 'cv' || i || '.pdf', 'p/' || i, i, 'application/pdf'"
                + " FROM generate_series(1, 200) i");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<UUID>>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(() -> {
                start.await();
                List<UUID> mine = new ArrayList<>();
                for (Optional<AnalysisRequest> next = db.analyses().claimNextPending(); next.isPresent();
                        next = db.analyses().claimNextPending()) {
                    mine.add(next.get().id());
                }
                return mine;
            });
        }
        List<Future<List<UUID>>> futures = new ArrayList<>();
        for (Callable<List<UUID>> worker : workers) {
            futures.add(pool.submit(worker));
        }
        start.countDown();
        List<UUID> all = new ArrayList<>();
        for (Future<List<UUID>> f : futures) {
            all.addAll(f.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();

        assertThat(all).hasSize(200).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(Set.copyOf(strings(ds, "SELECT id FROM analysis_requests").stream()
                .map(UUID::fromString).toList()));
        assertThat(strings(ds, "SELECT DISTINCT status FROM analysis_requests")).containsExactly("processing");
    }

    @Test
    void requeuesOnlyRequestsProcessingLongerThanTheGivenAge(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID stuck = insertRequest(ds, userId, "processing", "2024-01-01 00:00:00+00", "now() - interval '2 hours'");
        UUID busy = insertRequest(ds, userId, "processing", "2024-01-01 00:00:00+00", "now() - interval '10 minutes'");
        UUID oldPending = insertRequest(ds, userId, "pending", "2024-01-01 00:00:00+00", "now() - interval '2 hours'");
        UUID oldDone = insertRequest(ds, userId, "completed", "2024-01-01 00:00:00+00", "now() - interval '2 hours'");

        int requeued = db.analyses().requeueStuck(Duration.ofHours(1));

        assertThat(requeued).isEqualTo(1);
        assertThat(status(ds, stuck)).isEqualTo("pending");
        assertThat(status(ds, busy)).isEqualTo("processing");
        assertThat(status(ds, oldPending)).isEqualTo("pending");
        assertThat(status(ds, oldDone)).isEqualTo("completed");
        assertThat(db.analyses().requeueStuck(Duration.ofHours(1))).isZero();
        assertThat(db.analyses().claimNextPending()).isPresent();
    }

    @Test
    void rejectsNegativeStuckAge(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        insertRequest(ds, userId, "processing", "2024-01-01 00:00:00+00", "now() - interval '2 hours'");
        List<String> before = contents(ds, REQUESTS);

        assertThatThrownBy(() -> db.analyses().requeueStuck(Duration.ofMinutes(-1)))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("stuckFor:");
        assertThat(contents(ds, REQUESTS)).isEqualTo(before);
    }

    // ---- complete -------------------------------------------------------------------------------

    @Test
    void completesProcessingRequestWithItsResult(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        AnalysisRequest created = db.analyses().create(TestAnalyses.newRequest(user(ds)));
        db.analyses().claimNextPending();

        ResumeAnalysis done = db.analyses().complete(created.id(), TestAnalyses.newResult());

        assertThat(done.request().status()).isEqualTo(AnalysisStatus.COMPLETED);
        assertThat(done.request().completedAt()).isNotNull().isAfterOrEqualTo(created.createdAt());
        assertThat(done.result()).hasValueSatisfying(result -> {
            assertThat(result.requestId()).isEqualTo(created.id());
            assertThat(result.overallScore()).isEqualTo(82);
            assertThat(result.formattingScore()).isEqualTo(78);
            assertThat(result.contentScore()).isEqualTo(85);
            assertThat(result.keywordOptimizationScore()).isEqualTo(64);
            assertThat(result.aiModelVersion()).isEqualTo("gpt-4o-2024-08-06");
            assertThat(result.processingTimeSeconds()).isEqualTo(12.345);
            assertThat(result.recommendations())
                    .containsExactly("Strong opening statement", "Add keywords from the job posting");
        });
        assertThat(db.analyses().find(created.id())).contains(done);
        assertThat(strings(ds, "SELECT status || ' ' || (completed_at IS NOT NULL) FROM analysis_requests"))
                .containsExactly("completed true");
    }

    @Test
    void completesMinimalResultWithNullColumns(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        AnalysisRequest created = db.analyses().create(TestAnalyses.newRequest(user(ds)));
        db.analyses().claimNextPending();

        var result = db.analyses().complete(created.id(), TestAnalyses.minimalResult()).result().orElseThrow();

        assertThat(result.overallScore()).isNull();
        assertThat(result.structureFeedback().strengths()).isNull();
        assertThat(result.structureFeedback().weaknesses()).isNull();
        assertThat(result.recommendations()).isNull();
        assertThat(result.detailedFeedback()).isNull();
        assertThat(result.processingTimeSeconds()).isNull();
        assertThat(string(ds, "SELECT concat_ws(',', overall_score, strengths, weaknesses, recommendations,"
                + " detailed_feedback, processing_time_ms, ai_model_used) FROM analysis_results"))
                .isEqualTo("gpt-4o-mini");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pending", "completed", "failed"})
    void refusesToCompleteRequestThatIsNotProcessing(String state, DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = insertRequest(ds, user(ds), state, "2024-01-01 00:00:00+00");
        List<String> before = contents(ds, REQUESTS);

        assertThatThrownBy(() -> db.analyses().complete(id, TestAnalyses.newResult()))
                .isInstanceOf(StaleStateException.class)
                .hasMessageContaining(id.toString())
                .hasMessageContaining("expected state processing but it is " + state);
        assertThat(contents(ds, REQUESTS)).isEqualTo(before);
        assertThat(contents(ds, RESULTS)).isEmpty();
    }

    @Test
    void secondCompletionOfTheSameRequestIsStaleAndKeepsTheFirstResult(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        AnalysisRequest created = db.analyses().create(TestAnalyses.newRequest(user(ds)));
        db.analyses().claimNextPending();
        db.analyses().complete(created.id(), TestAnalyses.newResult());

        assertThatThrownBy(() -> db.analyses().complete(created.id(), TestAnalyses.minimalResult()))
                .isInstanceOf(StaleStateException.class);
        assertThat(strings(ds, "SELECT ai_model_used FROM analysis_results")).containsExactly("gpt-4o-2024-08-06");
    }

    @Test
    void completingUnknownRequestIsNotFound(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> db.analyses().complete(unknown, TestAnalyses.newResult()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("analysisRequest " + unknown + " does not exist");
        assertThat(contents(ds, RESULTS)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overallScore", "formattingScore", "contentScore", "keywordOptimizationScore",
            "aiModelVersion", "aiModelVersionMissing", "strengths"})
    void invalidResultWritesNeitherResultNorStatus(String broken, DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        AnalysisRequest created = db.analyses().create(TestAnalyses.newRequest(user(ds)));
        db.analyses().claimNextPending();
        // Built inside the assertion: scores and a missing model are refused by build(), the rest by complete().
        Supplier<NewAnalysisResult> bad = () -> switch (broken) {
            case "overallScore" -> NewAnalysisResult.builder()
                    .overallScore(101).formattingScore(1).contentScore(1).keywordOptimizationScore(1)
                    .aiModelVersion("m").build();
            case "formattingScore" -> NewAnalysisResult.builder()
                    .overallScore(1).formattingScore(-1).contentScore(1).keywordOptimizationScore(1).aiModelVersion("m")
                    .build();
            case "contentScore" -> NewAnalysisResult.builder()
                    .overallScore(1).formattingScore(1).contentScore(200).keywordOptimizationScore(1)
                    .aiModelVersion("m").build();
            case "keywordOptimizationScore" -> NewAnalysisResult.builder()
                    .overallScore(1).formattingScore(1).contentScore(1).keywordOptimizationScore(-5).aiModelVersion("m")
                    .build();
            case "aiModelVersion", "aiModelVersionMissing" -> NewAnalysisResult.builder()
                    .overallScore(1).formattingScore(1).contentScore(1).keywordOptimizationScore(1)
                    .aiModelVersion(broken.endsWith("Missing") ? null : "m".repeat(101)).build();
            case "strengths" -> NewAnalysisResult.builder()
                    .overallScore(1).formattingScore(1).contentScore(1).keywordOptimizationScore(1)
                    .structureFeedback(new com.airesumereview.db.domain.StructureFeedback(List.of("ok", "bad\0"), null))
                    .aiModelVersion("m").build();
            default -> throw new IllegalArgumentException(broken);
        };
        String field = switch (broken) {
            case "aiModelVersionMissing" -> "analysisResult.aiModelVersion";
            case "strengths" -> "analysisResult.structureFeedback.strengths[1]";
            default -> "analysisResult." + broken;
        };
        List<String> before = contents(ds, REQUESTS);

        assertThatThrownBy(() -> db.analyses().complete(created.id(), bad.get()))
                .isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo(field);
        assertThat(contents(ds, REQUESTS)).isEqualTo(before);
        assertThat(status(ds, created.id())).isEqualTo("processing");
        assertThat(contents(ds, RESULTS)).isEmpty();
    }

    @Test
    void databaseFailureWhileInsertingTheResultRollsBackTheStatusChange(DataSource ds, ProvisionedDatabase database) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        AnalysisRequest created = db.analyses().create(TestAnalyses.newRequest(user(ds)));
        db.analyses().claimNextPending();
        List<String> before = contents(ds, REQUESTS);
        // Only in this test's throwaway database: make the result insert fail inside the database,
        // after the request's status update has already run in the same transaction.
        execute(database.ownerDataSource(), "CREATE FUNCTION test_refuse_result() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RAISE EXCEPTION 'result store unavailable'; END $$",
                "CREATE TRIGGER test_refuse_result BEFORE INSERT ON analysis_results"
                        + " FOR EACH ROW EXECUTE FUNCTION test_refuse_result()");

        // The one classifier names the operation and SQLSTATE; the server's own message stays in the cause.
        assertThatThrownBy(() -> db.analyses().complete(created.id(), TestAnalyses.newResult()))
                .isInstanceOf(com.airesumereview.db.DatabaseOperationException.class)
                .hasMessageContaining("analyses.complete").hasMessageContaining("P0001")
                .rootCause().hasMessageContaining("result store unavailable");
        assertThat(contents(ds, REQUESTS)).isEqualTo(before);
        assertThat(status(ds, created.id())).isEqualTo("processing");
        assertThat(contents(ds, RESULTS)).isEmpty();
    }

    @Test
    void completionJoinsTheCallersTransaction(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        AnalysisRequest created = db.analyses().create(TestAnalyses.newRequest(user(ds)));
        db.analyses().claimNextPending();

        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.analyses().complete(created.id(), TestAnalyses.newResult());
            throw new IllegalStateException("caller gives up");
        })).hasMessage("caller gives up");
        assertThat(status(ds, created.id())).isEqualTo("processing");
        assertThat(contents(ds, RESULTS)).isEmpty();
    }

    // ---- fail -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"pending", "processing"})
    void failsPendingOrProcessingRequest(String state, DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = insertRequest(ds, user(ds), state, "2024-01-01 00:00:00+00");

        AnalysisRequest failed = db.analyses().fail(id);

        assertThat(failed.status()).isEqualTo(AnalysisStatus.FAILED);
        assertThat(failed.completedAt()).isNull();
        assertThat(status(ds, id)).isEqualTo("failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"completed", "failed"})
    void refusesToFailFinishedRequest(String state, DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = insertRequest(ds, user(ds), state, "2024-01-01 00:00:00+00");
        List<String> before = contents(ds, REQUESTS);

        assertThatThrownBy(() -> db.analyses().fail(id))
                .isInstanceOf(StaleStateException.class)
                .hasMessageContaining("expected state pending or processing but it is " + state);
        assertThat(contents(ds, REQUESTS)).isEqualTo(before);
    }

    @Test
    void failingUnknownRequestIsNotFound(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);

        assertThatThrownBy(() -> db.analyses().fail(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }

    // ---- find -----------------------------------------------------------------------------------

    @Test
    void findsNothingForUnknownRequest(DataSource ds) {
        assertThat(ResumeReviewDb.create(ds).analyses().find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void findReturnsTheNewestResultWhenProductionHoldsSeveral(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = insertRequest(ds, user(ds), "completed", "2024-01-01 00:00:00+00");
        execute(ds, "INSERT INTO analysis_results (request_id, ai_model_used, created_at) VALUES"
                + " ('" + id + "', 'old-model', '2024-01-01 01:00:00+00'),"
                + " ('" + id + "', 'new-model', '2024-01-01 02:00:00+00')");

        assertThat(db.analyses().find(id).orElseThrow().result().orElseThrow().aiModelVersion())
                .isEqualTo("new-model");
    }

    // ---- list -----------------------------------------------------------------------------------

    @Test
    void listsUsersRequestsNewestFirstInKeysetPages(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID other = user(ds);
        List<UUID> byDay = new ArrayList<>();
        for (int day = 1; day <= 5; day++) {
            byDay.add(insertRequest(ds, userId, "pending", "2024-01-0" + day + " 00:00:00+00"));
        }
        // A second request at the same instant as day 3: ties are ordered by id, descending.
        UUID tie = insertRequest(ds, userId, "pending", "2024-01-03 00:00:00+00");
        insertRequest(ds, other, "pending", "2024-01-04 00:00:00+00");
        // PostgreSQL orders uuids by bytes (java.util.UUID compares signed longs): take the tie's order from SQL.
        boolean tieFirst = string(ds, "SELECT ?::uuid > ?::uuid", tie, byDay.get(2)).equals("t");
        List<UUID> expected = new ArrayList<>(List.of(byDay.get(4), byDay.get(3)));
        expected.addAll(tieFirst ? List.of(tie, byDay.get(2)) : List.of(byDay.get(2), tie));
        expected.addAll(List.of(byDay.get(1), byDay.get(0)));

        List<UUID> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Page<AnalysisRequest> page = db.analyses().listByUser(userId, null, null, 4);
        while (true) {
            sizes.add(page.items().size());
            page.items().forEach(r -> seen.add(r.id()));
            if (page.next().isEmpty()) {
                break;
            }
            page = db.analyses().listByUser(userId, null, page.next().get(), 4);
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(sizes).containsExactly(4, 2);
    }

    @Test
    void lastFullPageHasNoNextCursor(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        insertRequest(ds, userId, "pending", "2024-01-01 00:00:00+00");
        insertRequest(ds, userId, "pending", "2024-01-02 00:00:00+00");

        Page<AnalysisRequest> page = db.analyses().listByUser(userId, null, null, 2);

        assertThat(page.items()).hasSize(2);
        assertThat(page.next()).isEmpty();
        assertThat(db.analyses().listByUser(UUID.randomUUID(), null, null, 2).items()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001})
    void rejectsPageSizeOutside1To1000(int size, DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);

        assertThatThrownBy(() -> db.analyses().listByUser(UUID.randomUUID(), null, null, size))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("page.limit:");
    }

    @Test
    void readsAndPagesPastInfiniteTimestamps(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID userId = user(ds);
        UUID future = insertRequest(ds, userId, "completed", "infinity");
        UUID past = insertRequest(ds, userId, "completed", "-infinity");
        UUID normal = insertRequest(ds, userId, "completed", "2024-01-01 00:00:00+00");
        execute(ds, "UPDATE analysis_requests SET completed_at = 'infinity' WHERE id = '" + normal + "'");

        Page<AnalysisRequest> first = db.analyses().listByUser(userId, null, null, 1);
        Page<AnalysisRequest> second = db.analyses().listByUser(userId, null, first.next().orElseThrow(), 1);
        Page<AnalysisRequest> third = db.analyses().listByUser(userId, null, second.next().orElseThrow(), 1);

        assertThat(first.items()).extracting(AnalysisRequest::id).containsExactly(future);
        assertThat(first.items().get(0).createdAt()).isEqualTo(Instant.MAX);
        assertThat(second.items()).extracting(AnalysisRequest::id).containsExactly(normal);
        assertThat(second.items().get(0).completedAt()).isEqualTo(Instant.MAX);
        assertThat(third.items()).extracting(AnalysisRequest::id).containsExactly(past);
        assertThat(third.items().get(0).createdAt()).isEqualTo(Instant.MIN);
        assertThat(third.next()).isEmpty();
        assertThat(db.analyses().listByUser(userId, null, new PageCursor(Instant.MIN, past), 5).items())
                .isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    static UUID insertRequest(DataSource ds, UUID userId, String status, String createdAt) {
        return insertRequest(ds, userId, status, createdAt, "now()");
    }

    static UUID insertRequest(DataSource ds, UUID userId, String status, String createdAt, String updatedAtSql) {
        return uuid(ds, "INSERT INTO analysis_requests (user_id, original_filename, file_path, file_size_bytes,"
                + " mime_type, status, created_at, updated_at) VALUES (?, 'cv.pdf', 'p/cv.pdf', 10, 'application/pdf',"
                + " ?, ?::timestamptz, " + updatedAtSql + ") RETURNING id", userId, status, createdAt);
    }

    private static String status(DataSource ds, UUID id) {
        return string(ds, "SELECT status FROM analysis_requests WHERE id = ?", id);
    }
}
