package com.airesumereview.db.production;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jooq.impl.DSL;

/**
 * Threads of mixed repository operations for a while, each checking what it got back against what it wrote, and
 * afterwards the database against every write that was acknowledged. What the pooler tests count: operations,
 * failed operations (any exception), wrong results (an answer that is not what this thread wrote), and acknowledged
 * writes missing from the database at the end.
 *
 * <p>The mix: a user created then read back; a transaction creating a user and issuing a session; an upload created
 * and moved to validating (a compare-and-set); a page of users; a session looked up by its raw token; and a
 * {@code dsl()} query echoing its own bind values, which catches a statement run with another client's binds.
 */
final class MixedWorkload {
    /** What a run measured. */
    record Result(long operations, long failed, long wrong, long missing, List<String> firstFailures,
                  Map<String, Long> failureTypes, long failedInLastSecond) {
        double operationsPerSecond(Duration run) {
            return operations * 1000.0 / Math.max(1, run.toMillis());
        }
    }

    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final List<String> firstFailures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> failureTypes = new ConcurrentHashMap<>();
    private final AtomicLong failedInLastSecond = new AtomicLong();
    private volatile long lastSecond = Long.MAX_VALUE;
    private final Map<UUID, String> users = new ConcurrentHashMap<>();
    private final Map<UUID, UploadStatus> uploads = new ConcurrentHashMap<>();
    private final Map<String, UUID> sessions = new ConcurrentHashMap<>();

    /** Runs {@code threads} callers on {@code db} for {@code duration}, then checks the database through {@code owner}. */
    static Result run(ResumeReviewDb db, DataSource owner, int threads, Duration duration, long seed) throws Exception {
        MixedWorkload w = new MixedWorkload();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + duration.toNanos();
        w.lastSecond = end - TimeUnit.SECONDS.toNanos(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                futures.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        w.one(db, random);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long missing = w.missing(owner);
        return new Result(w.operations.get(), w.failed.get(), w.wrong.get(), missing, List.copyOf(w.firstFailures),
                Map.copyOf(w.failureTypes), w.failedInLastSecond.get());
    }

    private void one(ResumeReviewDb db, Random random) {
        operations.incrementAndGet();
        try {
            switch (random.nextInt(6)) {
                case 0 -> {
                    User u = db.users().create(TestUsers.newUser());
                    users.put(u.id(), u.email());
                    Optional<User> back = db.users().findById(u.id());
                    check(back.isPresent() && back.get().email().equals(u.email()), "user read back");
                }
                case 1 -> {
                    User[] created = new User[1];
                    NewRefreshToken token = db.inTransaction(tx -> {
                        created[0] = tx.users().create(TestUsers.newUser());
                        NewRefreshToken t = TestRefreshTokens.newToken(created[0].id());
                        IssuedToken issued = tx.refreshTokens().issue(t);
                        check(issued.token().userId().equals(created[0].id()), "issued token's user");
                        return t;
                    });
                    // acknowledged (and visible to the other threads) only once committed
                    users.put(created[0].id(), created[0].email());
                    sessions.put(token.rawToken(), token.userId());
                }
                case 2 -> {
                    UUID owner = anyUser(random);
                    if (owner == null) {
                        return;
                    }
                    FileUpload f = db.fileUploads().create(TestUploads.pdf(owner));
                    uploads.put(f.id(), UploadStatus.PENDING);
                    FileUpload v = db.fileUploads().startValidating(f.id());
                    check(v.id().equals(f.id()) && v.status() == UploadStatus.VALIDATING, "upload moved to validating");
                    uploads.put(f.id(), UploadStatus.VALIDATING);
                }
                case 3 -> check(db.users().list(UserFilter.all(), (PageCursor) null, 5).items().size() <= 5, "page size");
                case 4 -> {
                    String raw = anySession(random);
                    if (raw == null) {
                        return;
                    }
                    check(db.refreshTokens().findByRawToken(raw).map(t -> t.userId().equals(sessions.get(raw)))
                            .orElse(false), "session found by its raw token");
                }
                default -> {
                    String mine = UUID.randomUUID().toString();
                    int n = random.nextInt(1_000_000);
                    var row = db.dsl().select(DSL.val(mine).as("s"), DSL.val(n).as("n")).fetchOne();
                    check(row != null && mine.equals(row.get("s", String.class))
                            && Integer.valueOf(n).equals(row.get("n", Integer.class)), "dsl() echo of its binds");
                }
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            failureTypes.merge(e.getClass().getSimpleName(), 1L, Long::sum);
            if (System.nanoTime() > lastSecond) {
                failedInLastSecond.incrementAndGet();
            }
            if (firstFailures.size() < 10) {
                firstFailures.add(e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    private void check(boolean right, String what) {
        if (!right) {
            wrong.incrementAndGet();
            if (firstFailures.size() < 10) {
                firstFailures.add("wrong result: " + what);
            }
        }
    }

    private UUID anyUser(Random random) {
        List<UUID> ids = new ArrayList<>(users.keySet().stream().limit(50).toList());
        return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
    }

    private String anySession(Random random) {
        List<String> raws = new ArrayList<>(sessions.keySet().stream().limit(50).toList());
        return raws.isEmpty() ? null : raws.get(random.nextInt(raws.size()));
    }

    /** Acknowledged writes not in the database (user with its email, upload in its last acknowledged state). */
    private long missing(DataSource owner) throws SQLException {
        long missing = 0;
        try (Connection c = owner.getConnection();
                PreparedStatement user = c.prepareStatement("select email from users where id = ?");
                PreparedStatement upload = c.prepareStatement("select status from file_uploads where id = ?")) {
            for (Map.Entry<UUID, String> u : users.entrySet()) {
                user.setObject(1, u.getKey());
                try (ResultSet rs = user.executeQuery()) {
                    if (!rs.next() || !u.getValue().equals(rs.getString(1))) {
                        missing++;
                    }
                }
            }
            for (Map.Entry<UUID, UploadStatus> f : uploads.entrySet()) {
                upload.setObject(1, f.getKey());
                try (ResultSet rs = upload.executeQuery()) {
                    if (!rs.next() || !f.getValue().literal().equals(rs.getString(1))) {
                        missing++;
                    }
                }
            }
        }
        return missing;
    }
}
