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
import java.time.Duration;
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

    @BeforeEach
    void connect(ProvisionedDatabase database) throws java.sql.SQLException {
        serverVersion = ReliabilityFigures.serverVersion(database.dataSource());
        db = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(database.url()).maximumPoolSize(THREADS)
                .schemaCheck(SchemaCheck.OFF).build());
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        db.close();
    }

    @Test
    void sixteenThreadsFailingLoginsEndWithTheExactCountAndOneLock() throws Exception {
        int perThread = 25;
        int maxAttempts = 50;
        for (int round = 0; round < 3; round++) {
            UUID user = db.users().create(TestUsers.newUser()).id();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<List<LoginFailure>>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tasks.add(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    List<LoginFailure> seen = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        seen.add(db.users().recordFailedLogin(user, maxAttempts, Duration.ofMinutes(15)));
                    }
                    return seen;
                });
            }
            List<LoginFailure> all = new ArrayList<>();
            for (Future<List<LoginFailure>> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                all.addAll(f.get());
            }
            int total = THREADS * perThread;
            // Each failure counted exactly once: the counts seen are 1..total, each once.
            assertThat(all.stream().map(LoginFailure::failedLoginAttempts).sorted().toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, total).boxed().toList());
            assertThat(all).filteredOn(f -> f.failedLoginAttempts() < maxAttempts)
                    .allSatisfy(f -> assertThat(f.lockedUntil()).isNull());
            Set<Instant> locks = all.stream().map(LoginFailure::lockedUntil).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
            assertThat(locks).as("one lock, never extended by later failures").hasSize(1);
            assertThat(all).filteredOn(f -> f.failedLoginAttempts() >= maxAttempts)
                    .allSatisfy(f -> assertThat(f.locked()).isTrue());
            User after = db.users().findById(user).orElseThrow();
            assertThat(after.failedLoginAttempts()).isEqualTo(total);
            assertThat(after.lockedUntil()).isEqualTo(locks.iterator().next());
        }
        ReliabilityFigures.record("concurrency.failed_logins", String.format("%d threads x %d failed logins on one user,"
                + " 3 users: every count 1..%d seen exactly once, one lock per user", THREADS, perThread,
                THREADS * perThread), null, serverVersion);
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
     * Two threads present the same refresh token at once, 100 times: exactly one rotation wins ({@code Rotated}) and
     * only its successor is stored; the other is told it lost and stores nothing. The loser is
     * {@code LostRace} when both read the token before the winner's compare-and-set committed (the overlap this test
     * is about, so at least one round must end that way), or, when its read came after the winner's commit,
     * {@code ReuseDetected} (the presented token is revoked) or {@code UnknownToken} (a rotation in place left no row
     * with the presented hash).
     */
    @Test
    void aTokenRotatedByTwoThreadsAtOnceIsAcceptedOnce() throws Exception {
        int rounds = 100;
        Map<String, Integer> losers = new TreeMap<>();
        UUID user = db.users().create(TestUsers.newUser()).id();
        Instant expires = Instant.now().plus(Duration.ofDays(1));
        for (int round = 0; round < rounds; round++) {
            String raw = TestRefreshTokens.rawToken();
            db.refreshTokens().issue(new com.airesumereview.db.domain.NewRefreshToken(user, raw, "s" + round, null,
                    null, expires));
            CyclicBarrier start = new CyclicBarrier(2);
            List<String> successors = List.of(TestRefreshTokens.rawToken(), TestRefreshTokens.rawToken());
            List<Future<RotationResult>> futures = new ArrayList<>();
            for (String successor : successors) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return db.refreshTokens().rotate(raw, successor, expires, "203.0.113.7");
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
            assertThat(loser).as("round %d loser", round).isInstanceOfAny(RotationResult.LostRace.class,
                    RotationResult.ReuseDetected.class, RotationResult.UnknownToken.class);
            losers.merge(loser.getClass().getSimpleName(), 1, Integer::sum);
            int winner = results.indexOf(results.stream().filter(RotationResult.Rotated.class::isInstance)
                    .findFirst().orElseThrow());
            assertThat(db.refreshTokens().findByRawToken(successors.get(1 - winner))).as("the loser stored nothing")
                    .isEmpty();
            RefreshToken issued = db.refreshTokens().findByRawToken(successors.get(winner)).orElseThrow();
            assertThat(db.refreshTokens().findActive(raw)).as("the presented token is no longer active").isEmpty();
            if (loser instanceof RotationResult.ReuseDetected) {
                // A replay of a rotated token revokes the session, successor included (documented behaviour).
                assertThat(issued.status()).isEqualTo(RefreshTokenStatus.REVOKED);
            } else {
                assertThat(issued.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
            }
        }
        int lostRace = losers.getOrDefault("LostRace", 0);
        System.out.printf("[reliability] token rotation: %d rounds, exactly 1 winner each; losers %s%n", rounds, losers);
        assertThat(losers.values().stream().mapToInt(Integer::intValue).sum()).as("losers").isEqualTo(rounds);
        // The overlap really happened: both read the token before either compare-and-set committed.
        assertThat(lostRace).as("rounds whose loser was RotationResult.LostRace: %s", losers).isPositive();
        ReliabilityFigures.record("concurrency.token_rotation", String.format("%d rounds of two threads rotating one"
                + " token: exactly one Rotated each; losers %s", rounds, losers), null, serverVersion);
    }
}
