package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.RefreshTokenStatus;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Concurrent callers of one row: counts are exact, state machines never skip or go backwards, and of two
 * rotations of one token exactly one wins. Runs through a real pool ({@code ResumeReviewDb.connect}) on a
 * fresh snapshot database.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class ConcurrencyTest {
    private static final int THREADS = 16;

    private ResumeReviewDb db;
    private ExecutorService pool;

    private String serverVersion;
    private javax.sql.DataSource owner;

    @BeforeEach
    void connect(ProvisionedDatabase database) throws java.sql.SQLException {
        owner = database.ownerDataSource();
        serverVersion = ReliabilityFigures.serverVersion(database.dataSource());
        db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(database.url()).maximumPoolSize(THREADS)
                .schemaCheck(SchemaCheck.OFF).build());
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        db.close();
        // Whatever the threads did, every row still holds the Python service's invariants (issue 8).
        com.airesumereview.db.ProductionInvariants.assertHold(owner);
    }

    @Test
    void sixteenThreadsFailingLoginsEndWithTheExactCountAndOneLock() throws Exception {
        int perThread = 25;
        int maxAttempts = com.airesumereview.db.ResumeReviewDbConfig.DEFAULT_MAX_FAILED_LOGINS;
        for (int round = 0; round < 3; round++) {
            UUID user = db.users().create(TestUsers.newUser()).id();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<List<LoginFailure>>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tasks.add(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    List<LoginFailure> seen = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        seen.add(db.users().recordFailedLogin(user));
                    }
                    return seen;
                });
            }
            List<LoginFailure> all = new ArrayList<>();
            for (Future<List<LoginFailure>> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                all.addAll(f.get());
            }
            int total = THREADS * perThread;
            // Failures up to the lock are each counted exactly once (1..max); once locked, attempts are refused
            // without counting, as the Python service refuses them.
            assertThat(all).filteredOn(LoginFailure::counted).extracting(LoginFailure::failedLoginAttempts)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, maxAttempts).boxed()
                            .toList());
            assertThat(all).filteredOn(f -> !f.counted()).hasSize(total - maxAttempts)
                    .allSatisfy(f -> assertThat(f.locked()).isTrue());
            assertThat(all).filteredOn(f -> f.failedLoginAttempts() < maxAttempts)
                    .allSatisfy(f -> assertThat(f.lockedUntil()).isNull());
            Set<Instant> locks = all.stream().map(LoginFailure::lockedUntil).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
            assertThat(locks).as("one lock, never extended by later failures").hasSize(1);
            User after = db.users().findById(user).orElseThrow();
            assertThat(after.failedLoginAttempts()).isEqualTo(maxAttempts);
            assertThat(after.lockedUntil()).isEqualTo(locks.iterator().next());
        }
        ReliabilityFigures.record("concurrency.failed_logins", String.format("%d threads x %d failed logins on one user,"
                + " 3 users: counts 1..%d each seen once, the rest refused while locked, one lock per user", THREADS,
                perThread, maxAttempts), null, serverVersion);
    }

    /**
     * Sixteen threads push the same upload through its lifecycle at once, each taking whatever step comes
     * next from the status it last saw (sometimes to error). Every status a thread observes (by reading, by
     * winning a step, or from a lost compare-and-set) must follow the lifecycle in order, and the winning
     * steps must form one chain from pending to a final status.
     */
    @Test
    void concurrentTransitionsOfOneUploadNeverSkipOrGoBackwards() throws Exception {
        UUID user = db.users().create(TestUsers.newUser()).id();
        Random seeds = new Random(20240611L);
        int rounds = 25;
        Map<String, Integer> endings = new TreeMap<>();
        int stale = 0;
        for (int round = 0; round < rounds; round++) {
            UUID id = db.fileUploads().create(TestUploads.pdf(user)).id();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<Observations>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = seeds.nextLong();
                tasks.add(() -> walk(id, start, new Random(seed)));
            }
            List<Observations> all = new ArrayList<>();
            for (Future<Observations> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                all.add(f.get());
            }
            for (Observations o : all) {
                assertThat(rank(o.seen)).as("statuses one thread saw, in order: %s", o.seen).isSorted();
                List<UploadStatus> finals = o.seen.stream().filter(s -> FileUpload.isFinal(s)).distinct().toList();
                assertThat(finals).as("a thread saw at most one final status: %s", o.seen).hasSizeLessThanOrEqualTo(1);
                stale += o.stale;
            }
            List<UploadStatus[]> wins = all.stream().flatMap(o -> o.wins.stream()).collect(Collectors.toList());
            wins.sort((a, b) -> Integer.compare(rank(a[0]), rank(b[0])));
            UploadStatus at = UploadStatus.PENDING;
            for (UploadStatus[] step : wins) {
                assertThat(step[0]).as("each winning step starts where the previous one ended").isEqualTo(at);
                assertThat(FileUpload.nextStatuses(at)).contains(step[1]);
                at = step[1];
            }
            assertThat(FileUpload.isFinal(at)).as("the chain ends in a final status").isTrue();
            assertThat(db.fileUploads().findById(id).orElseThrow().status()).isEqualTo(at);
            endings.merge(wins.stream().map(s -> s[1].literal()).collect(Collectors.joining(">", "pending>", "")), 1,
                    Integer::sum);
        }
        System.out.printf("[reliability] upload lifecycle: %d rounds x %d threads, %d lost compare-and-sets, chains %s%n",
                rounds, THREADS, stale, endings);
        // Without collisions the checks above prove nothing about concurrency.
        assertThat(stale).as("lost compare-and-sets (StaleStateException) over %d rounds", rounds).isPositive();
        ReliabilityFigures.record("concurrency.upload_lifecycle", String.format("%d rounds x %d threads on one upload:"
                + " %d lost compare-and-sets, never skipped or backwards", rounds, THREADS, stale), null, serverVersion);
    }

    private record Observations(List<UploadStatus> seen, List<UploadStatus[]> wins, int stale) {
    }

    private Observations walk(UUID id, CyclicBarrier start, Random random) throws Exception {
        start.await(30, TimeUnit.SECONDS);
        List<UploadStatus> seen = new ArrayList<>();
        List<UploadStatus[]> wins = new ArrayList<>();
        int stale = 0;
        UploadStatus current = db.fileUploads().findById(id).orElseThrow().status();
        seen.add(current);
        while (!FileUpload.isFinal(current)) {
            UploadStatus next = random.nextInt(10) == 0 ? UploadStatus.ERROR : switch (current) {
                case PENDING -> UploadStatus.VALIDATING;
                case VALIDATING -> UploadStatus.EXTRACTING;
                default -> UploadStatus.COMPLETED;
            };
            try {
                FileUpload moved = next == UploadStatus.COMPLETED
                        ? db.fileUploads().complete(id, TestUploads.extractionResult())
                        : next == UploadStatus.ERROR ? db.fileUploads().fail(id, current, "fuzzed failure")
                        : db.fileUploads().advance(id, current, next);
                assertThat(moved.status()).isEqualTo(next);
                wins.add(new UploadStatus[] {current, next});
                current = next;
            } catch (StaleStateException e) {
                stale++;
                current = UploadStatus.valueOf(e.actual().toUpperCase(java.util.Locale.ROOT));
            }
            seen.add(current);
            if (random.nextBoolean()) {
                current = db.fileUploads().findById(id).orElseThrow().status();
                seen.add(current);
            }
        }
        return new Observations(seen, wins, stale);
    }

    private static int rank(UploadStatus s) {
        return switch (s) {
            case PENDING -> 0;
            case VALIDATING -> 1;
            case EXTRACTING -> 2;
            case COMPLETED, ERROR -> 3;
        };
    }

    private static List<Integer> rank(List<UploadStatus> statuses) {
        return statuses.stream().map(ConcurrencyTest::rank).toList();
    }

    /**
     * Two threads rotate the same token at once, 100 times: exactly one wins (Rotated) and the session keeps its
     * one row with the winner's hash; the loser changes nothing. It is told LostRace when it read the token
     * before the winner committed, UnknownToken when it read after (the presented hash is then gone: rotation
     * is in place, so the library cannot tell a replaced token from one never issued).
     */
    @Test
    void aTokenRotatedByTwoThreadsAtOnceIsAcceptedOnce() throws Exception {
        int rounds = 100;
        int lostRace = 0;
        int unknown = 0;
        UUID user = db.users().create(TestUsers.newUser()).id();
        for (int round = 0; round < rounds; round++) {
            String raw = TestRefreshTokens.rawToken();
            RefreshToken session = db.refreshTokens().issue(
                    com.airesumereview.db.domain.NewRefreshToken.forUser(user).rawToken(raw).build()).token();
            CyclicBarrier start = new CyclicBarrier(2);
            List<String> successors = List.of(TestRefreshTokens.rawToken(), TestRefreshTokens.rawToken());
            List<Future<RotationResult>> futures = new ArrayList<>();
            for (String successor : successors) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return db.refreshTokens().rotate(raw, successor);
                }));
            }
            List<RotationResult> results = new ArrayList<>();
            for (Future<RotationResult> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(RotationResult.Rotated.class::isInstance).as("round %d: %s", round, results)
                    .hasSize(1);
            RotationResult loser = results.stream().filter(r -> !(r instanceof RotationResult.Rotated)).findFirst()
                    .orElseThrow();
            assertThat(loser).isInstanceOfAny(RotationResult.LostRace.class, RotationResult.UnknownToken.class);
            int winner = results.indexOf(results.stream().filter(RotationResult.Rotated.class::isInstance)
                    .findFirst().orElseThrow());
            assertThat(db.refreshTokens().findByRawToken(successors.get(1 - winner))).as("the loser wrote nothing")
                    .isEmpty();
            RefreshToken rotated = db.refreshTokens().findByRawToken(successors.get(winner)).orElseThrow();
            assertThat(rotated.id()).as("rotated in place").isEqualTo(session.id());
            assertThat(rotated.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
            assertThat(db.refreshTokens().findByRawToken(raw)).isEmpty();
            if (loser instanceof RotationResult.LostRace) {
                lostRace++;
            } else {
                unknown++;
            }
            db.refreshTokens().revokeAll(user);
        }
        System.out.printf("[reliability] token rotation: %d rounds, 1 winner each; losers: %d LostRace, %d UnknownToken%n",
                rounds, lostRace, unknown);
        assertThat(lostRace + unknown).isEqualTo(rounds);
        // The overlap really happened: both read the token before either compare-and-set committed.
        assertThat(lostRace).as("rounds whose loser was RotationResult.LostRace").isPositive();
        ReliabilityFigures.record("concurrency.token_rotation", String.format("%d rounds of two threads rotating one"
                + " token in place: exactly one Rotated each; losers %d LostRace, %d UnknownToken", rounds, lostRace,
                unknown), null, serverVersion);
    }
}
