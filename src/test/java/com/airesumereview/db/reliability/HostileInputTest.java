package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.NewPromptVersion;
import com.airesumereview.db.domain.LoginFailure;
import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PromptUse;
import com.airesumereview.db.generated.vocabulary.RefreshTokenStatus;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.ExtractionResult;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.NewFileUpload;
import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.domain.NewRefreshToken;
import com.airesumereview.db.domain.NewUser;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.RefreshToken;
import com.airesumereview.db.domain.ResumeAnalysis;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.domain.StructureFeedback;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.generated.vocabulary.AnalysisExperienceLevel;
import com.airesumereview.db.generated.vocabulary.AnalysisStatus;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.generated.vocabulary.UploadExperienceLevel;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.generated.vocabulary.UserRole;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.repository.RefreshTokenRepository;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import java.security.SecureRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At least 10,000 generated hostile inputs across the public API, reproducible from the printed seed
 * ({@code -Dreliability.seed=...}; {@code -Dreliability.inputs=...} for more). Nulls, empty, blank and
 * oversize strings, quotes, {@code %}, {@code _}, backslashes, NUL, lone surrogates, out-of-range numbers,
 * unknown vocabulary, far-past and far-future instants.
 *
 * <p>Every call either succeeds and its result reads back as written, or throws a
 * {@link ResumeReviewDbException} (validation and unsupported-field errors name their field in the message)
 * and leaves every table exactly as it was (an md5 of all eight tables' rows, compared after each rejection).
 * Anything else (a raw driver or jOOQ exception, a NullPointerException, a database error slipping past the
 * checks) is counted as unexpected and fails the test, naming seed and call.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class HostileInputTest {
    private static final List<String> TABLES = List.of("users", "refresh_tokens", "file_uploads", "analysis_requests",
            "analysis_results", "prompts", "prompt_history", "schema_migrations");
    private static final String[] PIECES = {"", " ", "   ", "'", "''", "\"", "O'Brien", "%", "_", "%_%", "\\", "\\\\",
            "\\x00", "\u0000", "a\u0000b", "\uD800", "\uDC00", "x\uDBFFy", "\uD83D\uDE00", "Zoë", "日本語", "\t", "\n",
            "\r\n", "'; DROP TABLE users; --", "$$", "E'\\\\'", "null", "NULL", "Robert');", "\u202E", "\uFEFF",
            "pending", "PENDING ", "uploading", "cancelled", "error", "completed"};

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private Random r;
    private int operationCount;
    private String serverVersion;
    private ResumeReviewDb db;
    private DataSource owner;
    private final List<UUID> users = new ArrayList<>();
    private final List<UUID> uploads = new ArrayList<>();
    private final List<UUID> requests = new ArrayList<>();
    private final List<String> rawTokens = new ArrayList<>();
    private final List<String> promptNames = new ArrayList<>();

    /** A sample of the full run, in the default suite. */
    @Test
    void fiveHundredHostileInputsAreRejectedCleanlyOrRoundTrip(ProvisionedDatabase database) throws Exception {
        run(database, 500, Long.getLong("reliability.seed", new SecureRandom().nextLong()), null);
    }

    /**
     * The full run, once per seed on a fresh database: 10,000 inputs each (or {@code -Dreliability.inputs}), five
     * seeds. The seeds are {@code -Dreliability.seeds=a,b,c,d,e} when given, else {@code -Dreliability.seed} and the
     * four numbers after it, else random; each is printed and written to the figures.
     */
    @RepeatedTest(SEEDS)
    @Tag("slow")
    void tenThousandHostileInputsAreRejectedCleanlyOrRoundTrip(ProvisionedDatabase database, RepetitionInfo repetition)
            throws Exception {
        int i = repetition.getCurrentRepetition();
        run(database, Integer.getInteger("reliability.inputs", 10_000), seed(i), "hostile_input.seed_" + i + "_of_" + SEEDS);
    }

    private static final int SEEDS = 5;

    private static long seed(int repetition) {
        String seeds = System.getProperty("reliability.seeds");
        if (seeds != null && !seeds.isBlank()) {
            String[] all = seeds.split(",");
            if (all.length != SEEDS) {
                throw new IllegalArgumentException("reliability.seeds needs " + SEEDS + " seeds, got '" + seeds + "'");
            }
            return Long.parseLong(all[repetition - 1].trim());
        }
        Long first = Long.getLong("reliability.seed");
        return first != null ? first + repetition - 1 : new SecureRandom().nextLong();
    }

    private void run(ProvisionedDatabase database, int inputs, long seed, String figure) throws Exception {
        // Two checksums per input: pooled owner connections keep 10,000 inputs from opening 20,000 backends.
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(database.ownerDataSource());
        pool.setPoolName("hostile-input-owner");
        pool.setMaximumPoolSize(2);
        try (HikariDataSource ownerPool = new HikariDataSource(pool)) {
            owner = ownerPool;
            runInputs(database, inputs, seed, figure);
        }
    }

    private void runInputs(ProvisionedDatabase database, int inputs, long seed, String figure) throws Exception {
        System.out.printf("[reliability] hostile input: seed %d (%d inputs)%n", seed, inputs);
        r = new Random(seed);
        serverVersion = ReliabilityFigures.serverVersion(owner);
        Map<String, int[]> perOperation = new TreeMap<>();
        Map<String, Integer> rejections = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        int accepted = 0;
        int rejected = 0;
        long started = System.nanoTime();
        try (ResumeReviewDb lib = ResumeReviewDb.connect(ResumeReviewDbConfig.builder().url(database.url())
                .maximumPoolSize(2).schemaCheck(SchemaCheck.OFF).build())) {
            db = lib;
            users.add(db.users().create(TestUsers.newUser()).id());
            uploads.add(db.fileUploads().create(TestUploads.pdf(users.get(0))).id());
            promptNames.add("content_analysis");
            Map<String, Callable<Object>> operations = operations();
            operationCount = operations.size();
            List<String> names = new ArrayList<>(operations.keySet());
            String checksum = checksum();
            for (int i = 0; i < inputs; i++) {
                String name = names.get(r.nextInt(names.size()));
                int[] counts = perOperation.computeIfAbsent(name, k -> new int[3]);
                if (setups.containsKey(name)) {
                    // Set-up writes (claiming, advancing) happen before the state the call is judged against.
                    try {
                        setups.get(name).run();
                    } catch (ResumeReviewDbException ignored) {
                        // any state will do
                    }
                    checksum = checksum();
                }
                try {
                    operations.get(name).call();
                    accepted++;
                    counts[0]++;
                    String after = checksum();
                    if (READS.contains(name) && !after.equals(checksum)) {
                        counts[2]++;
                        unexpected.add("#" + i + " " + name + ": a read changed the tables");
                    }
                    checksum = after;
                } catch (ResumeReviewDbException e) {
                    rejected++;
                    counts[1]++;
                    rejections.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    String why = unnamed(e);
                    if (why == null && !checksum().equals(checksum)) {
                        why = "rejected but tables changed: " + e;
                        checksum = checksum();
                    }
                    if (why != null) {
                        counts[2]++;
                        unexpected.add("#" + i + " " + name + ": " + why);
                    }
                } catch (Throwable t) {
                    counts[2]++;
                    unexpected.add("#" + i + " " + name + ": " + t);
                    checksum = checksum();
                }
            }
        }
        System.out.printf("[reliability] hostile input: seed %d, inputs tried %d, accepted %d, rejected %d, unexpected %d,"
                        + " %d ms%n", seed, inputs, accepted, rejected, unexpected.size(),
                (System.nanoTime() - started) / 1_000_000);
        perOperation.forEach((op, c) -> System.out.printf("[reliability]   %-28s accepted %5d rejected %5d unexpected %d%n",
                op, c[0], c[1], c[2]));
        System.out.printf("[reliability]   rejections by type %s%n", rejections);
        unexpected.stream().limit(30).forEach(u -> System.out.println("[reliability]   UNEXPECTED " + u));
        assertThat(unexpected).as("unexpected outcomes (reproduce with -Dreliability.seed=%d)", seed).isEmpty();
        // Every accepted input left rows that still hold the Python service's invariants (issue 8).
        com.airesumereview.db.ProductionInvariants.assertHold(owner);
        assertThat(accepted).as("some inputs were accepted").isPositive();
        assertThat(rejected).as("some inputs were rejected").isPositive();
        assertThat(perOperation).as("every operation was tried").hasSize(operationCount);
        if (figure != null) {
            ReliabilityFigures.record(figure, String.format("%d inputs over %d operations: %d accepted and read back,"
                            + " %d rejected naming the field or constraint with tables unchanged (%s), 0 unexpected",
                    inputs, operationCount, accepted, rejected, rejections), seed, serverVersion);
        }
    }

    /** Pure reads: an accepted call must leave every table as it was. */
    private static final java.util.Set<String> READS = java.util.Set.of("users.findByEmail", "users.search",
            "users.listActive", "tokens.find", "uploads.findByContentHash", "uploads.listByUser", "uploads.parseStatus",
            "page.cursor.parse", "analyses.listByUser", "prompts.findActiveByName");

    /**
     * Why a rejection does not name what broke, or null when it does. Each library exception type names its field
     * or constraint its own way; a type that names neither (the base type, DatabaseUnavailableException) is itself
     * unexpected for an input the caller got wrong.
     */
    private static String unnamed(ResumeReviewDbException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return "empty message: " + e.getClass().getSimpleName();
        }
        if (e instanceof ValidationException v) { // also UnsupportedFieldException, IllegalTransitionException
            return v.field() != null && !v.field().isBlank() && m.contains(v.field()) ? null
                    : "does not name the field " + v.field() + ": " + e;
        }
        if (e instanceof ConstraintViolationException c) { // also DuplicateException
            return c.constraint() != null && m.contains(c.constraint()) ? null
                    : "does not name the constraint " + c.constraint() + ": " + e;
        }
        if (e instanceof StaleStateException st) {
            return st.entity() != null && st.key() != null && m.contains(st.entity()) && m.contains(st.key())
                    && m.contains(String.valueOf(st.expected())) && m.contains(String.valueOf(st.actual())) ? null
                    : "does not name the row and both states: " + e;
        }
        if (e instanceof NotFoundException nf) {
            return nf.entity() != null && nf.key() != null && m.contains(nf.entity()) && m.contains(nf.key()) ? null
                    : "does not name the row: " + e;
        }
        return "a " + e.getClass().getName() + " names no field or constraint: " + e;
    }

    // ---- operations -------------------------------------------------------------------------------

    /** Writes some operations need first, run before the table checksum the call is compared with. */
    private final Map<String, Runnable> setups = Map.of(
            "analyses.complete", this::prepareAnalysis,
            "uploads.complete", this::prepareUpload);
    private UUID claimedRequest;

    /** Claims the next pending request, so that half of the completions below complete a processing one. */
    private void prepareAnalysis() {
        claimedRequest = null;
        claimedRequest = db.analyses().claimNextPending().map(AnalysisRequest::id).orElse(null);
    }
    private UUID preparedUpload;

    private void prepareUpload() {
        preparedUpload = uuid(uploads);
        if (preparedUpload != null && r.nextBoolean()) {
            db.fileUploads().advance(preparedUpload, UploadStatus.PENDING, UploadStatus.VALIDATING);
            db.fileUploads().advance(preparedUpload, UploadStatus.VALIDATING, UploadStatus.EXTRACTING);
        }
    }

    private Map<String, Callable<Object>> operations() {
        Map<String, Callable<Object>> ops = new TreeMap<>();
        ops.put("users.create", () -> {
            NewUser in = NewUser.builder()
                    .email(email()).passwordHash(str()).firstName(str()).lastName(str()).role(pick(UserRole.values()))
                    .build();
            User u = db.users().create(in);
            users.add(u.id());
            assertThat(u.email()).isEqualTo(in.email().trim().toLowerCase(Locale.ROOT));
            assertThat(u.firstName()).isEqualTo(in.firstName().strip());
            assertThat(u.lastName()).isEqualTo(in.lastName().strip());
            assertThat(u.passwordHash()).isEqualTo(in.passwordHash());
            assertThat(db.users().findById(u.id())).contains(u);
            return u;
        });
        ops.put("users.findByEmail", () -> {
            String in = email();
            java.util.Optional<User> found = db.users().findByEmail(in);
            found.ifPresent(u -> {
                assertThat(u.email()).isIn(in.trim(), in.trim().toLowerCase(Locale.ROOT));
                assertThat(db.users().findById(u.id())).contains(u);
            });
            assertThat(found.isPresent()).as("found iff a row has that email in any case").isEqualTo(
                    in != null && sqlCount("SELECT count(*) FROM users WHERE lower(email) = lower(?)", in.trim()) > 0);
            return null;
        });
        ops.put("users.list", () -> {
            int limit = intIn();
            com.airesumereview.db.domain.Page<User> page = db.users().list(new com.airesumereview.db.domain.UserFilter(
                    r.nextBoolean() ? null : pick(UserRole.values()), r.nextBoolean() ? null : r.nextBoolean(), str()),
                    null, limit);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            page.items().forEach(u -> assertThat(db.users().findById(u.id())).contains(u));
            return page;
        });
        ops.put("users.updateProfile", () -> {
            UUID id = uuid(users);
            String first = str();
            String last = str();
            User u = db.users().updateProfile(id, first, last);
            assertThat(db.users().findById(id).orElseThrow()).extracting(User::firstName, User::lastName)
                    .containsExactly(first.strip(), last.strip());
            return u;
        });
        ops.put("users.setPassword", () -> {
            UUID id = uuid(users);
            String hash = str();
            db.users().setPassword(id, hash);
            assertThat(db.users().findById(id).orElseThrow().passwordHash()).isEqualTo(hash);
            return null;
        });
        ops.put("users.recordFailedLogin", () -> {
            UUID id = uuid(users);
            LoginFailure f = db.users().recordFailedLogin(id);
            User read = db.users().findById(id).orElseThrow();
            assertThat(read.failedLoginAttempts()).isEqualTo(f.failedLoginAttempts());
            assertThat(read.lockedUntil()).isEqualTo(f.lockedUntil());
            return f;
        });
        ops.put("tokens.issue", () -> {
            NewRefreshToken in = NewRefreshToken.forUser(uuid(users))
                    .rawToken(str()).sessionId(str()).deviceInfo(str()).ipAddress(str()).build();
            db.refreshTokens().issue(in);
            rawTokens.add(in.rawToken());
            RefreshToken t = db.refreshTokens().findByRawToken(in.rawToken()).orElseThrow();
            assertThat(t).extracting(RefreshToken::userId, RefreshToken::tokenHash, RefreshToken::sessionId,
                    RefreshToken::deviceInfo, RefreshToken::ipAddress).containsExactly(in.userId(),
                    RefreshToken.hashOf(in.rawToken()), in.sessionId() == null ? t.sessionId() : in.sessionId(),
                    in.deviceInfo(), in.ipAddress());
            assertThat(t.sessionId()).hasSize(36);
            assertThat(t.expiresAt()).isEqualTo(t.createdAt().plus(java.time.Duration.ofDays(7)));
            return t;
        });
        ops.put("tokens.find", () -> {
            String raw = r.nextBoolean() && !rawTokens.isEmpty() ? pick(rawTokens) : str();
            java.util.Optional<RefreshToken> any = db.refreshTokens().findByRawToken(raw);
            any.ifPresent(t -> assertThat(t.tokenHash()).isEqualTo(RefreshToken.hashOf(raw)));
            assertThat(any.isPresent()).as("found iff a row has the hash").isEqualTo(
                    sqlCount("SELECT count(*) FROM refresh_tokens WHERE token_hash = ?", RefreshToken.hashOf(raw))
                            > 0);
            java.util.Optional<RefreshToken> active = db.refreshTokens().findActive(raw);
            active.ifPresent(t -> {
                assertThat(t.status()).isEqualTo(RefreshTokenStatus.ACTIVE);
                assertThat(any).contains(t);
            });
            return active;
        });
        ops.put("tokens.rotate", () -> {
            String raw = r.nextBoolean() && !rawTokens.isEmpty() ? pick(rawTokens) : str();
            String next = str();
            RotationResult result = db.refreshTokens().rotate(raw, next);
            if (result instanceof RotationResult.Rotated rotated) {
                rawTokens.add(next);
                RefreshToken now = db.refreshTokens().findByRawToken(next).orElseThrow();
                assertThat(now).extracting(RefreshToken::id, RefreshToken::sessionId, RefreshToken::status)
                        .containsExactly(rotated.token().id(), rotated.token().sessionId(), RefreshTokenStatus.ACTIVE);
                assertThat(db.refreshTokens().findByRawToken(raw)).as("the presented token matches nothing after"
                        + " rotating in place").isEmpty();
            } else {
                assertThat(db.refreshTokens().findActive(raw)).as("an unsuccessful rotation leaves no active token"
                        + " under the presented value").isEmpty();
            }
            return result;
        });
        ops.put("tokens.revokeSession", () -> {
            String session = str();
            UUID user = uuid(users);
            java.util.Optional<RefreshToken> revoked = db.refreshTokens().revokeSession(user, session);
            revoked.ifPresent(t -> {
                assertThat(t.sessionId()).isEqualTo(session);
                assertThat(t.userId()).isEqualTo(user);
                assertThat(tokenStatus(t.id())).isEqualTo("revoked");
            });
            assertThat(sqlCount("SELECT count(*) FROM refresh_tokens WHERE user_id = ? AND session_id = ?"
                    + " AND status = 'active'", user, session)).as("no active token left in the session").isZero();
            return null;
        });
        ops.put("uploads.create", () -> {
            NewFileUpload in = NewFileUpload.builder()
                    .userId(uuid(users)).filename(str()).originalFilename(str()).mimeType(str()).fileSize(intIn())
                    .fileHash(hash()).targetRole(str()).targetIndustry(str())
                    .experienceLevel(r.nextBoolean() ? null : pick(UploadExperienceLevel.values())).build();
            FileUpload u = db.fileUploads().create(in);
            uploads.add(u.id());
            assertThat(u).extracting(FileUpload::userId, FileUpload::filename, FileUpload::originalFilename,
                    FileUpload::mimeType, FileUpload::fileHash, FileUpload::targetRole, FileUpload::targetIndustry,
                    FileUpload::experienceLevel, FileUpload::status).containsExactly(in.userId(), in.filename(),
                    in.originalFilename(), in.mimeType(), in.fileHash(), in.targetRole(), in.targetIndustry(),
                    in.experienceLevel(), UploadStatus.PENDING);
            assertThat((long) u.fileSize()).isEqualTo(in.fileSize());
            assertThat(db.fileUploads().findById(u.id())).contains(u);
            return u;
        });
        ops.put("uploads.createAll", () -> {
            UUID user = uuid(users);
            List<NewFileUpload> batch = new ArrayList<>();
            for (int i = r.nextInt(3); i >= 0; i--) {
                batch.add(NewFileUpload.builder()
                        .userId(user).filename(str()).originalFilename(str()).mimeType(str()).fileSize(intIn())
                        .fileHash(hash()).targetRole(str()).targetIndustry(str()).build());
            }
            long before = count("file_uploads");
            assertThat(db.fileUploads().createAll(batch)).isEqualTo(batch.size());
            assertThat(count("file_uploads")).isEqualTo(before + batch.size());
            for (NewFileUpload in : batch) {
                FileUpload stored = db.fileUploads().findByContentHash(user, in.fileHash()).orElseThrow();
                assertThat(stored).extracting(FileUpload::filename, FileUpload::originalFilename, FileUpload::mimeType,
                        FileUpload::targetRole, FileUpload::targetIndustry).containsExactly(in.filename(),
                        in.originalFilename(), in.mimeType(), in.targetRole(), in.targetIndustry());
            }
            return null;
        });
        ops.put("uploads.findByContentHash", () -> {
            UUID user = uuid(users);
            String hash = r.nextBoolean() ? hash() : str();
            java.util.Optional<FileUpload> found = db.fileUploads().findByContentHash(user, hash);
            found.ifPresent(u -> {
                assertThat(u.userId()).isEqualTo(user);
                assertThat(u.fileHash()).isEqualToIgnoringCase(hash);
                assertThat(db.fileUploads().findById(u.id())).contains(u);
            });
            return found;
        });
        ops.put("uploads.listByUser", () -> {
            UUID user = uuid(users);
            UploadStatus status = r.nextBoolean() ? null : pick(UploadStatus.values());
            int limit = intIn();
            Page<FileUpload> page = db.fileUploads().listByUser(user, status, cursor(), limit);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit).allSatisfy(u -> {
                assertThat(u.userId()).isEqualTo(user);
                if (status != null) {
                    assertThat(u.status()).isEqualTo(status);
                }
                assertThat(db.fileUploads().findById(u.id())).contains(u);
            });
            return page;
        });
        ops.put("uploads.updateProgress", () -> {
            UUID id = uuid(uploads);
            int progress = intIn();
            FileUpload updated = db.fileUploads().updateProgress(id, progress);
            assertThat(updated.progress()).isEqualTo(progress);
            assertThat(db.fileUploads().findById(id)).contains(updated);
            return null;
        });
        ops.put("uploads.advance", () -> {
            UUID id = uuid(uploads);
            UploadStatus to = status();
            FileUpload moved = db.fileUploads().advance(id, status(), to);
            assertThat(moved.status()).isEqualTo(to);
            assertThat(db.fileUploads().findById(id)).contains(moved);
            return moved;
        });
        ops.put("uploads.fail", () -> {
            UUID id = uuid(uploads);
            String message = str();
            assertThat(db.fileUploads().fail(id, message).errorMessage()).isEqualTo(message);
            assertThat(db.fileUploads().findById(id).orElseThrow().errorMessage()).isEqualTo(message);
            return null;
        });
        ops.put("uploads.complete", () -> {
            UUID id = preparedUpload;
            ExtractionResult in = new ExtractionResult(str(), r.nextInt(4) == 0 ? null
                    : ExtractionMetadata.of(intOrNull(), intOrNull(), str(), r.nextBoolean() ? null
                    : json.arrayNode().add(str(8)).add(json.textNode(piece()))), intIn(), intIn(), intIn());
            FileUpload done = db.fileUploads().complete(id, in);
            FileUpload read = db.fileUploads().findById(id).orElseThrow();
            assertThat(read).isEqualTo(done);
            assertThat(read.extractedText()).isEqualTo(in.extractedText());
            assertThat(read.extractionMetadata().extractionMethod()).isEqualTo(in.metadata().extractionMethod());
            assertThat(read.extractionMetadata().detectedSections()).isEqualTo(in.metadata().detectedSections());
            return done;
        });
        ops.put("uploads.parseStatus", () -> {
            String in = r.nextBoolean() ? piece() : str();
            UploadStatus s = FileUpload.parseStatus(in);
            assertThat(s.literal()).isEqualTo(in.trim().toLowerCase(Locale.ROOT));
            return s;
        });
        ops.put("page.cursor.parse", () -> {
            String token = r.nextBoolean() ? str() : cursorToken();
            PageCursor c = PageCursor.parse(token);
            assertThat(PageCursor.parse(c.token())).isEqualTo(c);
            return c;
        });
        ops.put("analyses.create", () -> {
            NewAnalysisRequest in = NewAnalysisRequest.builder().userId(uuid(users)).originalFilename(str())
                    .filePath(str()).fileSizeBytes(intIn()).mimeType(str()).targetRole(str()).industry(str())
                    .experienceLevel(r.nextBoolean() ? null : pick(AnalysisExperienceLevel.values())).build();
            AnalysisRequest a = db.analyses().create(in);
            requests.add(a.id());
            assertThat(db.analyses().find(a.id()).orElseThrow().request()).isEqualTo(a);
            assertThat(a).extracting(AnalysisRequest::originalFilename, AnalysisRequest::filePath,
                    AnalysisRequest::mimeType, AnalysisRequest::targetRole, AnalysisRequest::status)
                    .containsExactly(in.originalFilename(), in.filePath(), in.mimeType(), in.targetRole(),
                            AnalysisStatus.PENDING);
            return a;
        });
        ops.put("analyses.complete", () -> {
            UUID id = claimedRequest != null && r.nextBoolean() ? claimedRequest : uuid(requests);
            NewAnalysisResult in = NewAnalysisResult.builder().overallScore(score()).formattingScore(score())
                    .contentScore(score()).keywordOptimizationScore(score())
                    .structureFeedback(r.nextBoolean() ? null : new StructureFeedback(list(), list()))
                    .appealFeedback(list()).improvementSuggestions(list()).aiModelVersion(str())
                    .processingTimeSeconds(seconds()).build();
            ResumeAnalysis done = db.analyses().complete(id, in);
            ResumeAnalysis read = db.analyses().find(id).orElseThrow();
            assertThat(read).isEqualTo(done);
            // A null structureFeedback writes both columns NULL, which read back as StructureFeedback(null, null):
            // AnalysisResult.structureFeedback() is never null (its Javadoc).
            StructureFeedback structure = in.structureFeedback() == null ? new StructureFeedback(null, null)
                    : in.structureFeedback();
            assertThat(read.result().orElseThrow()).extracting(x -> x.aiModelVersion(), x -> x.overallScore(),
                    x -> x.formattingScore(), x -> x.contentScore(), x -> x.keywordOptimizationScore(),
                    x -> x.structureFeedback()).containsExactly(in.aiModelVersion(), in.overallScore(),
                    in.formattingScore(), in.contentScore(), in.keywordOptimizationScore(), structure);
            assertThat(read.request().status()).isEqualTo(AnalysisStatus.COMPLETED);
            return done;
        });
        ops.put("analyses.listByUser", () -> {
            UUID user = uuid(users);
            int size = intIn();
            Page<AnalysisRequest> page = db.analyses().listByUser(user, null, cursor(), size);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(size).allSatisfy(a -> {
                assertThat(a.userId()).isEqualTo(user);
                assertThat(db.analyses().find(a.id()).orElseThrow().request()).isEqualTo(a);
            });
            return page;
        });
        ops.put("analyses.requeueStuck", () -> {
            long processing = sqlCount("SELECT count(*) FROM analysis_requests WHERE status = 'processing'");
            long pending = sqlCount("SELECT count(*) FROM analysis_requests WHERE status = 'pending'");
            int requeued = db.analyses().requeueStuck(duration());
            assertThat(sqlCount("SELECT count(*) FROM analysis_requests WHERE status = 'processing'"))
                    .isEqualTo(processing - requeued);
            assertThat(sqlCount("SELECT count(*) FROM analysis_requests WHERE status = 'pending'"))
                    .isEqualTo(pending + requeued);
            return requeued;
        });
        ops.put("analyses.fail", () -> {
            UUID id = uuid(requests);
            AnalysisRequest failed = db.analyses().fail(id);
            assertThat(failed.status()).isEqualTo(AnalysisStatus.FAILED);
            assertThat(db.analyses().find(id).orElseThrow().request()).isEqualTo(failed);
            return failed;
        });
        ops.put("prompts.create", () -> {
            NewPrompt in = NewPrompt.builder()
                    .name(str()).description(str()).template(str())
                    .promptType(r.nextInt(6) == 0 ? null : pick(PromptType.values()))
                    .createdBy(r.nextBoolean() ? null : uuid(users)).build();
            Prompt p = db.prompts().create(in);
            promptNames.add(in.name());
            assertThat(db.prompts().findActiveByName(in.name())).contains(p);
            assertThat(p).extracting(Prompt::name, Prompt::description, Prompt::template)
                    .containsExactly(in.name(), in.description(), in.template());
            return p;
        });
        ops.put("prompts.publish", () -> {
            String name = r.nextBoolean() ? pick(promptNames) : str();
            String template = str();
            String description = str();
            Prompt p = db.prompts().publish(NewPromptVersion.of(name, intIn())
                    .template(template).description(description).build());
            assertThat(p).extracting(Prompt::name, Prompt::template).containsExactly(name, template);
            assertThat(db.prompts().findActiveByName(name)).contains(p);
            return p;
        });
        ops.put("prompts.findActiveByName", () -> {
            String name = r.nextBoolean() ? pick(promptNames) : str();
            java.util.Optional<Prompt> found = db.prompts().findActiveByName(name);
            found.ifPresent(p -> assertThat(p.name()).isEqualTo(name));
            assertThat(found.isPresent()).as("found iff an active prompt has the name").isEqualTo(name != null
                    && sqlCount("SELECT count(*) FROM prompts WHERE name = ? AND is_active", name) > 0);
            return found;
        });
        ops.put("prompts.recordUse", () -> {
            String name = pick(promptNames);
            Prompt p = db.prompts().findActiveByName(name).orElse(null);
            if (p == null) {
                return null;
            }
            UUID request = uuid(requests);
            PromptUse use = db.prompts().recordUse(request, p);
            assertThat(use).extracting(PromptUse::promptId, PromptUse::requestId).containsExactly(p.id(), request);
            assertThat(db.prompts().historyOfRequest(request)).contains(use);
            return use;
        });
        return ops;
    }

    // ---- generators -------------------------------------------------------------------------------

    private String piece() {
        return PIECES[r.nextInt(PIECES.length)];
    }

    /** A hostile string: null, empty, oversize, or a mix of quotes, wildcards, backslashes, NUL, surrogates. */
    private String str() {
        int kind = r.nextInt(12);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return piece();
            case 2: {
                int[] sizes = {45, 46, 50, 51, 64, 65, 100, 101, 255, 256, 500, 501, 4096, 4097, 20_000};
                return "x".repeat(sizes[r.nextInt(sizes.length)]);
            }
            case 3:
                return "😀".repeat(r.nextBoolean() ? 100 : 101); // 1 code point, 2 chars each
            default: {
                StringBuilder b = new StringBuilder();
                for (int n = 1 + r.nextInt(4); n > 0; n--) {
                    b.append(r.nextInt(3) == 0 ? piece() : str(1 + r.nextInt(12)));
                }
                return b.toString();
            }
        }
    }

    private String str(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    private String email() {
        return switch (r.nextInt(4)) {
            case 0 -> str();
            case 1 -> TestUsers.uniqueEmail();
            default -> str(1 + r.nextInt(8)) + (r.nextBoolean() ? piece() : "") + r.nextInt(1_000_000) + "@"
                    + (r.nextBoolean() ? "example.com" : piece() + "x.org");
        };
    }

    private String hash() {
        return switch (r.nextInt(4)) {
            case 0 -> str();
            case 1 -> TestUploads.sha256().toUpperCase(Locale.ROOT);
            default -> TestUploads.sha256();
        };
    }

    private int intIn() {
        int[] edges = {Integer.MIN_VALUE, -1, 0, 1, 2, 20, 99, 100, 101, 999, 1000, 1001, Integer.MAX_VALUE};
        return r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextInt();
    }

    private Integer intOrNull() {
        return r.nextInt(4) == 0 ? null : intIn();
    }

    private Integer score() {
        return r.nextInt(3) == 0 ? null : r.nextBoolean() ? r.nextInt(101) : intIn();
    }

    private long longIn() {
        long[] edges = {Long.MIN_VALUE, -1, 0, 1, 48_213, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE};
        return r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextInt(10_000_000);
    }

    private Double seconds() {
        double[] edges = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.001, 0, 0.0004, 12.5,
                2_147_483.647, 2_147_483.648, Double.MAX_VALUE};
        return r.nextInt(5) == 0 ? null : edges[r.nextInt(edges.length)];
    }

    private Instant instant() {
        Instant[] edges = {null, Instant.MIN, Instant.MAX, Instant.EPOCH,
                LocalDateTime.of(-100_000, 1, 1, 0, 0).toInstant(ZoneOffset.UTC),
                LocalDateTime.of(300_000, 1, 1, 0, 0).toInstant(ZoneOffset.UTC),
                LocalDateTime.of(-4712, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).minusNanos(1),
                LocalDateTime.of(294_276, 12, 31, 23, 59, 59, 999_999_000).toInstant(ZoneOffset.UTC),
                LocalDateTime.of(294_276, 12, 31, 23, 59, 59, 999_999_001).toInstant(ZoneOffset.UTC),
                LocalDateTime.of(294_276, 6, 1, 0, 0).toInstant(ZoneOffset.UTC),
                Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofDays(7)),
                Instant.now().plus(Duration.ofDays(7)).plusNanos(123_456_789)};
        return edges[r.nextInt(edges.length)];
    }

    private Duration duration() {
        Duration[] edges = {null, Duration.ZERO, Duration.ofNanos(-1), Duration.ofMinutes(15), Duration.ofDays(3650),
                Duration.ofDays(3651), Duration.ofDays(36_500), Duration.ofDays(36_501), Duration.ofSeconds(Long.MAX_VALUE),
                Duration.ofSeconds(Long.MIN_VALUE)};
        return edges[r.nextInt(edges.length)];
    }

    private PageCursor cursor() {
        if (r.nextInt(3) == 0) {
            return null;
        }
        Instant at = instant();
        return new PageCursor(at == null ? Instant.now() : at, UUID.randomUUID());
    }

    private String cursorToken() {
        Instant at = instant();
        return new PageCursor(at == null ? Instant.EPOCH : at, UUID.randomUUID()).token();
    }

    private UploadStatus status() {
        return r.nextInt(6) == 0 ? null : pick(UploadStatus.values());
    }

    private List<String> list() {
        if (r.nextInt(3) == 0) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            out.add(str());
        }
        return out;
    }

    private UUID uuid(List<UUID> known) {
        int k = r.nextInt(10);
        return k == 0 ? null : k == 1 || known.isEmpty() ? UUID.randomUUID() : pick(known);
    }

    private <T> T pick(T[] values) {
        return values[r.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private static void assertSameInstant(Instant actual, Instant expected) {
        if (expected.equals(Instant.MAX) || expected.equals(Instant.MIN)) {
            assertThat(actual).isEqualTo(expected);
        } else {
            // timestamptz keeps microseconds
            assertThat(actual).isCloseTo(expected, within(1, ChronoUnit.MICROS));
        }
    }

    // ---- table state ------------------------------------------------------------------------------

    /** An md5 over every row of the eight tables, in key order: equal before and after means nothing changed. */
    private String checksum() throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT md5(concat_ws('|'");
        for (String t : TABLES) {
            String key = t.equals("schema_migrations") ? "version" : "id";
            sql.append(", (SELECT md5(string_agg(x::text, ',' ORDER BY x.").append(key).append(")) FROM ")
                    .append(t).append(" x)");
        }
        sql.append("))");
        try (Connection c = owner.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql.toString())) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String tokenStatus(UUID id) {
        try (Connection c = owner.getConnection();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT status FROM refresh_tokens WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new AssertionError("reading refresh_tokens " + id, e);
        }
    }

    /** A count by bind values, straight from the database, to compare the library's answer with. */
    private long sqlCount(String sql, Object... binds) {
        try (Connection c = owner.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                s.setObject(i + 1, binds[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = owner.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
