package com.airesumereview.db.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.domain.AnalysisResult;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.IssuedToken;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.User;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestPrompts;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class AuditEngineTest {
    private static final String REVIEWER_CHECK = "ALTER TABLE users DROP CONSTRAINT users_role_check,"
            + " ADD CONSTRAINT users_role_check CHECK (role IN ('consultant', 'admin', 'reviewer'))";

    @Test
    void snapshotWithRowsWrittenThroughTheRepositoriesIsClean(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        User user = db.users().create(TestUsers.newUser());
        db.users().create(TestUsers.newAdmin());
        db.refreshTokens().issue(TestRefreshTokens.newToken(user.id()));
        FileUpload upload = db.fileUploads().create(TestUploads.pdf(user.id()));
        db.fileUploads().startValidating(upload.id());
        db.fileUploads().startExtracting(upload.id());
        db.fileUploads().complete(upload.id(), TestUploads.extractionResult());
        db.fileUploads().create(TestUploads.docx(user.id()));
        AnalysisRequest request = db.analyses().create(TestAnalyses.newRequest(user.id()));
        db.analyses().claimNextPending();
        db.analyses().complete(request.id(), TestAnalyses.newResult());
        Prompt prompt = db.prompts().create(TestPrompts.newPrompt(PromptType.CONTENT));
        db.prompts().recordUse(request.id(), prompt);

        AuditReport report = AuditEngine.withDefaults().audit(List.of(ds));

        assertThat(report.isClean()).as(report.render()).isTrue();
        assertThat(counts(report)).containsExactly(Map.entry("users", 2L), Map.entry("refresh_tokens", 1L),
                Map.entry("file_uploads", 2L), Map.entry("analysis_requests", 1L), Map.entry("analysis_results", 1L),
                Map.entry("prompts", 4L), Map.entry("prompt_history", 1L), Map.entry("schema_migrations", 0L));
        assertThat(report.render()).endsWith("verdict: CLEAN - all 12 rows of 8 tables read into the domain model\n");
    }

    /** python-service-behaviour.md: every production email is stored trimmed and lower-case; a row that is not is a finding. */
    @Test
    void emailsNotStoredTrimmedAndLowerCaseAreFindingsByIdWithoutTheAddress(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        User kept = db.users().create(TestUsers.newUser());
        UUID mixed = Sql.uuid(ds, "INSERT INTO users (email, password_hash, first_name, last_name)"
                + " VALUES ('Mixed.Case@Example.com', 'h', 'A', 'B') RETURNING id");
        UUID padded = Sql.uuid(ds, "INSERT INTO users (email, password_hash, first_name, last_name)"
                + " VALUES ('padded@example.com ', 'h', 'A', 'B') RETURNING id");

        AuditReport report = AuditEngine.withDefaults().audit(List.of(ds));

        assertThat(report.isClean()).as("the rows still map").isTrue();
        assertThat(report.hasFindings()).isTrue();
        assertThat(report.findings()).extracting(f -> f.table() + " " + f.primaryKey())
                .containsExactlyInAnyOrder("users " + mixed, "users " + padded)
                .doesNotContain("users " + kept.id());
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.invariant())
                .startsWith("users.email is not stored trimmed and lower-case"));
        assertThat(report.render()).contains("users " + mixed + ": users.email is not stored trimmed and lower-case")
                .doesNotContain("Mixed.Case@Example.com");
    }

    @Test
    void anAuditOfRowsKeepingTheInvariantsHasNoFindings(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        db.users().create(TestUsers.newUser(" Upper.Case@Example.COM "));

        assertThat(AuditEngine.withDefaults().audit(List.of(ds)).findings()).isEmpty();
    }

    @Test
    void roleOutsideTheEnumInADriftedCopyIsReportedByIdAndValueAndTheAuditGoesOn(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        db.users().create(TestUsers.newUser());
        Sql.execute(ds, REVIEWER_CHECK);
        UUID reviewer = Sql.uuid(ds, "INSERT INTO users (email, password_hash, first_name, last_name, role)"
                + " VALUES ('r@example.com', 'h', 'Rita', 'Review', 'reviewer') RETURNING id");
        db.users().create(TestUsers.newUser());

        AuditReport report = AuditEngine.withDefaults().audit(List.of(ds));

        TableAudit users = report.tables().get(0);
        assertThat(users.table()).isEqualTo("users");
        assertThat(users.rowsRead()).as("rows after the failed one are read too").isEqualTo(3);
        assertThat(users.failedRows()).isEqualTo(1);
        assertThat(users.failures()).singleElement().satisfies(f -> {
            assertThat(f.primaryKey()).isEqualTo(reviewer.toString());
            assertThat(f.reason()).isEqualTo("IllegalArgumentException: users.role: 'reviewer' is not one of"
                    + " consultant, admin (CHECK users_role_check)");
        });
        assertThat(report.isClean()).isFalse();
        assertThat(report.render()).contains("users " + reviewer + ": ")
                .endsWith("verdict: FAILED - 1 of 6 rows cannot be read by the library\n");
    }

    @Test
    void secretColumnValuesNeverAppearInReasons(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        User user = db.users().create(TestUsers.newUser());
        IssuedToken token = db.refreshTokens().issue(TestRefreshTokens.newToken(user.id()));
        Sql.execute(ds, "ALTER TABLE users DROP CONSTRAINT users_role_check");
        Sql.execute(ds, "ALTER TABLE refresh_tokens DROP CONSTRAINT chk_refresh_tokens_status");
        // A drifted copy where the secrets ended up in enum columns: the mapping's message would quote them.
        Sql.execute(ds, "UPDATE users SET role = left(password_hash, 50)");
        Sql.execute(ds, "UPDATE refresh_tokens SET status = left(token_hash, 50)");

        AuditReport report = AuditEngine.withDefaults().audit(List.of(ds));

        assertThat(report.failedRows()).isEqualTo(2);
        String text = report.render();
        assertThat(text).contains("users.role: '***", "refresh_tokens.status: '***")
                .doesNotContain(user.passwordHash().substring(0, 50))
                .doesNotContain(token.token().tokenHash().substring(0, 50));
    }

    @Test
    void hostileButLegalProductionRowsAllReadBack(DataSource ds) {
        UUID user = Sql.user(ds);
        UUID request = Sql.request(ds, user);
        Sql.result(ds, request, "'{{a,b},{c,d}}'", "'{NULL}'", "'{}'", "'\"just a string\"'");
        Sql.result(ds, request, "'[0:1]={x,y}'", "'{{{deep}}}'", "'{NULL,NULL}'", "'42'");
        Sql.result(ds, request, "NULL", "NULL", "NULL", "'null'");
        Sql.result(ds, request, "NULL", "NULL", "NULL", "'[1, true, {\"a\": null}]'");
        Sql.result(ds, request, "NULL", "NULL", "NULL", "'{\"aiTokensUsed\": 1e1200, \"analysisSummary\": 7}'");
        Sql.result(ds, request, "NULL", "NULL", "NULL", "(repeat('[', 2000) || repeat(']', 2000))::jsonb");
        Sql.result(ds, request, "NULL", "NULL", "NULL", "('{\"analysisSummary\": \"' || repeat('x', 21000000) || '\"}')::jsonb");
        Sql.upload(ds, user, "'\"text\"'");
        Sql.upload(ds, user, "'null'");
        Sql.upload(ds, user, "'12.50'");
        Sql.upload(ds, user, "'{}'");
        Sql.upload(ds, user, "(repeat('{\"a\":', 2000) || '1' || repeat('}', 2000))::jsonb");
        Sql.upload(ds, user, "('[' || repeat('9', 1500) || '.5]')::jsonb");
        UUID prompt = Sql.uuid(ds, "SELECT id FROM prompts LIMIT 1");
        Sql.execute(ds, "INSERT INTO prompt_history (prompt_id, request_id, prompt_version, prompt_content)"
                + " VALUES (?, ?, 1, repeat('Résumé 😀 ', 200000))", prompt, request);
        Sql.execute(ds, "INSERT INTO refresh_tokens (user_id, token_hash, session_id, expires_at, device_info)"
                + " VALUES (?, repeat('b', 64), 's', 'infinity', repeat('🙂', 50000))", user);
        Sql.execute(ds, "INSERT INTO schema_migrations (version, applied_at) VALUES ('001_initial_schema', '-infinity')");
        Sql.withoutTriggers(ds,
                "UPDATE users SET failed_login_attempts = NULL, first_name = '👩‍💻 Ada', created_at = 'infinity',"
                        + " updated_at = '-infinity', last_login_at = 'infinity', password_changed_at = '-infinity',"
                        + " locked_until = 'infinity'",
                "UPDATE refresh_tokens SET created_at = '-infinity', last_used_at = 'infinity'",
                "UPDATE file_uploads SET progress = NULL, extracted_text = repeat('CV 📄 ', 1000000),"
                        + " created_at = 'infinity', updated_at = '-infinity', completed_at = 'infinity'",
                "UPDATE analysis_requests SET created_at = '-infinity', updated_at = 'infinity', completed_at = '-infinity'",
                "UPDATE analysis_results SET created_at = 'infinity'",
                "UPDATE prompts SET created_at = 'infinity', updated_at = '-infinity', template = repeat('😀', 100000)",
                "UPDATE prompt_history SET created_at = '-infinity'");

        AuditReport report = AuditEngine.withDefaults().audit(List.of(ds));

        assertThat(report.isClean()).as(report.render()).isTrue();
        assertThat(counts(report)).containsExactly(Map.entry("users", 1L), Map.entry("refresh_tokens", 1L),
                Map.entry("file_uploads", 6L), Map.entry("analysis_requests", 1L), Map.entry("analysis_results", 7L),
                Map.entry("prompts", 3L), Map.entry("prompt_history", 1L), Map.entry("schema_migrations", 1L));
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        assertThat(db.users().findById(user).orElseThrow()).satisfies(u -> {
            assertThat(u.failedLoginAttempts()).isNull();
            assertThat(u.createdAt()).isEqualTo(Instant.MAX);
            assertThat(u.updatedAt()).isEqualTo(Instant.MIN);
            assertThat(u.firstName()).isEqualTo("👩‍💻 Ada");
        });
        assertThat(db.schemaMigrations().list()).singleElement()
                .satisfies(m -> assertThat(m.appliedAt()).isEqualTo(Instant.MIN));
    }

    @Test
    void jsonNestedDeeperThanTheSupportedLimitIsReportedNamingTheLimit(DataSource ds) {
        UUID user = Sql.user(ds);
        UUID request = Sql.request(ds, user);
        UUID result = Sql.result(ds, request, "NULL", "NULL", "NULL", "(repeat('[', 2001) || repeat(']', 2001))::jsonb");
        UUID upload = Sql.upload(ds, user, "(repeat('[', 9000) || repeat(']', 9000))::jsonb");

        AuditReport report = AuditEngine.withDefaults().audit(List.of(ds));

        assertThat(report.failedRows()).isEqualTo(2);
        assertThat(report.tables().get(2).failures()).singleElement().satisfies(f -> {
            assertThat(f.primaryKey()).isEqualTo(upload.toString());
            assertThat(f.reason()).startsWith("StreamConstraintsException: Document nesting depth (2001) exceeds the"
                    + " maximum allowed (2000");
        });
        assertThat(report.tables().get(4).failures()).extracting(RowFailure::primaryKey).containsExactly(result.toString());
    }

    @Test
    void multiDimensionalArraysReadFlattenedInRowMajorOrderThroughTheRepository(DataSource ds) {
        UUID user = Sql.user(ds);
        UUID twoD = Sql.request(ds, user);
        UUID bounds = Sql.request(ds, user);
        Sql.result(ds, twoD, "'{{a,b},{c,d}}'", "'{NULL}'", "'{}'", "NULL");
        Sql.result(ds, bounds, "'[0:1]={x,y}'", "'{{{deep}}}'", "'{NULL,z}'", "'\"text\"'");
        ResumeReviewDb db = ResumeReviewDb.create(ds);

        AnalysisResult first = db.analyses().find(twoD).orElseThrow().result().orElseThrow();
        AnalysisResult second = db.analyses().find(bounds).orElseThrow().result().orElseThrow();

        assertThat(first.structureFeedback().strengths()).containsExactly("a", "b", "c", "d");
        assertThat(first.structureFeedback().weaknesses()).containsExactly((String) null);
        assertThat(first.recommendations()).isEmpty();
        assertThat(first.detailedFeedback()).isNull();
        assertThat(second.structureFeedback().strengths()).containsExactly("x", "y");
        assertThat(second.structureFeedback().weaknesses()).containsExactly("deep");
        assertThat(second.recommendations()).containsExactly(null, "z");
        assertThat(second.detailedFeedback().raw().textValue()).isEqualTo("text");
        assertThat(second.detailedFeedback().analysisSummary()).isNull();
    }

    @Test
    void progressComesEveryNRowsOfATableAndOnceWhenItIsDone(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        User user = db.users().create(TestUsers.newUser());
        db.fileUploads().createAll(TestUploads.many(user.id(), 2_500));
        List<AuditProgress> seen = new ArrayList<>();

        AuditReport report = AuditEngine.builder().fetchSize(100).progressEvery(1_000).progress(seen::add).build()
                .audit(ds);

        assertThat(report.isClean()).isTrue();
        assertThat(seen.stream().filter(p -> p.table().equals("file_uploads")))
                .containsExactly(new AuditProgress("file_uploads", 1_000, 0, false),
                        new AuditProgress("file_uploads", 2_000, 0, false),
                        new AuditProgress("file_uploads", 2_500, 0, true));
        assertThat(seen.stream().filter(AuditProgress::tableDone).map(AuditProgress::table))
                .containsExactly("users", "refresh_tokens", "file_uploads", "analysis_requests", "analysis_results",
                        "prompts", "prompt_history", "schema_migrations");
    }

    @Test
    void failuresAreAllCountedButOnlyTheFirstListed(DataSource ds) {
        Sql.execute(ds, REVIEWER_CHECK);
        for (int i = 0; i < 5; i++) {
            Sql.execute(ds, "INSERT INTO users (email, password_hash, first_name, last_name, role)"
                    + " VALUES (?, 'h', 'R', 'R', 'reviewer')", i + "@example.com");
        }

        AuditReport report = AuditEngine.builder().failuresListed(2).build().audit(ds);

        assertThat(report.tables().get(0).failedRows()).isEqualTo(5);
        assertThat(report.tables().get(0).failures()).hasSize(2);
        assertThat(report.render()).contains("users: 3 more not listed", "(first 2 per table)");
    }

    @Test
    void auditOfAUrlUsesItsOwnConnectionAndNamesTheDatabaseWithoutCredentials(ProvisionedDatabase db) {
        DatabaseUrl url = db.url().withCredentials(null, "not-needed-Pw-9");

        AuditReport report = AuditEngine.withDefaults().audit(url);

        assertThat(report.database()).isEqualTo(db.jdbcUrl());
        assertThat(report.isClean()).isTrue();
        assertThat(report.rowsRead()).isEqualTo(3);
    }

    @Test
    void unreachableServerIsOneErrorWithoutThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:S3cret-Pw-42@127.0.0.1:1/prod");

        assertThatThrownBy(() -> AuditEngine.withDefaults().audit(url))
                .isInstanceOf(ResumeReviewDbException.class)
                .hasMessage("cannot connect to jdbc:postgresql://127.0.0.1:1/prod: Connection refused");
    }

    private static Map<String, Long> counts(AuditReport report) {
        return report.tables().stream().collect(Collectors.toMap(TableAudit::table, TableAudit::rowsRead,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
