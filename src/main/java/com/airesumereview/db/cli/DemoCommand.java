package com.airesumereview.db.cli;

import com.airesumereview.db.audit.AuditEngine;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.audit.AuditReport;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.AnalysisResult;
import com.airesumereview.db.domain.DetailedFeedback;
import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.ExtractionResult;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.LoginAttempt;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.PromptUse;
import com.airesumereview.db.domain.ResumeAnalysis;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.domain.UploadStatistics;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.verification.VerificationReport;
import com.airesumereview.db.verification.Verdict;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a day of the product on a throwaway database, through the public API only
 * ({@link ResumeReviewDb#create(javax.sql.DataSource)}), then audit and verify of that database.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Walk through a day of the product on a throwaway database (no server or Docker needed).",
        description = "Starts embedded PostgreSQL 15 (or uses the server given by --url), creates a database from"
                + " the bundled snapshot and, through the library's public API only, lets a user register and"
                + " log in, fail logins until locked, rotate a session in place and see the replaced token refused,"
                + " upload a resume through the pipeline, have an analysis claimed and completed by a worker"
                + " with the prompts it used recorded, and prints upload statistics; then audits and verifies"
                + " that database. One line per step with real values (ids shortened to 8 characters). The"
                + " database is dropped and the embedded server stopped at the end.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0   every step worked, and audit and verify are clean",
                "  1   a step failed, or audit or verify found something",
                "  2   usage error, or PostgreSQL could not be started or reached"})
final class DemoCommand implements Callable<Integer> {
    private static final int MAX_ATTEMPTS = 5;
    private static final Duration LOCK = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Option(names = "--url", paramLabel = "URL",
            description = "Provision the demo database on this existing server instead (any database there; the"
                    + " user needs CREATEDB). The password may come from PGPASSWORD. Default: embedded PostgreSQL 15.")
    private String url;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    private PrintWriter out;
    private int step;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        progress.step(url == null ? "starting embedded PostgreSQL 15 (first run downloads nothing: the binaries are"
                + " in the jar)" : "connecting to the server given by --url");
        boolean clean;
        String name;
        try (PostgresProvisioner provisioner = ConnectionOptions.throwawayServer(url,
                main.environment())) {
            say("PostgreSQL   " + provisioner.description());
            try (ProvisionedDatabase database = provisioner.createSnapshotDatabase()) {
                name = database.name();
                say("database     " + name + " created from the bundled snapshot (schema/ V1 + V2)");
                clean = walk(ResumeReviewDb.create(database.dataSource()), database.dataSource());
            }
        }
        say("cleanup      database " + name + " dropped" + (url == null ? ", embedded server stopped" : ""));
        say(clean ? "demo: every step worked; audit and verify are clean" : "demo: FAILED (see the step above)");
        return clean ? Main.OK : Main.FINDING;
    }

    /** The day; false (after printing the failed step) when something went wrong. */
    private boolean walk(ResumeReviewDb db, javax.sql.DataSource dataSource) {
        try {
            return day(db, dataSource);
        } catch (RuntimeException e) {
            out.println("  step " + step + " FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            out.flush();
            return false;
        }
    }

    private boolean day(ResumeReviewDb db, javax.sql.DataSource dataSource) {
        // 1. Registration and login
        step("register");
        User ada = db.users().create(NewUser.builder()
                .email("Ada.Lovelace@Example.com")
                .passwordHash(bcryptShaped())
                .firstName("Ada")
                .lastName("Lovelace")
                .role(UserRole.CONSULTANT)
                .build());
        say("user " + id(ada.id()) + " " + ada.email() + " (" + ada.role() + "), active " + ada.active()
                + ", " + ada.failedLoginAttempts() + " failed logins");

        step("login");
        String webToken = rawToken();
        if (!(db.users().attemptLogin(ada.email()) instanceof LoginAttempt.CheckPassword)) {
            say("expected the password check to be allowed");
            return false;
        }
        db.users().recordSuccessfulLogin(ada.id());
        IssuedToken web = db.refreshTokens().issue(NewRefreshToken.forUser(ada.id())
                .rawToken(webToken)
                .deviceInfo("Firefox 128 / Linux")
                .ipAddress("203.0.113.7")
                .build());
        say("password accepted, last login recorded; refresh token " + id(web.token().id()) + " issued for session "
                + web.token().sessionId() + ", expires " + day(web.token().expiresAt())
                + ", only its SHA-256 stored (" + web.token().tokenHash().length() + " hex characters)");

        // 2. Failed logins until locked (5 attempts, 30 minutes: the library's defaults, the Python service's)
        LoginFailure failure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            step("bad password");
            failure = db.users().recordFailedLogin(ada.id());
            say("attempt " + failure.failedLoginAttempts() + " of " + MAX_ATTEMPTS + " failed"
                    + (failure.locked() ? " -> LOCKED until " + minute(failure.lockedUntil()) + " (" + LOCK.toMinutes()
                    + " min)" : ", not locked"));
        }
        step("login");
        boolean locked = db.users().attemptLogin(ada.email()) instanceof LoginAttempt.Locked;
        say("correct password while locked: " + (locked ? "refused, account locked" : "ACCEPTED (wrong!)"));
        if (!locked || failure == null || !failure.locked()) {
            return false;
        }

        // 3. Session rotation in place; the replaced token matches nothing
        step("rotate");
        String rotatedToken = rawToken();
        RotationResult rotation = db.refreshTokens().rotate(webToken, rotatedToken);
        if (!(rotation instanceof RotationResult.Rotated rotated)) {
            say("expected a rotation, got " + rotation.getClass().getSimpleName());
            return false;
        }
        say("session " + rotated.token().sessionId() + ": token " + id(rotated.token().id())
                + " rotated in place (" + rotated.token().status() + "), expires " + day(rotated.token().expiresAt()));
        step("replay");
        RotationResult replay = db.refreshTokens().rotate(webToken, rawToken());
        if (!(replay instanceof RotationResult.UnknownToken)) {
            say("expected the replaced token to match nothing, got " + replay.getClass().getSimpleName());
            return false;
        }
        say("replaced token presented again -> matches no session, refused; active sessions now "
                + db.refreshTokens().countActiveSessions(ada.id()));

        // 4. Resume upload pipeline
        step("upload");
        byte[] pdf = "%PDF-1.7 Ada Lovelace resume".getBytes(StandardCharsets.UTF_8);
        FileUpload upload = db.fileUploads().create(NewFileUpload.builder()
                .userId(ada.id())
                .filename(UUID.randomUUID() + ".pdf")
                .originalFilename("Ada_Lovelace_CV.pdf")
                .mimeType("application/pdf")
                .fileSize(48_213)
                .fileHash(sha256(pdf))
                .targetRole("Data Analyst")
                .targetIndustry("Technology")
                .experienceLevel(UploadExperienceLevel.SENIOR)
                .build());
        say("upload " + id(upload.id()) + " " + upload.originalFilename() + " (" + upload.fileSize() + " bytes, "
                + upload.fileType().map(Object::toString).orElse("?") + ") " + upload.status() + ", progress "
                + upload.progress());
        upload = db.fileUploads().startValidating(upload.id());
        more("-> " + upload.status());
        upload = db.fileUploads().startExtracting(upload.id());
        upload = db.fileUploads().updateProgress(upload.id(), 60);
        more("-> " + upload.status() + ", progress " + upload.progress());
        var sections = JsonNodeFactory.instance.arrayNode().add("summary").add("experience").add("education")
                .add("skills");
        upload = db.fileUploads().complete(upload.id(), new ExtractionResult(
                "Ada Lovelace\nData Analyst\nExperience: Analytical Engine notes ...",
                ExtractionMetadata.of(412, 2_630, "pdfplumber", sections), 950, 120, 780));
        ExtractionMetadata m = upload.extractionMetadata();
        more("-> " + upload.status() + ", progress " + upload.progress() + ": " + m.wordCount() + " words, "
                + m.characterCount() + " characters by " + m.extractionMethod() + ", sections " + m.detectedSections()
                + "; validation " + upload.validationTimeMs() + " ms, extraction " + upload.extractionTimeMs()
                + " ms, total " + upload.processingTimeMs() + " ms");

        // 5. Analysis by a worker, with the prompts it used
        step("analysis");
        AnalysisRequest request = db.analyses().create(NewAnalysisRequest.forUpload(upload)
                .filePath("uploads/" + ada.id() + "/" + upload.filename())
                .experienceLevel(AnalysisExperienceLevel.SENIOR)
                .build());
        say("request " + id(request.id()) + " for " + request.originalFilename() + " " + request.status());
        Optional<AnalysisRequest> claimed = db.analyses().claimNextPending();
        if (claimed.isEmpty() || !claimed.get().id().equals(request.id())) {
            say("the worker did not get the request");
            return false;
        }
        more("claimed by worker-1 -> " + claimed.get().status() + "; a second worker finds "
                + (db.analyses().claimNextPending().isEmpty() ? "nothing to claim" : "ANOTHER JOB (wrong!)"));
        step("prompts");
        List<Prompt> prompts = List.of(db.prompts().findActiveByName("resume_analysis_system").orElseThrow(),
                db.prompts().findActiveByName("content_analysis").orElseThrow());
        for (Prompt p : prompts) {
            db.prompts().recordUse(request.id(), p);
        }
        List<PromptUse> history = db.prompts().historyOfRequest(request.id());
        say("used " + String.join(", ", history.stream().map(u -> prompts.stream()
                .filter(p -> p.id().equals(u.promptId())).findFirst().map(Prompt::name).orElse("?")
                + " v" + u.promptVersion()).toList()) + " -> prompt_history holds " + history.size()
                + " rows for the request");
        step("worker");
        var f = JsonNodeFactory.instance;
        ResumeAnalysis done = db.analyses().complete(request.id(), NewAnalysisResult.builder()
                .overallScore(82)
                .formattingScore(78)
                .contentScore(85)
                .keywordOptimizationScore(64)
                .strengths(List.of("Clear structure", "Quantified impact"))
                .weaknesses(List.of("Summary too long"))
                .appealFeedback(List.of("Strong opening statement"))
                .improvementSuggestions(List.of("Add keywords from the job posting"))
                .detailedFeedback(DetailedFeedback.of(f.objectNode().put("sections", 80).put("order", 70),
                        f.objectNode().put("recruiter", 75), f.objectNode().put("overall", 0.9),
                        "A solid senior analyst resume", 1_234L))
                .aiModelVersion("gpt-4o-2024-08-06")
                .processingTimeSeconds(12.345)
                .build());
        AnalysisResult result = done.result().orElseThrow();
        say("request " + id(done.request().id()) + " " + done.request().status() + ": overall " + result.overallScore()
                + ", formatting "
                + result.formattingScore() + ", content " + result.contentScore() + ", keywords "
                + result.keywordOptimizationScore() + "; strengths " + result.structureFeedback().strengths()
                + ", weaknesses " + result.structureFeedback().weaknesses() + "; recommendations "
                + result.recommendations());
        more("feedback \"" + result.detailedFeedback().analysisSummary() + "\", " + result.detailedFeedback()
                .aiTokensUsed() + " tokens, structure " + result.detailedFeedback().structureScores() + "; "
                + result.processingTimeSeconds() + " s by " + result.aiModelVersion());

        // 6. Statistics
        step("statistics");
        UploadStatistics stats = db.fileUploads().statistics(ada.id());
        say(stats.totalUploads() + " upload(s): " + stats.completedUploads() + " completed, " + stats.failedUploads()
                + " failed, " + stats.pendingUploads() + " in the pipeline; average processing "
                + stats.avgProcessingTimeMs() + " ms; total " + stats.totalFileSizeMb() + " MB");

        // 7. The tools on the same database
        step("audit");
        AuditReport audit = AuditEngine.withDefaults().audit(dataSource);
        say(audit.verdict());
        step("verify");
        VerificationReport verify = db.verifySchema();
        say(verify.verdictLine().replaceFirst("^verdict: ", ""));
        return audit.isClean() && verify.verdict() == Verdict.MATCHES;
    }

    private void step(String name) {
        step++;
        out.printf("%2d. %-12s ", step, name);
    }

    /** A further line of the current step, indented under its text. */
    private void more(String line) {
        say(" ".repeat(17) + line);
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private static String id(UUID id) {
        return id.toString().substring(0, 8);
    }

    private static String day(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10);
    }

    private static String minute(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String rawToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "rt_" + HexFormat.of().formatHex(b);
    }

    /** A value shaped like a bcrypt hash (the demo never sees a password). */
    private static String bcryptShaped() {
        byte[] b = new byte[27];
        RANDOM.nextBytes(b);
        return ("$2b$12$" + HexFormat.of().formatHex(b)).substring(0, 60);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
