package com.airesumereview.db.replication;

import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.audit.AuditEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.domain.NewPromptVersion;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.UserFilter;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.repository.AnalysisRepository;
import com.airesumereview.db.repository.FileUploadRepository;
import com.airesumereview.db.repository.PromptRepository;
import com.airesumereview.db.repository.RefreshTokenRepository;
import com.airesumereview.db.repository.SchemaMigrationRepository;
import com.airesumereview.db.repository.UserRepository;
import com.airesumereview.db.testing.ProjectLayout;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestPrompts;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.verification.Verdict;
import com.airesumereview.db.verification.VerificationReport;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Where each repository method runs, through the public API on a real primary and replica, connected as the
 * least-privilege role (row privileges only, see {@link TestRole}) on both: the router's probe and every replica
 * read work without owner rights. The expected place is read from each method's own Javadoc ("on a replica" /
 * "on the primary"), so the documentation and the behaviour cannot drift apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaRoutingTest {
    private ReplicatedSnapshot pg;
    private ThreadCountingDataSource primary;
    private ThreadCountingDataSource replica;
    private ResumeReviewDb db;
    private Prompt prompt;
    private UUID userId;
    private String userEmail;
    private UUID requestId;
    private FileUpload upload;
    private String rawToken;
    private String sessionId;

    /** The repository interfaces whose every method {@link #calls()} must list. */
    private static final List<Class<?>> REPOSITORIES = List.of(UserRepository.class, FileUploadRepository.class,
            RefreshTokenRepository.class, AnalysisRepository.class, PromptRepository.class,
            SchemaMigrationRepository.class);

    enum Place { PRIMARY, REPLICA }

    /** One repository method and a call of it. */
    record Call(Class<?> repository, String method, Supplier<Object> run) {
        String name() {
            return repository.getSimpleName() + "." + method;
        }
    }

    @BeforeAll
    void start() {
        pg = ReplicatedSnapshot.start(TestRole.LEAST_PRIVILEGE);
        assertThat(pg.database.role()).isEqualTo(TestRole.LEAST_PRIVILEGE);
        primary = new ThreadCountingDataSource(pg.primaryPool());
        replica = new ThreadCountingDataSource(pg.replicaPool());
        db = ResumeReviewDb.create(primary, replica);
        User user = db.users().create(TestUsers.newUser());
        userId = user.id();
        userEmail = user.email();
        requestId = db.analyses().create(TestAnalyses.newRequest(userId)).id();
        prompt = db.prompts().create(TestPrompts.newPrompt());
        upload = db.fileUploads().create(TestUploads.pdf(userId));
        sessionId = TestRefreshTokens.newSessionId();
        var token = TestRefreshTokens.newToken(userId, sessionId);
        rawToken = token.rawToken();
        db.refreshTokens().issue(token);
        pg.pair.awaitReplayed();
    }

    @AfterAll
    void stop() {
        if (db != null) {
            db.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        calls.add(new Call(PromptRepository.class, "findActiveByName", () -> db.prompts().findActiveByName(prompt.name())));
        calls.add(new Call(PromptRepository.class, "listActiveByType", () -> db.prompts().listActiveByType(PromptType.ANALYSIS)));
        calls.add(new Call(PromptRepository.class, "historyOfRequest", () -> db.prompts().historyOfRequest(requestId)));
        calls.add(new Call(PromptRepository.class, "create", () -> db.prompts().create(TestPrompts.newPrompt())));
        calls.add(new Call(PromptRepository.class, "publish", () -> {
            Prompt p = db.prompts().create(TestPrompts.newPrompt());
            return db.prompts().publish(NewPromptVersion.of(p.name(), 1)
                    .template("Analyse {resume_text} again").build());
        }));
        calls.add(new Call(PromptRepository.class, "recordUse", () -> db.prompts().recordUse(requestId, prompt)));
        calls.add(new Call(SchemaMigrationRepository.class, "list", () -> db.schemaMigrations().list()));
        // Reads use the rows made in start() (replayed before any test), writes make their own rows first, so each
        // call succeeds on its own and a destructive one never touches another call's rows. A call documented for a
        // replica must not write first: the caller's own write would keep its read on the primary.
        addUserCalls(calls);
        addFileUploadCalls(calls);
        addRefreshTokenCalls(calls);
        addAnalysisCalls(calls);
        return calls;
    }

    private void addUserCalls(List<Call> calls) {
        var users = db.users();
        calls.add(new Call(UserRepository.class, "create", () -> users.create(TestUsers.newUser())));
        calls.add(new Call(UserRepository.class, "findById", () -> users.findById(userId)));
        calls.add(new Call(UserRepository.class, "findByEmail", () -> users.findByEmail(userEmail.toUpperCase(java.util.Locale.ROOT))));
        calls.add(new Call(UserRepository.class, "list", () -> users.list(UserFilter.all(), null, 20)));
        calls.add(new Call(UserRepository.class, "updateProfile", () -> users.updateProfile(freshUser().id(), "Ada", "King")));
        calls.add(new Call(UserRepository.class, "changeRole", () -> users.changeRole(freshUser().id(), UserRole.ADMIN)));
        calls.add(new Call(UserRepository.class, "setActive", () -> users.setActive(freshUser().id(), false)));
        calls.add(new Call(UserRepository.class, "setEmailVerified", () -> users.setEmailVerified(freshUser().id(), true)));
        calls.add(new Call(UserRepository.class, "changeEmail",
                () -> users.changeEmail(freshUser().id(), TestUsers.uniqueEmail())));
        calls.add(new Call(UserRepository.class, "setPassword",
                () -> users.setPassword(freshUser().id(), TestUsers.passwordHash())));
        calls.add(new Call(UserRepository.class, "resetPasswordForcingChange",
                () -> users.resetPasswordForcingChange(freshUser().id(), TestUsers.passwordHash())));
        calls.add(new Call(UserRepository.class, "unlock", () -> users.unlock(freshUser().id())));
        calls.add(new Call(UserRepository.class, "attemptLogin", () -> users.attemptLogin(freshUser().email())));
        calls.add(new Call(UserRepository.class, "recordSuccessfulLogin", () -> users.recordSuccessfulLogin(freshUser().id())));
        calls.add(new Call(UserRepository.class, "recordFailedLogin", () -> users.recordFailedLogin(freshUser().id())));
        calls.add(new Call(UserRepository.class, "isLocked", () -> users.isLocked(userId, Instant.now())));
        calls.add(new Call(UserRepository.class, "delete", () -> {
            boolean deleted = users.delete(freshUser().id());
            assertThat(deleted).as("the fresh user was deleted").isTrue();
            return deleted;
        }));
    }

    private void addFileUploadCalls(List<Call> calls) {
        var uploads = db.fileUploads();
        calls.add(new Call(FileUploadRepository.class, "create", () -> uploads.create(TestUploads.pdf(userId))));
        calls.add(new Call(FileUploadRepository.class, "createAll", () -> uploads.createAll(TestUploads.many(userId, 3))));
        calls.add(new Call(FileUploadRepository.class, "findById", () -> uploads.findById(upload.id())));
        calls.add(new Call(FileUploadRepository.class, "findByContentHash",
                () -> uploads.findByContentHash(userId, upload.fileHash())));
        // The two overloads share a name: documentedPlace reads the first one's Javadoc for both (both say replica).
        calls.add(new Call(FileUploadRepository.class, "listByUser", () -> uploads.listByUser(userId, null, 20)));
        calls.add(new Call(FileUploadRepository.class, "listByUser",
                () -> uploads.listByUser(userId, UploadStatus.PENDING, null, 20)));
        calls.add(new Call(FileUploadRepository.class, "listInPipeline", () -> uploads.listInPipeline(userId, null, 20)));
        calls.add(new Call(FileUploadRepository.class, "listRecent", () -> uploads.listRecent(null, 20)));
        calls.add(new Call(FileUploadRepository.class, "startValidating", () -> uploads.startValidating(freshUpload().id())));
        calls.add(new Call(FileUploadRepository.class, "startExtracting", () -> {
            UUID id = uploads.startValidating(freshUpload().id()).id();
            return uploads.startExtracting(id);
        }));
        calls.add(new Call(FileUploadRepository.class, "advance",
                () -> uploads.advance(freshUpload().id(), UploadStatus.PENDING, UploadStatus.VALIDATING)));
        calls.add(new Call(FileUploadRepository.class, "updateProgress", () -> uploads.updateProgress(freshUpload().id(), 40)));
        calls.add(new Call(FileUploadRepository.class, "complete", () -> {
            UUID id = freshUpload().id();
            uploads.startExtracting(uploads.startValidating(id).id());
            return uploads.complete(id, TestUploads.extractionResult());
        }));
        // Both overloads of fail say "on the primary"; the first one's Javadoc is the one read for both.
        calls.add(new Call(FileUploadRepository.class, "fail", () -> uploads.fail(freshUpload().id(), "unreadable PDF")));
        calls.add(new Call(FileUploadRepository.class, "fail",
                () -> uploads.fail(freshUpload().id(), UploadStatus.PENDING, "unreadable PDF")));
        calls.add(new Call(FileUploadRepository.class, "statistics", () -> uploads.statistics(userId)));
        calls.add(new Call(FileUploadRepository.class, "statisticsForAllUsers", uploads::statisticsForAllUsers));
        calls.add(new Call(FileUploadRepository.class, "cleanupOldUploads", uploads::cleanupOldUploads));
    }

    // RefreshToken.hashOf is a static helper on the interface that never touches the database: it is no
    // repository call, so it has no entry here and everyRepositoryMethodIsInTheRoutingTable skips static methods.
    private void addRefreshTokenCalls(List<Call> calls) {
        var tokens = db.refreshTokens();
        calls.add(new Call(RefreshTokenRepository.class, "issue",
                () -> tokens.issue(TestRefreshTokens.newToken(freshUser().id()))));
        calls.add(new Call(RefreshTokenRepository.class, "findActive", () -> tokens.findActive(rawToken)));
        calls.add(new Call(RefreshTokenRepository.class, "findByRawToken", () -> tokens.findByRawToken(rawToken)));
        calls.add(new Call(RefreshTokenRepository.class, "findBySessionId", () -> tokens.findBySessionId(sessionId)));
        calls.add(new Call(RefreshTokenRepository.class, "rotate", () -> {
            var fresh = TestRefreshTokens.newToken(freshUser().id());
            tokens.issue(fresh);
            return tokens.rotate(fresh.rawToken(), TestRefreshTokens.rawToken());
        }));
        calls.add(new Call(RefreshTokenRepository.class, "logout", () -> {
            var fresh = TestRefreshTokens.newToken(freshUser().id());
            tokens.issue(fresh);
            return tokens.logout(fresh.rawToken()).orElseThrow();
        }));
        calls.add(new Call(RefreshTokenRepository.class, "revokeSession", () -> {
            var fresh = TestRefreshTokens.newToken(freshUser().id());
            tokens.issue(fresh);
            return tokens.revokeSession(fresh.userId(), fresh.sessionId()).orElseThrow();
        }));
        calls.add(new Call(RefreshTokenRepository.class, "revokeAllExcept", () -> {
            UUID owner = freshUser().id();
            var keep = TestRefreshTokens.newToken(owner);
            tokens.issue(keep);
            tokens.issue(TestRefreshTokens.newToken(owner));
            return tokens.revokeAllExcept(owner, keep.sessionId());
        }));
        calls.add(new Call(RefreshTokenRepository.class, "revokeAll", () -> {
            UUID owner = freshUser().id();
            tokens.issue(TestRefreshTokens.newToken(owner));
            return tokens.revokeAll(owner);
        }));
        calls.add(new Call(RefreshTokenRepository.class, "listActiveSessions", () -> tokens.listActiveSessions(userId)));
        calls.add(new Call(RefreshTokenRepository.class, "countActiveSessions", () -> tokens.countActiveSessions(userId)));
        calls.add(new Call(RefreshTokenRepository.class, "markOverdueExpired", () -> {
            tokens.markOverdueExpired();
            return null;
        }));
        calls.add(new Call(RefreshTokenRepository.class, "deleteStaleTokens", tokens::deleteStaleTokens));
    }

    private void addAnalysisCalls(List<Call> calls) {
        var analyses = db.analyses();
        calls.add(new Call(AnalysisRepository.class, "create", () -> analyses.create(TestAnalyses.newRequest(userId))));
        calls.add(new Call(AnalysisRepository.class, "claimNextPending", () -> {
            freshRequest();
            return analyses.claimNextPending().orElseThrow();
        }));
        calls.add(new Call(AnalysisRepository.class, "startProcessing", () -> analyses.startProcessing(freshRequest())));
        calls.add(new Call(AnalysisRepository.class, "requeueStuck", () -> analyses.requeueStuck(Duration.ofDays(1))));
        calls.add(new Call(AnalysisRepository.class, "complete", () -> {
            UUID id = analyses.startProcessing(freshRequest()).id();
            return analyses.complete(id, TestAnalyses.newResult());
        }));
        calls.add(new Call(AnalysisRepository.class, "fail", () -> analyses.fail(freshRequest())));
        calls.add(new Call(AnalysisRepository.class, "find", () -> analyses.find(requestId).orElseThrow()));
        calls.add(new Call(AnalysisRepository.class, "listByUser", () -> analyses.listByUser(userId, null, null, 20)));
        calls.add(new Call(AnalysisRepository.class, "countByStatus", () -> analyses.countByStatus(userId)));
    }

    private User freshUser() {
        return db.users().create(TestUsers.newUser());
    }

    private FileUpload freshUpload() {
        return db.fileUploads().create(TestUploads.pdf(userId));
    }

    private UUID freshRequest() {
        return db.analyses().create(TestAnalyses.newRequest(userId)).id();
    }

    @Test
    void everyMethodRunsWhereItsJavadocSays() {
        List<String> wrong = new ArrayList<>();
        for (Call call : calls()) {
            Place documented = documentedPlace(call);
            Place actual = documented == Place.REPLICA ? firstReadPlaceWithin(call, Duration.ofSeconds(10)) : placeOf(call);
            if (actual != documented) {
                wrong.add(call.name() + ": Javadoc says " + documented + ", ran on " + actual);
            }
        }
        assertThat(wrong).as("methods not running where their Javadoc says").isEmpty();
    }

    /**
     * Every public abstract method of the six repository interfaces has an entry in {@link #calls()}, so a new
     * method cannot go without a checked place. Static helpers (e.g. {@code RefreshToken.hashOf}) and
     * default methods are not repository calls of their own and are skipped.
     */
    @Test
    void everyRepositoryMethodIsInTheRoutingTable() {
        Set<String> declared = new TreeSet<>();
        for (Class<?> repository : REPOSITORIES) {
            for (Method m : repository.getDeclaredMethods()) {
                int mod = m.getModifiers();
                if (Modifier.isPublic(mod) && Modifier.isAbstract(mod) && !Modifier.isStatic(mod) && !m.isDefault()
                        && !m.isSynthetic()) {
                    declared.add(repository.getSimpleName() + "." + m.getName());
                }
            }
        }
        Set<String> listed = new TreeSet<>();
        for (Call call : calls()) {
            listed.add(call.name());
        }
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(listed);
        Set<String> unknown = new TreeSet<>(listed);
        unknown.removeAll(declared);
        assertThat(missing).as("repository methods without a Call in calls()").isEmpty();
        assertThat(unknown).as("Calls in calls() naming no repository method").isEmpty();
    }

    @Test
    void readsInsideInTransactionStayOnThePrimary() {
        Place place = onFreshThread(() -> {
            int r = replica.takenByThisThread();
            db.inTransaction(tx -> tx.prompts().listActiveByType(PromptType.ANALYSIS));
            return replica.takenByThisThread() == r ? Place.PRIMARY : Place.REPLICA;
        });
        assertThat(place).isEqualTo(Place.PRIMARY);
    }

    @Test
    void readsInsideJooqTransactionsStayOnThePrimary() {
        Place place = onFreshThread(() -> {
            int r = replica.takenByThisThread();
            db.dsl().transaction(() -> db.prompts().listActiveByType(PromptType.ANALYSIS));
            db.dsl().transaction(configuration -> db.prompts().listActiveByType(PromptType.ANALYSIS));
            return replica.takenByThisThread() == r ? Place.PRIMARY : Place.REPLICA;
        });
        assertThat(place).isEqualTo(Place.PRIMARY);
    }

    @Test
    void readsInsideASpringTransactionStayOnThePrimaryAndItsWritesAreReadBackAfterCommit() {
        org.springframework.jdbc.datasource.DataSourceTransactionManager manager =
                new org.springframework.jdbc.datasource.DataSourceTransactionManager(primary);
        org.springframework.transaction.support.TransactionTemplate spring =
                new org.springframework.transaction.support.TransactionTemplate(manager);
        try (ResumeReviewDb springDb = ResumeReviewDb.connect(com.airesumereview.db.ResumeReviewDbConfig.builder()
                .dataSource(primary).readReplica(replica).transactionManager(manager)
                .schemaCheck(com.airesumereview.db.SchemaCheck.OFF).build())) {
            Place place = onFreshThread(() -> {
                int r = replica.takenByThisThread();
                spring.executeWithoutResult(status -> springDb.prompts().listActiveByType(PromptType.ANALYSIS));
                return replica.takenByThisThread() == r ? Place.PRIMARY : Place.REPLICA;
            });
            assertThat(place).isEqualTo(Place.PRIMARY);

            pg.pair.pauseReplay();
            try {
                Optional<Prompt> seen = onFreshThread(() -> {
                    Prompt p = spring.execute(status -> springDb.prompts().create(TestPrompts.newPrompt()));
                    return springDb.prompts().findActiveByName(p.name());
                });
                assertThat(seen).as("the thread reads back what its Spring transaction committed").isPresent();
            } finally {
                pg.pair.resumeReplay();
            }
        }
    }

    @Test
    void aWriteInsideAJooqTransactionIsReadBackAfterItsCommitWhileReplayIsPaused() {
        pg.pair.pauseReplay();
        try {
            Optional<Prompt> seen = onFreshThread(() -> {
                Prompt p = db.dsl().transactionResult(() -> db.prompts().create(TestPrompts.newPrompt()));
                return db.prompts().findActiveByName(p.name());
            });
            assertThat(seen).as("the router heard of the write when jOOQ's transaction committed").isPresent();
        } finally {
            pg.pair.resumeReplay();
        }
    }

    @Test
    void writerAndTokenHolderSeeTheWriteWhileReplayIsPaused() {
        pg.pair.pauseReplay();
        try {
            AtomicReference<String> token = new AtomicReference<>();
            Prompt created = onFreshThread(() -> {
                Prompt p = db.prompts().create(TestPrompts.newPrompt());
                int r = replica.takenByThisThread();
                assertThat(db.prompts().findActiveByName(p.name())).as("writer reads its own write").isPresent();
                assertThat(replica.takenByThisThread()).as("writer's read did not use the paused replica").isEqualTo(r);
                token.set(db.consistencyToken());
                return p;
            });
            Optional<Prompt> seen = onFreshThread(() -> db.readingAfter(token.get(), () -> db.prompts().findActiveByName(created.name())));
            assertThat(seen).as("another thread holding the writer's token").isPresent();
        } finally {
            pg.pair.resumeReplay();
        }
    }

    @Test
    void replicasMatchTheSnapshotAndTheAuditReadsAReplica() {
        List<VerificationReport> reports = db.verifyReplicaSchemas();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).verdict()).as(reports.get(0).render()).isEqualTo(Verdict.MATCHES);
        int before = replica.takenByThisThread();
        assertThat(AuditEngine.withDefaults().audit(db).isClean()).isTrue();
        assertThat(replica.takenByThisThread()).as("audit ran on the replica").isGreaterThan(before);
    }

    @Test
    void auditRunsOnThePrimaryWhenTheReplicaCannot() throws Exception {
        org.postgresql.ds.PGSimpleDataSource unreachable = new org.postgresql.ds.PGSimpleDataSource();
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        unreachable.setURL("jdbc:postgresql://127.0.0.1:" + closedPort + "/" + pg.database.name() + "?connectTimeout=2");
        try (ResumeReviewDb withDeadReplica = ResumeReviewDb.create(primary, unreachable)) {
            int before = primary.takenByThisThread();
            assertThat(AuditEngine.withDefaults().audit(withDeadReplica).isClean()).isTrue();
            assertThat(primary.takenByThisThread()).as("the audit fell back to the primary").isGreaterThan(before);
            assertThat(withDeadReplica.prompts().findActiveByName(prompt.name())).as("reads fall back too").isPresent();
        }
    }

    @Test
    void connectWithReplicaUrlChecksTheReplicaAtStartUpAndRoutesReads() {
        DatabaseUrl primaryUrl = pg.primaryUrl;
        ResumeReviewDbConfig config = ResumeReviewDbConfig.builder().url(primaryUrl).readReplica(pg.replicaUrl)
                .schemaCheck(SchemaCheck.FAIL).maximumPoolSize(2).build();
        try (ResumeReviewDb connected = ResumeReviewDb.connect(config)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (connected.replicaReadCounts().replicaReads() == 0) {
                onFreshThread(() -> connected.schemaMigrations().list());
                assertThat(System.nanoTime()).as("a read reached the configured replica").isLessThan(deadline);
            }
            assertThat(connected.verifyReplicaSchemas()).extracting(VerificationReport::verdict).containsExactly(Verdict.MATCHES);
        }
    }

    /** Where one call ran on a fresh thread (no earlier write): the replica if it took a replica connection. */
    private Place placeOf(Call call) {
        return onFreshThread(() -> {
            int r = replica.takenByThisThread();
            call.run().get();
            return replica.takenByThisThread() > r ? Place.REPLICA : Place.PRIMARY;
        });
    }

    /** A read documented for replicas goes there once the replica is within the lag limit. */
    private Place firstReadPlaceWithin(Call call, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Place place;
        do {
            place = placeOf(call);
        } while (place != Place.REPLICA && System.nanoTime() < deadline);
        return place;
    }

    private static <T> T onFreshThread(Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(work.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.get() != null) {
            throw new AssertionError("call failed: " + failure.get(), failure.get());
        }
        return result.get();
    }

    /** "on a replica" or "on the primary", from the Javadoc right above the method in its source file. */
    static Place documentedPlace(Call call) {
        Path source = ProjectLayout.projectDir().resolve("src/main/java")
                .resolve(call.repository().getName().replace('.', '/') + ".java");
        String text;
        try {
            text = Files.readString(source);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source, e);
        }
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:public\\s+)?[^;{(/]*\\b" + call.method() + "\\s*\\(",
                Pattern.DOTALL).matcher(text);
        if (!m.find()) {
            fail("%s has no Javadoc in %s", call.name(), source);
        }
        String doc = m.group(1).replaceAll("\\s*\\*\\s*", " ").replaceAll("\\s+", " ");
        if (doc.contains("on a replica")) {
            return Place.REPLICA;
        }
        if (doc.contains("on the primary")) {
            return Place.PRIMARY;
        }
        return fail("%s: its Javadoc does not say where it runs ('on a replica' or 'on the primary'): %s", call.name(), doc);
    }
}
