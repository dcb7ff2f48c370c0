package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import com.airesumereview.db.repository.internal.PostgresAnalysisRepository;
import static com.airesumereview.db.repository.AnalysisTestRows.contents;
import static com.airesumereview.db.repository.AnalysisTestRows.execute;
import static com.airesumereview.db.repository.AnalysisTestRows.string;
import static com.airesumereview.db.repository.AnalysisTestRows.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.ValidationException;
import java.lang.reflect.Method;
import java.util.Arrays;
import com.airesumereview.db.domain.AnalysisRequest;
import com.airesumereview.db.domain.AnalysisResult;
import com.airesumereview.db.domain.DetailedFeedback;
import com.airesumereview.db.domain.NewAnalysisRequest;
import com.airesumereview.db.domain.NewAnalysisResult;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.SchemaMigration;
import com.airesumereview.db.domain.StructureFeedback;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestPrompts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One round trip through the database for each non-direct row of field-mapping.csv for AnalysisRequest,
 * NewAnalysisRequest, AnalysisResult, NewAnalysisResult, DetailedFeedback, StructureFeedback, Prompt and
 * SchemaMigration.
 */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class AnalysisMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- AnalysisRequest.industry: rename -----------------------------------------------------------

    @Test
    void industryIsStoredInTargetIndustry(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        AnalysisRequest r = db.analyses().create(NewAnalysisRequest.builder()
                .userId(user(ds)).originalFilename("cv.pdf").filePath("p/cv.pdf").fileSizeBytes(1)
                .mimeType("application/pdf").industry("Healthcare").build());

        assertThat(string(ds, "SELECT target_industry FROM analysis_requests WHERE id = ?", r.id()))
                .isEqualTo("Healthcare");
        assertThat(db.analyses().find(r.id()).orElseThrow().request().industry()).isEqualTo("Healthcare");
    }

    // ---- fileUploadId, errorMessage, marketTier, retryCount: not stored, so not inputs --------------

    @Test
    void domainFieldsProductionCannotStoreAreNotPartOfTheInputs() {
        // Production has no column for them: a caller cannot pass them, so none can be lost at run time.
        assertThat(Arrays.stream(NewAnalysisRequest.class.getMethods()).map(Method::getName))
                .doesNotContain("fileUploadId", "errorMessage", "marketTier", "retryCount");
        assertThat(Arrays.stream(NewAnalysisRequest.Builder.class.getMethods()).map(Method::getName))
                .doesNotContain("fileUploadId", "errorMessage", "marketTier", "retryCount");
        assertThat(Arrays.stream(NewAnalysisResult.class.getMethods()).map(Method::getName))
                .doesNotContain("marketTier");
        assertThat(Arrays.stream(NewAnalysisResult.Builder.class.getMethods()).map(Method::getName))
                .doesNotContain("marketTier");
    }

    // ---- AnalysisResult.aiModelVersion: rename -----------------------------------------------------

    @Test
    void aiModelVersionIsStoredInAiModelUsed(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);

        AnalysisResult written = complete(db, id, result(null, null, null, null, "claude-3-5-sonnet", null));

        assertThat(string(ds, "SELECT ai_model_used FROM analysis_results")).isEqualTo("claude-3-5-sonnet");
        assertThat(read(db, id).aiModelVersion()).isEqualTo("claude-3-5-sonnet").isEqualTo(written.aiModelVersion());
    }

    // ---- AnalysisResult.processingTimeSeconds: convert ---------------------------------------------

    @Test
    void processingTimeSecondsIsStoredAsRoundedMilliseconds(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID a = processingRequest(db, ds);
        UUID b = processingRequest(db, ds);
        UUID c = processingRequest(db, ds);

        complete(db, a, result(null, null, null, null, "m", 12.345));
        complete(db, b, result(null, null, null, null, "m", 0.0016));
        complete(db, c, result(null, null, null, null, "m", PostgresAnalysisRepository.MAX_PROCESSING_SECONDS));

        assertThat(ms(ds, a)).isEqualTo("12345");
        assertThat(ms(ds, b)).isEqualTo("2");
        assertThat(ms(ds, c)).isEqualTo("2147483647");
        assertThat(read(db, a).processingTimeSeconds()).isEqualTo(12.345);
        assertThat(read(db, b).processingTimeSeconds()).isEqualTo(0.002);
        assertThat(read(db, c).processingTimeSeconds()).isEqualTo(2147483.647);
    }

    @Test
    void processingTimeMillisecondsWrittenByAnotherServiceReadAsSeconds(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        execute(ds, "INSERT INTO analysis_results (request_id, ai_model_used, processing_time_ms)"
                + " VALUES ('" + id + "', 'm', 1500)");

        assertThat(read(db, id).processingTimeSeconds()).isEqualTo(1.5);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2147483.648})
    void refusesProcessingTimeTheMillisecondColumnCannotHold(double seconds, DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        List<String> before = contents(ds, "analysis_requests");

        assertThatThrownBy(() -> db.analyses().complete(id, result(null, null, null, null, "m", seconds)))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("analysisResult.processingTimeSeconds:")
                .hasMessageContaining(String.valueOf(seconds));
        assertThat(contents(ds, "analysis_requests")).isEqualTo(before);
        assertThat(contents(ds, "analysis_results")).isEmpty();
    }

    // ---- AnalysisResult.structureFeedback / StructureFeedback.*: split ------------------------------

    @Test
    void structureFeedbackIsSplitIntoStrengthsAndWeaknesses(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        StructureFeedback feedback = new StructureFeedback(Arrays.asList("Clear layout", null, "Metrics"),
                List.of());

        complete(db, id, NewAnalysisResult.builder().structureFeedback(feedback).aiModelVersion("m").build());

        assertThat(string(ds, "SELECT strengths::text FROM analysis_results")).isEqualTo("{\"Clear layout\",NULL,Metrics}");
        assertThat(string(ds, "SELECT weaknesses::text FROM analysis_results")).isEqualTo("{}");
        assertThat(read(db, id).structureFeedback()).isEqualTo(feedback);
        assertThat(read(db, id).structureFeedback().strengths()).containsExactly("Clear layout", null, "Metrics");
    }

    @Test
    void nullStrengthsAndWeaknessesReadAsNullLists(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        execute(ds, "INSERT INTO analysis_results (request_id, ai_model_used, weaknesses)"
                + " VALUES ('" + id + "', 'm', ARRAY['Typos'])");

        StructureFeedback read = read(db, id).structureFeedback();

        assertThat(read.strengths()).isNull();
        assertThat(read.weaknesses()).containsExactly("Typos");
    }

    // ---- NewAnalysisResult.appealFeedback/improvementSuggestions: split into recommendations ---------

    @Test
    void appealFeedbackThenImprovementSuggestionsBecomeRecommendations(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID both = processingRequest(db, ds);
        UUID onlyImprovements = processingRequest(db, ds);

        complete(db, both, NewAnalysisResult.builder()
                .appealFeedback(List.of("Appealing headline", "Warm tone"))
                .improvementSuggestions(List.of("Shorten summary")).aiModelVersion("m").build());
        complete(db, onlyImprovements, NewAnalysisResult.builder()
                .improvementSuggestions(List.of("Add a skills section")).aiModelVersion("m").build());

        assertThat(string(ds, "SELECT recommendations::text FROM analysis_results WHERE request_id = ?", both))
                .isEqualTo("{\"Appealing headline\",\"Warm tone\",\"Shorten summary\"}");
        assertThat(read(db, both).recommendations())
                .containsExactly("Appealing headline", "Warm tone", "Shorten summary");
        assertThat(read(db, onlyImprovements).recommendations()).containsExactly("Add a skills section");
    }

    // ---- AnalysisResult.detailedFeedback / DetailedFeedback.*: json key ------------------------------

    @Test
    void typedFeedbackKeysAreKeysOfTheJsonObject(DataSource ds) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        ObjectNode structure = JsonNodeFactory.instance.objectNode().put("sections", 80);
        JsonNode appeal = JSON.readTree("[1, 2, 3]");
        ObjectNode confidence = JsonNodeFactory.instance.objectNode().put("overall", 0.9);

        complete(db, id, result(null, null, null, DetailedFeedback.of(structure, appeal, confidence, "Good", 4321L), "m",
                null));

        assertThat(JSON.readTree(string(ds, "SELECT detailed_feedback::text FROM analysis_results")))
                .isEqualTo(JSON.readTree("{\"structureScores\":{\"sections\":80},\"appealScores\":[1,2,3],"
                        + "\"confidenceMetrics\":{\"overall\":0.9},\"analysisSummary\":\"Good\",\"aiTokensUsed\":4321}"));
        DetailedFeedback read = read(db, id).detailedFeedback();
        assertThat(read.structureScores()).isEqualTo(structure);
        assertThat(read.appealScores()).isEqualTo(appeal);
        assertThat(read.confidenceMetrics().get("overall").decimalValue()).isEqualByComparingTo("0.9");
        assertThat(read.analysisSummary()).isEqualTo("Good");
        assertThat(read.aiTokensUsed()).isEqualTo(4321L);
    }

    @Test
    void keysWrittenByOtherServicesAreReadAndWrittenBack(DataSource ds) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID legacy = processingRequest(db, ds);
        execute(ds, "INSERT INTO analysis_results (request_id, ai_model_used, detailed_feedback) VALUES ('" + legacy
                + "', 'm', '{\"analysisSummary\": \"Legacy\", \"aiTokensUsed\": 12345678901234567890,"
                + " \"precise\": 0.12345678901234567890123, \"pythonOnly\": {\"a\": [true, null]}}')");

        DetailedFeedback read = read(db, legacy).detailedFeedback();
        UUID copy = processingRequest(db, ds);
        complete(db, copy, result(null, null, null, read, "m", null));

        assertThat(read.analysisSummary()).isEqualTo("Legacy");
        assertThat(read.aiTokensUsed()).as("does not fit a long: left in raw only").isNull();
        assertThat(read.raw().get("pythonOnly")).isEqualTo(JSON.readTree("{\"a\": [true, null]}"));
        assertThat(string(ds, "SELECT (SELECT detailed_feedback FROM analysis_results WHERE request_id = ?)"
                + " = (SELECT detailed_feedback FROM analysis_results WHERE request_id = ?)", legacy, copy))
                .as("written back unchanged, every number exact").isEqualTo("t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, \"two\"]", "\"just text\"", "42", "true", "null"})
    void anyJsonValueReadsBackRawWithTypedKeysEmpty(String json, DataSource ds) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        AnalysisTestRows.update(ds, "INSERT INTO analysis_results (request_id, ai_model_used, detailed_feedback)"
                + " VALUES (?, 'm', ?::jsonb)", id, json);

        DetailedFeedback read = read(db, id).detailedFeedback();

        assertThat(read.raw()).isEqualTo(JSON.readTree(json));
        assertThat(read.structureScores()).isNull();
        assertThat(read.appealScores()).isNull();
        assertThat(read.confidenceMetrics()).isNull();
        assertThat(read.analysisSummary()).isNull();
        assertThat(read.aiTokensUsed()).isNull();
    }

    @Test
    void sqlNullFeedbackReadsAsNull(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        execute(ds, "INSERT INTO analysis_results (request_id, ai_model_used) VALUES ('" + id + "', 'm')");

        assertThat(read(db, id).detailedFeedback()).isNull();
    }

    @Test
    void refusesFeedbackJsonPostgresCannotStore(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID id = processingRequest(db, ds);
        List<String> before = contents(ds, "analysis_requests");
        DetailedFeedback nul = DetailedFeedback.of(null, null, null, "bad\0summary", null);

        assertThatThrownBy(() -> db.analyses().complete(id, result(null, null, null, nul, "m", null)))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("analysisResult.detailedFeedback.analysisSummary:")
                .hasMessageContaining("NUL");
        assertThat(contents(ds, "analysis_requests")).isEqualTo(before);
        assertThat(contents(ds, "analysis_results")).isEmpty();
    }

    // ---- Prompt.active: rename ---------------------------------------------------------------------

    @Test
    void activeIsStoredInIsActive(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        Prompt created = db.prompts().create(TestPrompts.newPrompt(PromptType.CONTENT));
        assertThat(created.active()).isTrue();
        assertThat(string(ds, "SELECT is_active FROM prompts WHERE id = ?", created.id())).isEqualTo("t");

        execute(ds, "UPDATE prompts SET is_active = false WHERE id = '" + created.id() + "'");

        assertThat(db.prompts().findActiveByName(created.name())).isEmpty();
        assertThat(db.prompts().listActiveByType(PromptType.CONTENT)).extracting(Prompt::name)
                .containsExactly("content_analysis");
    }

    // ---- SchemaMigration.appliedAt: rename --------------------------------------------------------

    @Test
    void appliedAtIsReadFromAppliedAt(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        // The snapshot holds no migration rows (production's log is data, not structure).
        execute(ds, "INSERT INTO schema_migrations (version, applied_at)"
                + " VALUES ('001_initial_schema', '2024-03-01 12:00:00+00')");

        assertThat(db.schemaMigrations().list())
                .containsExactly(new SchemaMigration("001_initial_schema", Instant.parse("2024-03-01T12:00:00Z")));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static UUID processingRequest(ResumeReviewDb db, DataSource ds) {
        UUID id = db.analyses().create(TestAnalyses.newRequest(user(ds))).id();
        AnalysisTestRows.update(ds, "UPDATE analysis_requests SET status = 'processing' WHERE id = ?", id);
        return id;
    }

    private static NewAnalysisResult result(Integer overall, StructureFeedback structure, List<String> appeal,
            DetailedFeedback feedback, String model, Double seconds) {
        return NewAnalysisResult.builder()
                .overallScore(overall).structureFeedback(structure).appealFeedback(appeal).detailedFeedback(feedback)
                .aiModelVersion(model).processingTimeSeconds(seconds).build();
    }

    private static AnalysisResult complete(ResumeReviewDb db, UUID id, NewAnalysisResult result) {
        return db.analyses().complete(id, result).result().orElseThrow();
    }

    private static AnalysisResult read(ResumeReviewDb db, UUID id) {
        return db.analyses().find(id).orElseThrow().result().orElseThrow();
    }

    private static String ms(DataSource ds, UUID id) {
        return string(ds, "SELECT processing_time_ms FROM analysis_results WHERE request_id = ?", id);
    }
}
