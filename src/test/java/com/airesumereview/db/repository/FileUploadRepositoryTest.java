package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static com.airesumereview.db.generated.Tables.FILE_UPLOADS;
import static com.airesumereview.db.repository.FileUploadMappingTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.IllegalTransitionException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.ExtractionResult;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.UploadStatistics;
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUploads;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** FileUploadRepository against the production snapshot: create, lookups, keyset paging, lifecycle, functions, COPY. */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class FileUploadRepositoryTest {
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void createStoresAPendingUploadWithProgressZeroAndFindByIdReadsItBack(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        NewFileUpload input = NewFileUpload.builder()
                .userId(owner).filename("3f2a.pdf").originalFilename("Ada CV.pdf").mimeType("application/pdf")
                .fileSize(48_213).fileHash(HASH).targetRole("Data Engineer").targetIndustry("Finance")
                .experienceLevel(UploadExperienceLevel.SENIOR).build();

        FileUpload created = db.fileUploads().create(input);

        assertThat(created.status()).isEqualTo(UploadStatus.PENDING);
        assertThat(created.progress()).isZero();
        assertThat(created.userId()).isEqualTo(owner);
        assertThat(List.of(created.filename(), created.originalFilename(), created.mimeType(), created.fileHash(),
                created.targetRole(), created.targetIndustry()))
                .containsExactly("3f2a.pdf", "Ada CV.pdf", "application/pdf", HASH, "Data Engineer", "Finance");
        assertThat(created.fileSize()).isEqualTo(48_213);
        assertThat(created.experienceLevel()).isEqualTo(UploadExperienceLevel.SENIOR);
        assertThat(created.uploadStartedAt()).isCloseTo(Instant.now(), within(60, ChronoUnit.SECONDS));
        assertThat(created.uploadCompletedAt()).isNull();
        assertThat(created.errorMessage()).isNull();
        assertThat(created.extractionMetadata()).isEqualTo(ExtractionMetadata.EMPTY);
        assertThat(db.fileUploads().findById(created.id())).contains(created);
    }

    @Test
    void findByIdIsEmptyForAnUnknownId(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        assertThat(db.fileUploads().findById(UUID.randomUUID())).isEmpty();
    }

    static Stream<Arguments> invalidUploads() {
        UUID u = UUID.fromString("00000000-0000-0000-0000-000000000001");
        String s256 = "x".repeat(256);
        return Stream.of(
                Arguments.of("fileUpload.userId", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(null).filename("f").originalFilename("f.pdf").mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH).build()),
                Arguments.of("fileUpload.filename", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename(s256).originalFilename("f.pdf").mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH).build()),
                Arguments.of("fileUpload.filename", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("a\0b").originalFilename("f.pdf").mimeType("application/pdf")
                        .fileSize(1).fileHash(HASH).build()),
                Arguments.of("fileUpload.originalFilename", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename(" ").mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH).build()),
                Arguments.of("fileUpload.originalFilename", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename(s256).mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH).build()),
                Arguments.of("fileUpload.mimeType", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename("f.pdf").mimeType("a/" + "x".repeat(99))
                        .fileSize(1).fileHash(HASH).build()),
                Arguments.of("fileUpload.fileSize", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename("f.pdf").mimeType("application/pdf").fileSize(0)
                        .fileHash(HASH).build()),
                Arguments.of("fileUpload.fileHash", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename("f.pdf").mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH.toUpperCase()).build()),
                Arguments.of("fileUpload.fileHash", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename("f.pdf").mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH.substring(1)).build()),
                Arguments.of("fileUpload.fileHash", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename("f.pdf").mimeType("application/pdf").fileSize(1)
                        .fileHash(null).build()),
                Arguments.of("fileUpload.targetRole", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename("f.pdf").mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH).targetRole(s256).build()),
                Arguments.of("fileUpload.targetIndustry", (Function<UUID, NewFileUpload>) owner -> NewFileUpload.builder()
                        .userId(owner).filename("f").originalFilename("f.pdf").mimeType("application/pdf").fileSize(1)
                        .fileHash(HASH).targetIndustry(s256).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUploads")
    void createRejectsAnInvalidFieldNamingItAndWritesNothing(String field, Function<UUID, NewFileUpload> input,
                                                            DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        db.fileUploads().create(TestUploads.pdf(owner));
        List<Map<String, Object>> before = table(db);

        assertThatThrownBy(() -> db.fileUploads().create(input.apply(owner)))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(field + ":");
        assertThat(table(db)).isEqualTo(before);
    }

    @Test
    void createForAUserThatDoesNotExistIsAForeignKeyViolationOnUserId(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        assertThatThrownBy(() -> db.fileUploads().create(TestUploads.pdf(UUID.randomUUID())))
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConstraintViolationException.Kind.FOREIGN_KEY);
                    assertThat(e.field()).isEqualTo("fileUpload.userId");
                    assertThat(e.constraint()).isEqualTo("file_uploads_user_id_fkey");
                });
        assertThat(table(db)).isEmpty();
    }

    // ---- find by content hash ---------------------------------------------------------------------

    @Test
    void findByContentHashReturnsTheUsersNewestUploadWithThatHash(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        UUID other = user(db);
        FileUpload older = db.fileUploads().create(TestUploads.withHash(owner, HASH));
        FileUpload newer = db.fileUploads().create(TestUploads.withHash(owner, HASH));
        setCreatedAt(db, older.id(), "2024-01-01T00:00:00Z");
        setCreatedAt(db, newer.id(), "2024-06-01T00:00:00Z");
        FileUpload othersNewest = db.fileUploads().create(TestUploads.withHash(other, HASH));
        db.fileUploads().create(TestUploads.pdf(owner));

        assertThat(db.fileUploads().findByContentHash(owner, HASH)).map(FileUpload::id).contains(newer.id());
        assertThat(db.fileUploads().findByContentHash(other, HASH)).map(FileUpload::id).contains(othersNewest.id());
        assertThat(db.fileUploads().findByContentHash(owner, TestUploads.sha256())).isEmpty();
    }

    @Test
    void findByContentHashRejectsAHashLongerThanTheColumn(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        assertThatThrownBy(() -> db.fileUploads().findByContentHash(UUID.randomUUID(), HASH + "0"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("fileUpload.fileHash:");
    }

    // ---- keyset paging ----------------------------------------------------------------------------

    @Test
    void listByUserPagesNewestFirstWithoutGapsOrRepeatsIncludingTiesOnCreatedAt(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        UUID other = user(db);
        List<UUID> singles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FileUpload u = db.fileUploads().create(TestUploads.pdf(owner));
            setCreatedAt(db, u.id(), "2024-01-0" + (i + 1) + "T00:00:00Z");
            singles.add(u.id());
        }
        db.fileUploads().createAll(TestUploads.many(owner, 7)); // 7 rows with one created_at: ties broken by id
        db.fileUploads().createAll(TestUploads.many(other, 3));
        List<FileUpload> expected = db.dsl().selectFrom(FILE_UPLOADS).where(FILE_UPLOADS.USER_ID.eq(owner)).fetch()
                .map(r -> db.fileUploads().findById(r.getId()).orElseThrow());
        // PostgreSQL orders uuids byte-wise, like their lowercase text (Java's UUID.compareTo is signed)
        expected.sort(Comparator.comparing(FileUpload::uploadStartedAt).thenComparing(u -> u.id().toString()).reversed());

        List<FileUpload> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Page<FileUpload> page = db.fileUploads().listByUser(owner, null, 5);
        while (true) {
            seen.addAll(page.items());
            sizes.add(page.items().size());
            if (page.next().isEmpty()) {
                break;
            }
            page = db.fileUploads().listByUser(owner, PageCursor.parse(page.next().get().token()), 5);
        }

        assertThat(sizes).containsExactly(5, 5, 2);
        assertThat(seen).extracting(FileUpload::id).containsExactlyElementsOf(expected.stream().map(FileUpload::id).toList());
        assertThat(seen.subList(7, 12)).extracting(FileUpload::id).containsExactlyElementsOf(reversed(singles));
    }

    @Test
    void listByUserWithAStatusReturnsOnlyThatStatusNewestFirst(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        List<UUID> validating = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            FileUpload u = db.fileUploads().create(TestUploads.pdf(owner));
            setCreatedAt(db, u.id(), "2024-02-1" + i + "T00:00:00Z");
            if (i % 2 == 0) {
                db.fileUploads().startValidating(u.id());
                validating.add(u.id());
            }
        }

        Page<FileUpload> first = db.fileUploads().listByUser(owner, UploadStatus.VALIDATING, null, 2);
        Page<FileUpload> second = db.fileUploads().listByUser(owner, UploadStatus.VALIDATING, first.next().orElseThrow(), 2);

        assertThat(first.items()).extracting(FileUpload::id).containsExactly(validating.get(2), validating.get(1));
        assertThat(second.items()).extracting(FileUpload::id).containsExactly(validating.get(0));
        assertThat(second.hasNext()).isFalse();
        assertThat(db.fileUploads().listByUser(owner, UploadStatus.COMPLETED, null, 10).items()).isEmpty();
    }

    @Test
    void listByUserRejectsAPageSizeOutsideOneToAThousand(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        assertThatThrownBy(() -> db.fileUploads().listByUser(UUID.randomUUID(), null, 0))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("page.limit:");
        assertThatThrownBy(() -> db.fileUploads().listByUser(UUID.randomUUID(), null, 1001))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("page.limit:");
    }

    @Test
    void aCursorTokenThatWasNotIssuedIsRejected() {
        PageCursor c = new PageCursor(Instant.parse("2024-01-01T10:00:00.123456Z"), UUID.randomUUID());

        assertThat(PageCursor.parse(c.token())).isEqualTo(c);
        assertThatThrownBy(() -> PageCursor.parse("not-a-cursor"))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("page.cursor:");
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    @Test
    void anUploadMovesForwardThroughThePipelineAndCompletesWithItsResults(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));

        assertThat(db.fileUploads().startValidating(u.id()).status()).isEqualTo(UploadStatus.VALIDATING);
        assertThat(db.fileUploads().updateProgress(u.id(), 40).progress()).isEqualTo(40);
        assertThat(db.fileUploads().startExtracting(u.id()).status()).isEqualTo(UploadStatus.EXTRACTING);
        FileUpload done = db.fileUploads().complete(u.id(), TestUploads.extractionResult());

        assertThat(done.status()).isEqualTo(UploadStatus.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.uploadCompletedAt()).isCloseTo(Instant.now(), within(60, ChronoUnit.SECONDS));
        assertThat(done.extractedText()).isEqualTo("Ada Lovelace\nAnalyst");
        assertThat(done.extractionMetadata()).isEqualTo(ExtractionMetadata.of(412, 2630, "pdfplumber",
                JsonNodeFactory.instance.arrayNode().add("experience").add("education").add("skills")));
        assertThat(List.of(done.processingTimeMs(), done.validationTimeMs(), done.extractionTimeMs()))
                .containsExactly(950, 120, 780);
        assertThat(db.fileUploads().findById(u.id())).contains(done);
    }

    static Stream<Arguments> illegalTransitions() {
        return Stream.of(
                Arguments.of(UploadStatus.COMPLETED, UploadStatus.PENDING),
                Arguments.of(UploadStatus.PENDING, UploadStatus.COMPLETED),
                Arguments.of(UploadStatus.PENDING, UploadStatus.EXTRACTING),
                Arguments.of(UploadStatus.VALIDATING, UploadStatus.PENDING),
                Arguments.of(UploadStatus.EXTRACTING, UploadStatus.VALIDATING),
                Arguments.of(UploadStatus.PENDING, UploadStatus.PENDING),
                Arguments.of(UploadStatus.COMPLETED, UploadStatus.ERROR),
                Arguments.of(UploadStatus.ERROR, UploadStatus.PENDING),
                Arguments.of(UploadStatus.ERROR, UploadStatus.COMPLETED));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("illegalTransitions")
    void illegalTransitionsAreRejectedBeforeAnySql(UploadStatus from, UploadStatus to, DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));
        List<Map<String, Object>> before = table(db);

        assertThatThrownBy(() -> db.fileUploads().advance(u.id(), from, to))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.from()).isEqualTo(from.literal());
                    assertThat(e.to()).isEqualTo(to.literal());
                    assertThat(e.field()).isEqualTo("fileUpload.status");
                });
        assertThat(recordedStatements(dataSource, d -> d.fileUploads().advance(u.id(), from, to))).isEmpty();
        assertThat(table(db)).isEqualTo(before);
    }

    @Test
    void failFromAFinalStateIsRejectedBeforeAnySql(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);

        assertThat(recordedStatements(dataSource,
                d -> d.fileUploads().fail(UUID.randomUUID(), UploadStatus.COMPLETED, "late")))
                .isEmpty();
        assertThatThrownBy(() -> db.fileUploads().fail(UUID.randomUUID(), UploadStatus.ERROR, "again"))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("fileUpload.status");
    }

    @Test
    void aStepFromAStateTheUploadIsNoLongerInIsStaleAndWritesNothing(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));
        db.fileUploads().startValidating(u.id());
        List<Map<String, Object>> before = table(db);

        assertThatThrownBy(() -> db.fileUploads().startValidating(u.id()))
                .isInstanceOfSatisfying(StaleStateException.class, e -> {
                    assertThat(e.expected()).isEqualTo("pending");
                    assertThat(e.actual()).isEqualTo("validating");
                    assertThat(e.key()).isEqualTo(u.id().toString());
                });
        assertThatThrownBy(() -> db.fileUploads().complete(u.id(), TestUploads.extractionResult()))
                .isInstanceOfSatisfying(StaleStateException.class, e -> assertThat(e.expected()).isEqualTo("extracting"));
        assertThat(table(db)).isEqualTo(before);
    }

    @Test
    void aStepOnAnUploadThatDoesNotExistIsNotFound(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID missing = UUID.randomUUID();

        assertThatThrownBy(() -> db.fileUploads().startValidating(missing))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.key()).isEqualTo(missing.toString()));
        assertThatThrownBy(() -> db.fileUploads().updateProgress(missing, 5)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> db.fileUploads().fail(missing, "boom")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void ofEightConcurrentIdenticalStepsExactlyOneSucceedsAndTheOthersAreStale(DataSource dataSource) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<FileUpload>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return db.fileUploads().startValidating(u.id());
                }));
            }
            start.countDown();
            int succeeded = 0;
            List<Throwable> failures = new ArrayList<>();
            for (Future<FileUpload> f : results) {
                try {
                    assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(UploadStatus.VALIDATING);
                    succeeded++;
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(succeeded).isEqualTo(1);
            assertThat(failures).hasSize(7).allSatisfy(t -> assertThat(t).isInstanceOfSatisfying(StaleStateException.class,
                    e -> assertThat(e.actual()).isEqualTo("validating")));
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.fileUploads().findById(u.id()).orElseThrow().status()).isEqualTo(UploadStatus.VALIDATING);
    }

    @Test
    void concurrentWorkersRacingThroughThePipelineNeverSkipOrGoBackwards(DataSource dataSource) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));
        List<UploadStatus[]> edges = List.of(
                new UploadStatus[] {UploadStatus.PENDING, UploadStatus.VALIDATING},
                new UploadStatus[] {UploadStatus.VALIDATING, UploadStatus.EXTRACTING},
                new UploadStatus[] {UploadStatus.EXTRACTING, UploadStatus.COMPLETED});
        ConcurrentLinkedQueue<String> wins = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (UploadStatus[] edge : edges) {
                        try {
                            FileUpload after = db.fileUploads().advance(u.id(), edge[0], edge[1]);
                            wins.add(edge[0] + "->" + after.status());
                        } catch (StaleStateException e) {
                            // someone else took this step (or is ahead): fine
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).isEmpty();
        assertThat(wins).containsExactlyInAnyOrder("pending->validating", "validating->extracting", "extracting->completed");
        assertThat(db.fileUploads().findById(u.id()).orElseThrow().status()).isEqualTo(UploadStatus.COMPLETED);
    }

    // ---- progress ---------------------------------------------------------------------------------

    @Test
    void progressCanBeSetWhileInThePipelineButNotOutsideZeroToHundredOrAfterCompletion(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));

        assertThat(db.fileUploads().updateProgress(u.id(), 15).progress()).isEqualTo(15);
        assertThat(db.fileUploads().updateProgress(u.id(), 10).progress()).isEqualTo(10);
        List<Map<String, Object>> before = table(db);
        assertThatThrownBy(() -> db.fileUploads().updateProgress(u.id(), 101))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("fileUpload.progress:");
        assertThatThrownBy(() -> db.fileUploads().updateProgress(u.id(), -1))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("fileUpload.progress:");
        assertThat(table(db)).isEqualTo(before);

        db.fileUploads().fail(u.id(), "corrupt PDF");
        assertThatThrownBy(() -> db.fileUploads().updateProgress(u.id(), 50))
                .isInstanceOfSatisfying(StaleStateException.class, e -> assertThat(e.actual()).isEqualTo("error"));
        assertThat(db.fileUploads().findById(u.id()).orElseThrow().progress()).isEqualTo(10);
    }

    // ---- fail -------------------------------------------------------------------------------------

    @Test
    void failStoresTheMessageFromAnyPipelineStateButNotFromAFinalOne(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        FileUpload pending = db.fileUploads().create(TestUploads.pdf(owner));
        FileUpload validating = db.fileUploads().startValidating(db.fileUploads().create(TestUploads.pdf(owner)).id());
        FileUpload extracting = db.fileUploads().startExtracting(
                db.fileUploads().startValidating(db.fileUploads().create(TestUploads.pdf(owner)).id()).id());

        FileUpload a = db.fileUploads().fail(pending.id(), "unsupported file");
        FileUpload b = db.fileUploads().fail(validating.id(), UploadStatus.VALIDATING, "virus found");
        FileUpload c = db.fileUploads().fail(extracting.id(), "no text layer");

        assertThat(List.of(a, b, c)).extracting(FileUpload::status).containsOnly(UploadStatus.ERROR);
        assertThat(List.of(a, b, c)).extracting(FileUpload::errorMessage)
                .containsExactly("unsupported file", "virus found", "no text layer");
        assertThat(c.uploadCompletedAt()).isNull();
        assertThatThrownBy(() -> db.fileUploads().fail(a.id(), "again"))
                .isInstanceOfSatisfying(StaleStateException.class, e -> assertThat(e.actual()).isEqualTo("error"));
        assertThat(db.fileUploads().findById(a.id()).orElseThrow().errorMessage()).isEqualTo("unsupported file");
    }

    @Test
    void failNeedsAMessage(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));
        List<Map<String, Object>> before = table(db);

        assertThatThrownBy(() -> db.fileUploads().fail(u.id(), "  "))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("fileUpload.errorMessage:");
        assertThatThrownBy(() -> db.fileUploads().fail(u.id(), null))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("fileUpload.errorMessage:");
        assertThat(table(db)).isEqualTo(before);
    }

    // ---- complete ---------------------------------------------------------------------------------

    static Stream<Arguments> invalidResults() {
        ExtractionMetadata ok = ExtractionMetadata.of(1, 1, "m", null);
        return Stream.of(
                Arguments.of("fileUpload.processingTimeMs", new ExtractionResult("t", ok, -1, 0, 0)),
                Arguments.of("fileUpload.validationTimeMs", new ExtractionResult("t", ok, 0, -5, 0)),
                Arguments.of("fileUpload.extractedText", new ExtractionResult("a\0b", ok, 0, 0, 0)),
                Arguments.of("fileUpload.extractionMetadata.wordCount", new ExtractionResult("t", ExtractionMetadata.of(-1, 1, "m", null), 0, 0, 0)),
                Arguments.of("fileUpload.extractionMetadata.characterCount", new ExtractionResult("t", ExtractionMetadata.of(1, -1, "m", null), 0, 0, 0)),
                Arguments.of("fileUpload.extractionMetadata.extractionMethod", new ExtractionResult("t", ExtractionMetadata.of(1, 1, "m".repeat(51), null), 0, 0, 0)),
                Arguments.of("fileUpload.extractionMetadata.detectedSections", new ExtractionResult("t",
                        ExtractionMetadata.of(1, 1, "m", JsonNodeFactory.instance.arrayNode().add("nul\0")), 0, 0, 0)),
                Arguments.of("fileUpload.extractionMetadata.detectedSections", new ExtractionResult("t",
                        ExtractionMetadata.of(1, 1, "m", JsonNodeFactory.instance.arrayNode().add(Double.NaN)), 0, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResults")
    void completeRejectsInvalidResultsNamingTheFieldAndWritesNothing(String field, ExtractionResult result,
                                                                    DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().startExtracting(
                db.fileUploads().startValidating(db.fileUploads().create(TestUploads.pdf(user(db))).id()).id());
        List<Map<String, Object>> before = table(db);

        assertThatThrownBy(() -> db.fileUploads().complete(u.id(), result))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(field + ":");
        assertThat(table(db)).isEqualTo(before);
    }

    // ---- functions --------------------------------------------------------------------------------

    @Test
    void statisticsCountOneUsersUploadsOrEveryonesThroughTheProductionFunction(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        UUID other = user(db);
        FileUpload a = extractingUpload(db, owner, 1_048_576);
        FileUpload b = extractingUpload(db, owner, 524_288);
        db.fileUploads().complete(a.id(), new ExtractionResult("t", null, 100, 1, 1));
        db.fileUploads().complete(b.id(), new ExtractionResult("t", null, 201, 1, 1));
        db.fileUploads().fail(db.fileUploads().create(TestUploads.pdf(owner)).id(), "bad");
        db.fileUploads().create(TestUploads.pdf(owner));
        db.fileUploads().create(TestUploads.pdf(other));

        UploadStatistics mine = db.fileUploads().statistics(owner);
        UploadStatistics all = db.fileUploads().statisticsForAllUsers();
        UploadStatistics nobody = db.fileUploads().statistics(UUID.randomUUID());

        // 1048576 + 524288 + 2 * 49152 bytes = 1.5937.. MiB; avg(100, 201) = 150.5
        assertThat(mine).isEqualTo(new UploadStatistics(4, 2, 1, 1, new BigDecimal("150.50"), new BigDecimal("1.59")));
        assertThat(all.totalUploads()).isEqualTo(5);
        assertThat(all.pendingUploads()).isEqualTo(2);
        assertThat(nobody).isEqualTo(new UploadStatistics(0, 0, 0, 0, null, null));
    }

    @Test
    void cleanupDeletesOldFinishedAndStuckUploadsAndReturnsTheCount(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        FileUpload stuck = db.fileUploads().create(TestUploads.pdf(owner));
        FileUpload fresh = db.fileUploads().create(TestUploads.pdf(owner));
        FileUpload oldError = db.fileUploads().fail(db.fileUploads().create(TestUploads.pdf(owner)).id(), "x");
        setCreatedAt(db, stuck.id(), Instant.now().minus(2, ChronoUnit.DAYS).toString());
        setCreatedAt(db, oldError.id(), Instant.now().minus(8, ChronoUnit.DAYS).toString());

        assertThat(db.fileUploads().cleanupOldUploads()).isEqualTo(2);
        assertThat(table(db)).extracting(r -> r.get("id")).containsExactly(fresh.id());
        assertThat(db.fileUploads().cleanupOldUploads()).isZero();
    }

    // ---- bulk insert (COPY) -----------------------------------------------------------------------

    @Test
    void createAllWritesTenThousandRowsInOneCall(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        List<NewFileUpload> uploads = new ArrayList<>(TestUploads.many(owner, 9_999));
        uploads.add(NewFileUpload.builder()
                .userId(owner).filename("tab\there").originalFilename("line\nbreak \\N back\\slash \r ü😀 \\.")
                .mimeType("text/plain").fileSize(7).fileHash(HASH).targetRole("Role\\t")
                .experienceLevel(UploadExperienceLevel.JUNIOR).build());

        long written = db.fileUploads().createAll(uploads);

        assertThat(written).isEqualTo(10_000);
        assertThat(db.dsl().fetchCount(FILE_UPLOADS, FILE_UPLOADS.USER_ID.eq(owner)
                .and(FILE_UPLOADS.STATUS.eq(UploadStatus.PENDING)).and(FILE_UPLOADS.PROGRESS.eq(0)))).isEqualTo(10_000);
        FileUpload special = db.fileUploads().findByContentHash(owner, HASH).orElseThrow();
        assertThat(special.filename()).isEqualTo("tab\there");
        assertThat(special.originalFilename()).isEqualTo("line\nbreak \\N back\\slash \r ü😀 \\.");
        assertThat(special.targetRole()).isEqualTo("Role\\t");
        assertThat(special.targetIndustry()).isNull();
        assertThat(special.experienceLevel()).isEqualTo(UploadExperienceLevel.JUNIOR);
        assertThat(special.fileSize()).isEqualTo(7);
    }

    @Test
    void createAllWithAnInvalidRowInTheMiddleWritesNothingAndNamesTheRowAndField(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        db.fileUploads().create(TestUploads.pdf(owner));
        List<Map<String, Object>> before = table(db);
        List<NewFileUpload> uploads = new ArrayList<>(TestUploads.many(owner, 10_000));
        uploads.set(5_000, TestUploads.withHash(owner, "not-a-hash"));

        assertThatThrownBy(() -> db.fileUploads().createAll(uploads))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("fileUploads[5000].fileHash"));
        assertThat(table(db)).isEqualTo(before);
    }

    @Test
    void createAllForAMissingUserWritesNothingAndReportsTheForeignKey(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        List<NewFileUpload> uploads = new ArrayList<>(TestUploads.many(owner, 100));
        uploads.add(TestUploads.pdf(UUID.randomUUID()));

        assertThatThrownBy(() -> db.fileUploads().createAll(uploads))
                .isInstanceOfSatisfying(ConstraintViolationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ConstraintViolationException.Kind.FOREIGN_KEY);
                    assertThat(e.field()).isEqualTo("fileUpload.userId");
                });
        assertThat(table(db)).isEmpty();
        assertThat(db.fileUploads().createAll(TestUploads.many(owner, 3))).as("connection still usable").isEqualTo(3);
    }

    @Test
    void createAllJoinsTheSurroundingTransactionAndRollsBackWithIt(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);

        assertThatThrownBy(() -> db.useTransaction(tx -> {
            tx.fileUploads().createAll(TestUploads.many(owner, 50));
            assertThat(tx.dsl().fetchCount(FILE_UPLOADS)).isEqualTo(50);
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(table(db)).isEmpty();
        assertThat(db.fileUploads().createAll(List.of())).isZero();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static FileUpload extractingUpload(ResumeReviewDb db, UUID owner, int size) {
        NewFileUpload p = TestUploads.pdf(owner);
        FileUpload u = db.fileUploads().create(NewFileUpload.builder()
                .userId(owner).filename(p.filename()).originalFilename(p.originalFilename()).mimeType(p.mimeType())
                .fileSize(size).fileHash(p.fileHash()).build());
        return db.fileUploads().startExtracting(db.fileUploads().startValidating(u.id()).id());
    }

    /** Every statement {@code work} sent, seen at the JDBC level (engine and jOOQ alike). */
    private static List<String> recordedStatements(DataSource dataSource, java.util.function.Consumer<ResumeReviewDb> work) {
        return QueryPlans.recorded(dataSource, db -> {
            try {
                work.accept(db);
            } catch (ValidationException expected) {
                // the refusal is asserted elsewhere; here only the statements matter
            }
        }).stream().map(QueryPlans.Recorded::sql).toList();
    }

    static void setCreatedAt(ResumeReviewDb db, UUID id, String instant) {
        db.dsl().update(FILE_UPLOADS).set(FILE_UPLOADS.CREATED_AT, OffsetDateTime.parse(instant).toInstant())
                .where(FILE_UPLOADS.ID.eq(id)).execute();
    }

    static List<Map<String, Object>> table(ResumeReviewDb db) {
        return db.dsl().select(DSL.asterisk()).from(FILE_UPLOADS).orderBy(FILE_UPLOADS.ID).fetchMaps();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }
}
