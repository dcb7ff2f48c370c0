package com.airesumereview.db.replication;

import com.airesumereview.db.audit.AuditEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.repository.PromptRepository;
import com.airesumereview.db.repository.SchemaMigrationRepository;
import com.airesumereview.db.testing.ProjectLayout;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestPrompts;
import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.verification.Verdict;
import com.airesumereview.db.verification.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private UUID requestId;

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
        UUID user = db.users().create(TestUsers.newUser()).id();
        requestId = db.analyses().create(TestAnalyses.newRequest(user)).id();
        prompt = db.prompts().create(TestPrompts.newPrompt());
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
            return db.prompts().publish(p.name(), 1, "Analyse {resume_text} again", null);
        }));
        calls.add(new Call(PromptRepository.class, "recordUse", () -> db.prompts().recordUse(requestId, prompt)));
        calls.add(new Call(SchemaMigrationRepository.class, "list", () -> db.schemaMigrations().list()));
        return calls;
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
