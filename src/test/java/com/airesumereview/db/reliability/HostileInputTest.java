package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbConfig;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.SchemaCheck;
import com.airesumereview.db.UnsupportedFieldException;
import com.airesumereview.db.ValidationException;
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
        run(database, 500);
    }

    /** The full run: 10,000 inputs (or {@code -Dreliability.inputs}); minutes on a busy two-core machine. */
    @Test
    @Tag("slow")
    void tenThousandHostileInputsAreRejectedCleanlyOrRoundTrip(ProvisionedDatabase database) throws Exception {
        run(database, Integer.getInteger("reliability.inputs", 10_000));
    }

    private void run(ProvisionedDatabase database, int inputs) throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        r = new Random(seed);
        owner = database.dataSource();
        Map<String, int[]> perOperation = new TreeMap<>();
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
                    checksum = checksum();
                } catch (ResumeReviewDbException e) {
                    rejected++;
                    counts[1]++;
                    String field = e instanceof ValidationException v ? v.field()
                            : e instanceof UnsupportedFieldException u ? u.field() : null;
                    String why = null;
                    if (e.getMessage() == null || e.getMessage().isBlank()) {
                        why = "empty message";
                    } else if ((e instanceof ValidationException || e instanceof UnsupportedFieldException)
                            && (field == null || !e.getMessage().contains(field))) {
                        why = "message does not name the field " + field + ": " + e.getMessage();
                    } else if (!checksum().equals(checksum)) {
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
        unexpected.stream().limit(30).forEach(u -> System.out.println("[reliability]   UNEXPECTED " + u));
        assertThat(unexpected).as("unexpected outcomes (reproduce with -Dreliability.seed=%d)", seed).isEmpty();
        assertThat(accepted).as("some inputs were accepted").isPositive();
        assertThat(rejected).as("some inputs were rejected").isPositive();
    }

    // ---- operations -------------------------------------------------------------------------------

    /** Writes some operations need first, run before the table checksum the call is compared with. */
    private final Map<String, Runnable> setups = Map.of(
            "analyses.complete", () -> db.analyses().claimNextPending(),
            "uploads.complete", this::prepareUpload);
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
            NewUser in = new NewUser(email(), str(), str(), str(), pick(UserRole.values()));
            User u = db.users().create(in);
            users.add(u.id());
            assertThat(u.email()).isEqualTo(in.email().trim().toLowerCase(Locale.ROOT));
            assertThat(u.firstName()).isEqualTo(in.firstName());
            assertThat(u.lastName()).isEqualTo(in.lastName());
            assertThat(u.passwordHash()).isEqualTo(in.passwordHash());
            assertThat(db.users().findById(u.id())).contains(u);
            return u;
        });
        ops.put("users.findByEmail", () -> {
            String in = email();
            db.users().findByEmail(in).ifPresent(u -> assertThat(u.email())
                    .isIn(in.trim(), in.trim().toLowerCase(Locale.ROOT)));
            return null;
        });
        ops.put("users.search", () -> db.users().search(str(), uuid(users), intIn()));
        ops.put("users.listActive", () -> db.users().listActive(uuid(users), intIn()));
        ops.put("users.updateProfile", () -> {
            UUID id = uuid(users);
            String first = str();
            String last = str();
            User u = db.users().updateProfile(id, first, last);
            assertThat(db.users().findById(id).orElseThrow()).extracting(User::firstName, User::lastName)
                    .containsExactly(first, last);
            return u;
        });
        ops.put("users.changePasswordHash", () -> {
            UUID id = uuid(users);
            String hash = str();
            db.users().changePasswordHash(id, hash);
            assertThat(db.users().findById(id).orElseThrow().passwordHash()).isEqualTo(hash);
            return null;
        });
        ops.put("users.recordFailedLogin", () -> db.users().recordFailedLogin(uuid(users), intIn(), duration()));
        ops.put("tokens.issue", () -> {
            NewRefreshToken in = new NewRefreshToken(uuid(users), str(), str(), str(), str(), instant());
            db.refreshTokens().issue(in);
            rawTokens.add(in.rawToken());
            RefreshToken t = db.refreshTokens().findByRawToken(in.rawToken()).orElseThrow();
            assertThat(t).extracting(RefreshToken::userId, RefreshToken::tokenHash, RefreshToken::sessionId,
                    RefreshToken::deviceInfo, RefreshToken::ipAddress).containsExactly(in.userId(),
                    RefreshTokenRepository.hashOf(in.rawToken()), in.sessionId(), in.deviceInfo(), in.ipAddress());
            assertSameInstant(t.expiresAt(), in.expiresAt());
            return t;
        });
        ops.put("tokens.find", () -> {
            String raw = r.nextBoolean() && !rawTokens.isEmpty() ? pick(rawTokens) : str();
            db.refreshTokens().findByRawToken(raw).ifPresent(t -> assertThat(t.tokenHash())
                    .isEqualTo(RefreshTokenRepository.hashOf(raw)));
            return db.refreshTokens().findActive(raw);
        });
        ops.put("tokens.rotate", () -> {
            String raw = r.nextBoolean() && !rawTokens.isEmpty() ? pick(rawTokens) : str();
            String next = str();
            String ip = str();
            RotationResult result = db.refreshTokens().rotate(raw, next, instant(), ip);
            if (result instanceof RotationResult.Rotated rotated) {
                rawTokens.add(next);
                assertThat(db.refreshTokens().findByRawToken(next).orElseThrow()).extracting(RefreshToken::ipAddress,
                        RefreshToken::sessionId).containsExactly(ip, rotated.previous().sessionId());
            }
            return result;
        });
        ops.put("tokens.revokeSession", () -> {
            String session = str();
            db.refreshTokens().revokeSession(uuid(users), session)
                    .forEach(t -> assertThat(t.sessionId()).isEqualTo(session));
            return null;
        });
        ops.put("uploads.create", () -> {
            NewFileUpload in = new NewFileUpload(uuid(users), str(), str(), str(), longIn(), hash(), str(), str(),
                    r.nextBoolean() ? null : pick(UploadExperienceLevel.values()));
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
                batch.add(new NewFileUpload(user, str(), str(), str(), longIn(), hash(), str(), str(), null));
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
        ops.put("uploads.findByContentHash", () -> db.fileUploads().findByContentHash(uuid(users),
                r.nextBoolean() ? hash() : str()));
        ops.put("uploads.listByUser", () -> db.fileUploads().listByUser(uuid(users),
                r.nextBoolean() ? null : pick(UploadStatus.values()), cursor(), intIn()));
        ops.put("uploads.updateProgress", () -> {
            UUID id = uuid(uploads);
            int progress = intIn();
            assertThat(db.fileUploads().updateProgress(id, progress).progress()).isEqualTo(progress);
            return null;
        });
        ops.put("uploads.advance", () -> db.fileUploads().advance(uuid(uploads), status(), status()));
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
                    : json.arrayNode().add(str(8)).add(json.textNode(piece()))), longIn(), longIn(), longIn());
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
            NewAnalysisRequest in = new NewAnalysisRequest(uuid(users), str(), str(), longIn(), str(), str(), str(),
                    r.nextBoolean() ? null : pick(AnalysisExperienceLevel.values()),
                    r.nextInt(8) == 0 ? UUID.randomUUID() : null, r.nextInt(8) == 0 ? str() : null,
                    r.nextInt(8) == 0 ? str() : null, r.nextInt(8) == 0 ? r.nextInt() : null);
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
            UUID id = uuid(requests);
            NewAnalysisResult in = new NewAnalysisResult(score(), score(), score(), score(),
                    r.nextBoolean() ? null : new StructureFeedback(list(), list()), list(), list(), null, str(),
                    seconds(), r.nextInt(10) == 0 ? str() : null);
            ResumeAnalysis done = db.analyses().complete(id, in);
            ResumeAnalysis read = db.analyses().find(id).orElseThrow();
            assertThat(read.result().orElseThrow().aiModelVersion()).isEqualTo(in.aiModelVersion());
            assertThat(read.result().orElseThrow().overallScore()).isEqualTo(in.overallScore());
            assertThat(read.request().status()).isEqualTo(AnalysisStatus.COMPLETED);
            return done;
        });
        ops.put("analyses.listByUser", () -> db.analyses().listByUser(uuid(users), null, cursor(), intIn()));
        ops.put("analyses.requeueStuck", () -> db.analyses().requeueStuck(duration()));
        ops.put("analyses.fail", () -> db.analyses().fail(uuid(requests)));
        ops.put("prompts.create", () -> {
            NewPrompt in = new NewPrompt(str(), str(), str(), r.nextInt(6) == 0 ? null : pick(PromptType.values()),
                    r.nextBoolean() ? null : uuid(users));
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
            Prompt p = db.prompts().publish(name, intIn(), template, str());
            assertThat(p.template()).isEqualTo(template);
            return p;
        });
        ops.put("prompts.findActiveByName", () -> db.prompts().findActiveByName(r.nextBoolean() ? pick(promptNames) : str()));
        ops.put("prompts.recordUse", () -> {
            String name = pick(promptNames);
            Prompt p = db.prompts().findActiveByName(name).orElse(null);
            return p == null ? null : db.prompts().recordUse(uuid(requests), p);
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

    private long count(String table) throws SQLException {
        try (Connection c = owner.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
