package com.airesumereview.db.repository;

import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.ProductionInvariantsExtension;
import static com.airesumereview.db.generated.Tables.FILE_UPLOADS;
import static com.airesumereview.db.generated.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.UnsupportedFieldException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.ExtractionMetadata;
import com.airesumereview.db.domain.ExtractionResult;
import com.airesumereview.db.domain.FileType;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestUploads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One round trip through the database per non-direct row of field-mapping.csv for FileUpload and
 * ExtractionMetadata (rename, derived, split, unsupported), plus rows only production writes.
 */
@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class FileUploadMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- rename ---------------------------------------------------------------------------------

    @Test
    void uploadStartedAtAndUploadCompletedAtAreTheCreatedAtAndCompletedAtColumns(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = extracting(db, user(db));
        OffsetDateTime created = OffsetDateTime.of(2024, 3, 1, 9, 30, 15, 123_456_000, ZoneOffset.UTC);
        db.dsl().update(FILE_UPLOADS).set(FILE_UPLOADS.CREATED_AT, created.toInstant()).where(FILE_UPLOADS.ID.eq(u.id())).execute();

        FileUpload done = db.fileUploads().complete(u.id(), TestUploads.extractionResult());

        Record raw = db.dsl().select(DSL.field("created_at"), DSL.field("completed_at")).from("file_uploads")
                .where(DSL.field("id").eq(u.id())).fetchSingle();
        assertThat(done.uploadStartedAt()).isEqualTo(Instant.parse("2024-03-01T09:30:15.123456Z"))
                .isEqualTo(raw.get(0, OffsetDateTime.class).toInstant());
        assertThat(done.uploadCompletedAt()).isNotNull().isEqualTo(raw.get(1, OffsetDateTime.class).toInstant());
        assertThat(db.fileUploads().findById(u.id()).orElseThrow().uploadCompletedAt()).isEqualTo(done.uploadCompletedAt());
    }

    @Test
    void timingsInMillisecondsAreStoredUnchangedInTheRenamedColumns(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = extracting(db, user(db));

        FileUpload done = db.fileUploads().complete(u.id(),
                new ExtractionResult("text", ExtractionMetadata.EMPTY, 1_234, 56, 789));

        Record raw = db.dsl().select(DSL.field("processing_time"), DSL.field("validation_time"), DSL.field("extraction_time"))
                .from("file_uploads").where(DSL.field("id").eq(u.id())).fetchSingle();
        assertThat(List.of(raw.get(0, Integer.class), raw.get(1, Integer.class), raw.get(2, Integer.class)))
                .containsExactly(1_234, 56, 789);
        FileUpload read = db.fileUploads().findById(u.id()).orElseThrow();
        assertThat(List.of(read.processingTimeMs(), read.validationTimeMs(), read.extractionTimeMs()))
                .containsExactly(1_234, 56, 789);
        assertThat(done.processingTimeMs()).isEqualTo(1_234);
    }

    // ---- derived ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "application/pdf, cv.bin, PDF",
            "APPLICATION/PDF; qs=0.9, cv, PDF",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document, cv.pdf, DOCX",
            "application/msword, cv.docx, DOC",
            "text/plain; charset=utf-8, cv.pdf, TXT",
            "application/octet-stream, Lebenslauf.DOCX, DOCX",
            "application/octet-stream, cv.final.pdf, PDF",
            "binary/octet-stream, notes.txt, TXT",
            "application/octet-stream, cv.doc, DOC",
            "application/octet-stream, cv, ''",
            "application/octet-stream, cv.odt, ''",
            "image/png, cv.pdf, ''",
            "text/html, cv.txt, ''",
    })
    void fileTypeIsDerivedFromTheMimeTypeOrTheExtensionWhenTheMimeTypeIsGeneric(String mimeType, String originalFilename,
                                                                                String expected, DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.upload(user(db), originalFilename, mimeType));

        FileUpload read = db.fileUploads().findById(u.id()).orElseThrow();

        assertThat(read.mimeType()).isEqualTo(mimeType);
        assertThat(read.fileType()).isEqualTo(expected.isEmpty() ? Optional.empty() : Optional.of(FileType.valueOf(expected)));
    }

    @Test
    void fileTypeIsNeverStored(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        List<String> columns = db.dsl().select(DSL.field("column_name", String.class)).from("information_schema.columns")
                .where(DSL.field("table_name").eq("file_uploads")).fetch(0, String.class);

        assertThat(columns).hasSize(24).noneMatch(c -> c.contains("type") && !c.equals("mime_type"));
    }

    // ---- split -----------------------------------------------------------------------------------

    @Test
    void extractionMetadataIsSplitAcrossFourColumnsAndJoinedOnRead(DataSource dataSource) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = extracting(db, user(db));
        ExtractionMetadata metadata = ExtractionMetadata.fromJson(JSON.readTree(
                "{\"wordCount\": 412, \"characterCount\": 2630, \"extractionMethod\": \"pdfplumber\","
                        + " \"detectedSections\": [\"experience\", \"education\"]}"));

        db.fileUploads().complete(u.id(), new ExtractionResult("text", metadata, 1, 1, 1));

        Record raw = db.dsl().select(DSL.field("word_count"), DSL.field("character_count"), DSL.field("extraction_method"),
                DSL.field("detected_sections::text")).from("file_uploads").where(DSL.field("id").eq(u.id())).fetchSingle();
        assertThat(raw.get(0, Integer.class)).isEqualTo(412);
        assertThat(raw.get(1, Integer.class)).isEqualTo(2630);
        assertThat(raw.get(2, String.class)).isEqualTo("pdfplumber");
        assertThat(raw.get(3, String.class)).isEqualTo("[\"experience\", \"education\"]");
        ExtractionMetadata read = db.fileUploads().findById(u.id()).orElseThrow().extractionMetadata();
        assertThat(read).isEqualTo(metadata);
        assertThat(read.toJson()).isEqualTo(JSON.readTree("{\"wordCount\": 412, \"characterCount\": 2630,"
                + " \"extractionMethod\": \"pdfplumber\", \"detectedSections\": [\"experience\", \"education\"]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"experience\": {\"start\": 3, \"end\": 40}, \"skills\": []}", "[]", "\"experience\"", "42",
            "true", "null", "[1.10, 12345678901234567890123, -0.5e-7, {\"a\": [null]}]", "\"Zürich ✓ 😀\""})
    void detectedSectionsHoldAnyJsonValue(String json, DataSource dataSource) throws Exception {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = extracting(db, user(db));
        JsonNode sections = JSON.readTree(json);

        db.fileUploads().complete(u.id(), new ExtractionResult(null, ExtractionMetadata.of(null, null, null, sections), 0, 0, 0));

        JsonNode read = db.fileUploads().findById(u.id()).orElseThrow().extractionMetadata().detectedSections();
        String rawText = db.dsl().select(DSL.field("detected_sections::text", String.class)).from("file_uploads")
                .where(DSL.field("id").eq(u.id())).fetchSingle(0, String.class);
        assertThat(read).isNotNull();
        assertThat(JSON.readTree(read.toString())).isEqualTo(JSON.readTree(rawText));
        if (json.equals("null")) {
            assertThat(read).isInstanceOf(NullNode.class);
            assertThat(rawText).isEqualTo("null");
        }
    }

    @Test
    void detectedSectionsNumbersReadBackWithoutLosingDigits(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        db.dsl().execute("INSERT INTO file_uploads (user_id, filename, original_filename, mime_type, file_size, file_hash,"
                + " detected_sections) VALUES (?, 'f', 'f.pdf', 'application/pdf', 1, 'h',"
                + " '[1.10, 0.1000000000000000055511151231257827, 123456789012345678901234567890]')", owner);

        JsonNode read = db.fileUploads().findByContentHash(owner, "h").orElseThrow().extractionMetadata().detectedSections();

        assertThat(read.toString()).isEqualTo("[1.10,0.1000000000000000055511151231257827,123456789012345678901234567890]");
    }

    @Test
    void sqlNullMetadataColumnsReadAsEmptyMetadata(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));

        ExtractionMetadata read = db.fileUploads().findById(u.id()).orElseThrow().extractionMetadata();

        assertThat(read).isEqualTo(ExtractionMetadata.EMPTY);
        assertThat(read.isEmpty()).isTrue();
        assertThat(read.detectedSections()).isNull();
    }

    @Test
    void fromJsonReadsTheStoredKeysAndRefusesKeysWithoutAColumnNamingThem() throws Exception {
        ExtractionMetadata m = ExtractionMetadata.fromJson(JSON.readTree("{\"wordCount\": 10, \"detectedSections\": null}"));
        assertThat(m.wordCount()).isEqualTo(10);
        assertThat(m.characterCount()).isNull();
        assertThat(m.detectedSections()).isEqualTo(NullNode.getInstance());

        assertThatThrownBy(() -> ExtractionMetadata.fromJson(JSON.readTree(
                "{\"wordCount\": 10, \"pageCount\": 2, \"language\": \"en\"}")))
                .isInstanceOf(UnsupportedFieldException.class)
                .hasMessageContaining("fileUpload.extractionMetadata")
                .hasMessageContaining("pageCount")
                .hasMessageContaining("language");
    }

    @Test
    void fromJsonRejectsACountThatIsNotAnInteger() throws Exception {
        assertThatThrownBy(() -> ExtractionMetadata.fromJson(JSON.readTree("{\"wordCount\": \"many\"}")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("fileUpload.extractionMetadata.wordCount");
        assertThatThrownBy(() -> ExtractionMetadata.fromJson(JSON.readTree("[1]")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("fileUpload.extractionMetadata");
    }

    // ---- unsupported -----------------------------------------------------------------------------

    @Test
    void unknownStatusStringsAreInvalidAndKnownOnesMapToTheProductionVocabulary() {
        assertThatThrownBy(() -> FileUpload.parseStatus("finished"))
                .isInstanceOf(ValidationException.class)
                .isNotInstanceOf(UnsupportedFieldException.class)
                .hasMessageContaining("fileUpload.status")
                .hasMessageContaining("finished");
        assertThat(FileUpload.parseStatus("pending")).isEqualTo(UploadStatus.PENDING);
        assertThat(FileUpload.parseStatus("Completed")).isEqualTo(UploadStatus.COMPLETED);
        assertThat(FileUpload.parseStatus("error")).isEqualTo(UploadStatus.ERROR);
    }

    @Test
    void parsedStatusesAreStoredAsTheirProductionLiterals(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        FileUpload u = db.fileUploads().create(TestUploads.pdf(user(db)));

        db.fileUploads().advance(u.id(), FileUpload.parseStatus("pending"), FileUpload.parseStatus("validating"));

        assertThat(db.dsl().select(DSL.field("status", String.class)).from("file_uploads").fetchSingle(0, String.class))
                .isEqualTo("validating");
    }

    // ---- rows only production writes -------------------------------------------------------------

    @Test
    void rowsWithNullProgressInfiniteTimestampsAndLegacyValuesReadBack(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        db.dsl().execute("INSERT INTO file_uploads (user_id, filename, original_filename, mime_type, file_size, file_hash,"
                        + " status, progress, created_at, updated_at, completed_at, word_count, detected_sections)"
                        + " VALUES (?, '', '', '', 2147483647, 'NOT-A-HASH', 'completed', NULL, '-infinity', now(), 'infinity',"
                        + " -1, '{\"k\": 1}')", owner);

        FileUpload read = db.fileUploads().listByUser(owner, null, 10).items().get(0);

        assertThat(read.progress()).isNull();
        assertThat(read.uploadStartedAt()).isEqualTo(Instant.MIN);
        assertThat(read.uploadCompletedAt()).isEqualTo(Instant.MAX);
        assertThat(read.fileHash()).isEqualTo("NOT-A-HASH");
        assertThat(read.fileType()).isEmpty();
        assertThat(read.extractionMetadata().wordCount()).isEqualTo(-1);
        assertThat(read.extractionMetadata().detectedSections().get("k").intValue()).isEqualTo(1);
        assertThat(db.fileUploads().findByContentHash(owner, "NOT-A-HASH")).contains(read);
    }

    @Test
    void keysetPagingWorksAcrossInfiniteCreationTimes(DataSource dataSource) {
        ResumeReviewDb db = ResumeReviewDb.create(dataSource);
        UUID owner = user(db);
        for (String createdAt : List.of("infinity", "-infinity", "2024-01-01T00:00:00Z")) {
            db.dsl().execute("INSERT INTO file_uploads (user_id, filename, original_filename, mime_type, file_size,"
                    + " file_hash, created_at) VALUES (?, 'f', ?, 'application/pdf', 1, 'h', ?::timestamptz)", owner,
                    createdAt, createdAt);
        }

        var first = db.fileUploads().listByUser(owner, null, 1);
        var second = db.fileUploads().listByUser(owner, first.next().orElseThrow(), 1);
        var third = db.fileUploads().listByUser(owner, second.next().orElseThrow(), 1);

        assertThat(List.of(first.items().get(0).originalFilename(), second.items().get(0).originalFilename(),
                third.items().get(0).originalFilename())).containsExactly("infinity", "2024-01-01T00:00:00Z", "-infinity");
        assertThat(third.next()).isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static UUID user(ResumeReviewDb db) {
        return db.dsl().insertInto(USERS)
                .set(USERS.EMAIL, UUID.randomUUID() + "@example.com")
                .set(USERS.PASSWORD_HASH, TestUsers.PASSWORD_HASH)
                .set(USERS.FIRST_NAME, "Ada")
                .set(USERS.LAST_NAME, "Lovelace")
                .returning(USERS.ID).fetchSingle().getId();
    }

    private static FileUpload extracting(ResumeReviewDb db, UUID owner) {
        FileUpload u = db.fileUploads().create(TestUploads.pdf(owner));
        db.fileUploads().startValidating(u.id());
        return db.fileUploads().startExtracting(u.id());
    }
}
