package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.codegen.CodeGenerator;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.provisioning.DatabaseSource;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.ProjectLayout;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.verification.SchemaVerifier;
import com.airesumereview.db.verification.VerificationReport;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue, deep pages and the tools: {@code mvn -B verify -Pbench -DskipITs -Dtest.groups=bench-queue-tools}.
 * (The library-versus-JDBC comparison is {@link LibraryVsJdbcBenchmarkTest}.) Each scenario gets a fresh snapshot
 * database (SnapshotDatabaseExtension: RESUME_REVIEW_DB_SERVER_URL when set, else Docker, else embedded
 * PostgreSQL 15). Results: target/bench/queue-tools-summary.md and .json; progress: target/bench/progress.log.
 *
 * <p>Targets are reported, never asserted: a missed target is a row saying MISSED. Assertions here check only
 * that both sides did the same, correct work (same rows back, nothing claimed twice, nothing left).
 */
@Tag("bench")
@Tag("bench-queue-tools")
@ExtendWith(SnapshotDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueAndToolsBenchmarkTest {
        /**
     * Requests per queue drain, 20,000 as the issue asks (about 6 minutes for the four worker counts on a quiet
     * two-core machine; far longer on a busy one, because claimNextPending's cost grows with the completed
     * requests older than the oldest pending one). {@code -Dbench.queue.requests=5000} for a quicker run.
     */
    private static final int QUEUE_REQUESTS = Integer.getInteger("bench.queue.requests", 20_000);
    private static final int DEEP_ROWS = 100_000;
    private static final int PAGE = 50;
    private static final int DEEP_PAGE = 2_000;
    private static final int AUDIT_ROWS = 1_000_000;
    /** The audit command line as the CLI is expected to take it; adjust here if the merged command differs. */
    private static final List<String> AUDIT_ARGS = List.of("audit");

    private final BenchReport report = new BenchReport();
    private String loadBefore;

    @BeforeAll
    void describeMachine() {
        Progress.reset();
        loadBefore = Progress.loadAverage();
        Progress.line("benchmark starts; load average " + loadBefore);
        report.machine("processors (nproc)", Runtime.getRuntime().availableProcessors());
        long ram = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        report.machine("RAM", String.format(Locale.ROOT, "%.1f GiB", ram / (1024.0 * 1024 * 1024)));
        report.machine("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        report.machine("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        report.machine("test JVM max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        report.machine("load average (1, 5, 15 min) at start", loadBefore);
    }

    @AfterAll
    void writeReport() {
        report.machine("load average (1, 5, 15 min) at end", Progress.loadAverage());
        report.write(Progress.DIR, "queue-tools-summary", "Benchmark: queue, deep pages and tools",
                "Medians after warm-up; deep pages interleave keyset (library) and OFFSET (JDBC) in one JVM.");
        Progress.line("report written to " + Progress.DIR.resolve("queue-tools-summary.md") + " and .json");
    }

    // ---- queue ----------------------------------------------------------------------------------

    @Test
    @Order(3)
    void queueDrain(ProvisionedDatabase db) throws Exception {
        List<String> problems = new ArrayList<>();
        try (HikariDataSource pool = BenchData.pool(db, "bench", 10, null)) {
            ResumeReviewDb library = ResumeReviewDb.create(pool);
            User owner = library.users().create(TestUsers.newUser());
            NewAnalysisResult result = TestAnalyses.newResult();
            for (int workers : new int[] {1, 2, 4, 8}) {
                BenchData.execute(pool, "truncate public.analysis_requests cascade");
                BenchData.execute(pool, "insert into public.analysis_requests (user_id, original_filename, file_path,"
                        + " file_size_bytes, mime_type, status, created_at) select '" + owner.id() + "', 'resume-' || g"
                        + " || '.pdf', 'uploads/bench/' || g || '.pdf', 123456, 'application/pdf', 'pending', now() -"
                        + " (" + QUEUE_REQUESTS + " - g) * interval '1 millisecond' from generate_series(1, "
                        + QUEUE_REQUESTS + ") g");
                BenchData.execute(pool, "vacuum analyze public.analysis_requests");
                Progress.line("queue: " + workers + " worker(s) draining " + QUEUE_REQUESTS);
                ExecutorService threads = Executors.newFixedThreadPool(workers);
                List<Future<Integer>> done = new ArrayList<>();
                long start = System.nanoTime();
                for (int w = 0; w < workers; w++) {
                    done.add(threads.submit(() -> {
                        int completed = 0;
                        Optional<AnalysisRequest> next;
                        while ((next = library.analyses().claimNextPending()).isPresent()) {
                            library.analyses().complete(next.get().id(), result);
                            completed++;
                        }
                        return completed;
                    }));
                }
                long completedByWorkers = 0;
                for (Future<Integer> f : done) {
                    completedByWorkers += f.get();
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                threads.shutdown();
                List<Object> counts = BenchData.row(pool, "select count(*), count(distinct request_id) from"
                        + " public.analysis_results");
                long results = ((Number) counts.get(0)).longValue();
                long duplicates = results - ((Number) counts.get(1)).longValue();
                long left = BenchData.count(pool, "select count(*) from public.analysis_requests where status <>"
                        + " 'completed'");
                boolean ok = duplicates == 0 && left == 0 && results == QUEUE_REQUESTS;
                if (!ok) {
                    problems.add(workers + " workers: duplicates " + duplicates + ", left " + left + ", results " + results);
                }
                report.add(new BenchReport.Row("queue: " + workers + " worker" + (workers == 1 ? "" : "s")
                        + " drain " + String.format(Locale.ROOT, "%,d", QUEUE_REQUESTS) + " requests", (double) millis, null, null, "ms total", "none (library only)",
                        "duplicates 0, left 0", BenchReport.status(ok),
                        String.format(Locale.ROOT, "%.0f requests/s; duplicates %d, left %d, results %d (from the"
                                        + " database); workers reported %d completions",
                                QUEUE_REQUESTS / (millis / 1000.0), duplicates, left, results, completedByWorkers)));
            }
        }
        assertThat(problems).as("every request completed exactly once").isEmpty();
    }

    // ---- deep pages -----------------------------------------------------------------------------

    @Test
    @Order(4)
    void deepPages(ProvisionedDatabase db) {
        try (HikariDataSource pool = BenchData.pool(db, "bench", 2, null)) {
            ResumeReviewDb library = ResumeReviewDb.create(pool);
            JdbcBaseline jdbc = new JdbcBaseline(pool);
            User owner = library.users().create(TestUsers.newUser());
            Progress.line("deep pages: loading 100,000 uploads of one user, created one second apart");
            BenchData.uploadsOverTime(pool, owner.id(), DEEP_ROWS);
            BenchData.execute(pool, "vacuum analyze public.file_uploads");
            int offset = (DEEP_PAGE - 1) * PAGE;
            PageCursor cursor = cursorBefore(pool, owner.id(), offset);
            assertThat(library.fileUploads().listByUser(owner.id(), cursor, PAGE).items())
                    .isEqualTo(jdbc.offsetPage(owner.id(), offset, PAGE));
            assertThat(library.fileUploads().listByUser(owner.id(), null, PAGE).items())
                    .isEqualTo(jdbc.offsetPage(owner.id(), 0, PAGE));
            Progress.line("deep pages: page 1 and page 2,000, keyset (library) and OFFSET (JDBC), interleaved");
            double[] ms = new Interleaved(2, 10, 5).medians(
                    i -> full(library.fileUploads().listByUser(owner.id(), null, PAGE)),
                    i -> full(library.fileUploads().listByUser(owner.id(), cursor, PAGE)),
                    i -> full(jdbc.offsetPage(owner.id(), 0, PAGE)),
                    i -> full(jdbc.offsetPage(owner.id(), offset, PAGE)));
            report.add(new BenchReport.Row("deep pages: page 1 (keyset vs OFFSET)", ms[0], ms[2], ms[0] / ms[2],
                    "ms/page (median)", "JDBC LIMIT 50 OFFSET 0", null, "info", "50 calls each"));
            report.add(new BenchReport.Row("deep pages: page 2,000 (keyset vs OFFSET)", ms[1], ms[3], ms[1] / ms[3],
                    "ms/page (median)", "JDBC LIMIT 50 OFFSET 99,950", null, "info", "50 calls each"));
            report.add(new BenchReport.Row("deep pages: keyset page 2,000 / page 1", ms[1], ms[0], ms[1] / ms[0],
                    "ms/page (median)", "page 1 of the same library call", "ratio <= 2",
                    BenchReport.status(ms[1] / ms[0] <= 2), String.format(Locale.ROOT,
                    "for comparison OFFSET page 2,000 / page 1 = %.1f", ms[3] / ms[2])));

            // The library's own bulk API writes one created_at for all rows of a call; keyset paging then cannot
            // seek on created_at. Measured, not targeted: it shows what such a user's pages cost.
            User imported = library.users().create(TestUsers.newUser());
            Progress.line("deep pages: 100,000 uploads of another user through one createAll (one created_at)");
            library.fileUploads().createAll(TestUploads.many(imported.id(), DEEP_ROWS));
            BenchData.execute(pool, "vacuum analyze public.file_uploads");
            PageCursor importedCursor = cursorBefore(pool, imported.id(), offset);
            double[] same = new Interleaved(1, 5, 2).medians(
                    i -> full(library.fileUploads().listByUser(imported.id(), null, PAGE)),
                    i -> full(library.fileUploads().listByUser(imported.id(), importedCursor, PAGE)));
            report.add(new BenchReport.Row("deep pages, rows of one createAll (shared created_at): keyset page 2,000"
                    + " / page 1", same[1], same[0], same[1] / same[0], "ms/page (median)",
                    "page 1 of the same library call", null, "info", String.format(Locale.ROOT,
                    "page 1 here is %.1fx page 1 of rows created over time", same[0] / ms[0])));
        }
    }

    private static PageCursor cursorBefore(DataSource ds, UUID userId, int offset) {
        List<Object> last = BenchData.row(ds, "select created_at, id from public.file_uploads where user_id = ?"
                + " order by created_at desc, id desc offset ? limit 1", userId, offset - 1);
        return new PageCursor(((java.sql.Timestamp) last.get(0)).toInstant(), (UUID) last.get(1));
    }

    // ---- tools ----------------------------------------------------------------------------------

    @Test
    @Order(5)
    void verifyProductionSchema(ProvisionedDatabase db) {
        SchemaVerifier verifier = SchemaVerifier.againstBundledSnapshot();
        Progress.line("tools: verify on the production schema");
        long start = System.nanoTime();
        VerificationReport first = verifier.verify(db.dataSource());
        double firstMs = (System.nanoTime() - start) / 1e6;
        assertThat(first.differences()).isEmpty();
        double warm = warmMedian(5, () -> verifier.verify(db.dataSource()));
        report.add(new BenchReport.Row("tools: verify, production schema (8 tables), first call in this JVM", firstMs,
                null, null, "ms", "none", "<= 1 s", BenchReport.status(firstMs <= 1000), "no differences"));
        report.add(new BenchReport.Row("tools: verify, production schema, warm (median of 5)", warm, null, null, "ms",
                "none", "<= 1 s", BenchReport.status(warm <= 1000), null));
    }

    @Test
    @Order(6)
    void verifyFiveHundredTables(ProvisionedDatabase db) {
        Progress.line("tools: creating a schema of 500 generated tables");
        BenchData.execute(db.dataSource(), "drop schema public cascade; create schema public");
        StringBuilder ddl = new StringBuilder();
        for (int t = 1; t <= 500; t++) {
            String name = String.format(Locale.ROOT, "t_%03d", t);
            ddl.append("create table public.").append(name).append(" (id uuid primary key default gen_random_uuid(),"
                    + " code varchar(64) not null unique, status varchar(20) not null default 'new' constraint chk_")
                    .append(name).append("_status check (status in ('new', 'done', 'failed')), amount numeric(12, 2),"
                    + " payload jsonb, tags text[], created_at timestamptz not null default now(), parent_id uuid");
            if (t > 1) {
                ddl.append(" references public.").append(String.format(Locale.ROOT, "t_%03d", t - 1))
                        .append("(id) on delete cascade");
            }
            ddl.append(");\ncreate index idx_").append(name).append("_created_at on public.").append(name)
                    .append(" (created_at);\ncomment on table public.").append(name).append(" is 'generated table ")
                    .append(t).append("';\n");
        }
        BenchData.execute(db.dataSource(), ddl.toString());
        SchemaModel model = SchemaInspector.forSchema("public").inspect(db.dataSource());
        SchemaVerifier verifier = SchemaVerifier.against(model);
        Progress.line("tools: verify on 500 tables");
        long start = System.nanoTime();
        VerificationReport first = verifier.verify(db.dataSource());
        double firstMs = (System.nanoTime() - start) / 1e6;
        assertThat(first.differences()).isEmpty();
        double warm = warmMedian(3, () -> verifier.verify(db.dataSource()));
        report.add(new BenchReport.Row("tools: verify, generated schema of 500 tables, first call", firstMs, null, null,
                "ms", "none", "<= 5 s", BenchReport.status(firstMs <= 5000),
                "500 tables with PK, unique, CHECK, FK, index, comment; compared with their own model"));
        report.add(new BenchReport.Row("tools: verify, 500 tables, warm (median of 3)", warm, null, null, "ms", "none",
                "<= 5 s", BenchReport.status(warm <= 5000), null));
    }

    @Test
    @Order(7)
    void codegenFromColdEmbeddedDatabase(@TempDir Path out) {
        Path unpacked = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
        boolean binariesCached = Files.isDirectory(unpacked);
        Progress.line("tools: codegen end to end on a new embedded PostgreSQL");
        long start = System.nanoTime();
        CodeGenerator.Result result;
        try (PostgresProvisioner embedded = PostgresProvisioner.start(DatabaseSource.EMBEDDED)) {
            result = new CodeGenerator(CodeGenerator.Options.forProject(ProjectLayout.projectDir()).withTargetDir(out),
                    line -> Progress.line("codegen " + line.trim())).generate(embedded);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        assertThat(result.files()).isNotEmpty();
        report.add(new BenchReport.Row("tools: codegen end to end, new embedded PostgreSQL", ms, null, null, "ms",
                "none", "<= 30 s", BenchReport.status(ms <= 30_000), result.files().size()
                + " files generated; server start, Flyway, inspection, jOOQ, shutdown included; embedded binaries "
                + (binariesCached ? "already unpacked in " + unpacked : "unpacked during this run")));
    }

    @Test
    @Order(8)
    void commandLineInSmallHeap(ProvisionedDatabase db) throws Exception {
        Progress.line("tools: verify command in a separate JVM with -Xmx64m");
        SeparateJvm.Outcome run = SeparateJvm.run(List.of("-Xmx64m"), "com.airesumereview.db.cli.Main",
                List.of("verify", "--url", db.jdbcUrl(), "--user", db.url().user()), passwordEnv(db), 300);
        boolean ok = run.exitCode() == 0 && !run.outOfMemory();
        report.add(new BenchReport.Row("tools: verify command, separate JVM -Xmx64m (JVM start included)",
                (double) run.millis(), null, null, "ms", "none", "finishes (exit 0)", BenchReport.status(ok),
                "exit code " + run.exitCode() + (ok ? "" : "; stderr: " + oneLine(run.stderrTail()))));
    }

    @Test
    @Order(9)
    void auditOfOneMillionRowsInSmallHeap(ProvisionedDatabase db) throws Exception {
        if (getClass().getClassLoader().getResource("com/airesumereview/db/audit") == null) {
            Progress.line("tools: audit not available in this build; skipped");
            report.add(new BenchReport.Row("tools: audit of 1,000,000 rows, -Xmx64m", null, null, null, "ms", "none",
                    "finishes", "skipped", "not available in this build (no package com.airesumereview.db.audit);"
                    + " the scenario runs once the audit command is merged"));
            return;
        }
        try (HikariDataSource pool = BenchData.pool(db, "bench", 2, null)) {
            User owner = ResumeReviewDb.create(pool).users().create(TestUsers.newUser());
            Progress.line("tools: loading 1,000,000 uploads for the audit");
            BenchData.uploadsOverTime(pool, owner.id(), AUDIT_ROWS);
            BenchData.execute(pool, "vacuum analyze public.file_uploads");
        }
        Progress.line("tools: audit command in a separate JVM with -Xmx64m");
        List<String> args = new ArrayList<>(AUDIT_ARGS);
        args.addAll(List.of("--url", db.jdbcUrl(), "--user", db.url().user()));
        SeparateJvm.Outcome run = SeparateJvm.run(List.of("-Xmx64m"), "com.airesumereview.db.cli.Main", args,
                passwordEnv(db), 600);
        boolean ok = !run.timedOut() && (run.exitCode() == 0 || run.exitCode() == 1) && !run.outOfMemory();
        report.add(new BenchReport.Row("tools: audit of 1,000,000 rows, separate JVM -Xmx64m", (double) run.millis(),
                null, null, "ms", "none", "finishes (exit 0 or 1, no OutOfMemoryError)", BenchReport.status(ok),
                String.format(Locale.ROOT, "exit code %d, %.0f rows/s; %s", run.exitCode(),
                        AUDIT_ROWS / (run.millis() / 1000.0), oneLine(ok ? run.stdoutTail() : run.stderrTail()))));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Map<String, String> passwordEnv(ProvisionedDatabase db) {
        Map<String, String> env = new HashMap<>();
        if (db.url().password() != null) {
            env.put("PGPASSWORD", db.url().password());
        }
        return env;
    }

    private static void full(Page<FileUpload> page) {
        full(page.items());
    }

    private static void full(List<FileUpload> items) {
        if (items.size() != PAGE) {
            throw new IllegalStateException("expected a full page, got " + items.size());
        }
    }

    private static double warmMedian(int times, Supplier<?> call) {
        long[] nanos = new long[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            call.get();
            nanos[i] = System.nanoTime() - start;
        }
        return Interleaved.medianMs(nanos);
    }

    private static String oneLine(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() <= 300 ? t : t.substring(t.length() - 300);
    }
}
