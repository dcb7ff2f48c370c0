package com.airesumereview.db.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import com.airesumereview.db.internal.BundledSchemaModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed generated code is exactly what schema/ generates now (sqlc-diff style). */
class GeneratedCodeIsCurrentTest {

    @Test
    void committedGeneratedCodeMatchesWhatSchemaGeneratesNow(@TempDir Path tmp) throws IOException {
        Path project = ProjectLayout.projectDir();
        List<String> lines = new ArrayList<>();
        CodeGenerator.Result result = new CodeGenerator(
                CodeGenerator.Options.forProject(project).withTargetDir(tmp), lines::add).generate();

        Path committedRoot = project.resolve("src/main/java");
        TreeSet<Path> all = new TreeSet<>(result.files());
        all.addAll(CodeGenerator.listGenerated(committedRoot));
        List<String> stale = new ArrayList<>();
        for (Path file : all) {
            Path fresh = tmp.resolve(file);
            Path committed = committedRoot.resolve(file);
            if (!Files.exists(committed)) {
                stale.add("missing from the committed code: " + file);
            } else if (!Files.exists(fresh)) {
                stale.add("committed but no longer generated: " + file);
            } else if (!Files.readString(fresh).equals(Files.readString(committed))) {
                stale.add("differs from what schema/ generates: " + file);
            }
        }
        Path committedModel = project.resolve(BundledSchemaModel.SOURCE_PATH);
        if (!Files.exists(committedModel)) {
            stale.add("missing from the committed resources: " + BundledSchemaModel.SOURCE_PATH);
        } else if (!Files.readString(result.modelFile()).equals(Files.readString(committedModel))) {
            stale.add("differs from the model of the database schema/ builds: " + BundledSchemaModel.SOURCE_PATH);
        }
        assertThat(stale)
                .as("Generated code under src/main/java/com/airesumereview/db/generated or the schema model "
                        + BundledSchemaModel.SOURCE_PATH + " is stale or was edited by hand."
                        + " Regenerate it with `%s` and commit the result.", CodeGenerator.COMMAND)
                .isEmpty();
        assertThat(result.files()).as("generation produced the tables and the vocabulary enums")
                .contains(Path.of("com/airesumereview/db/generated/tables/Users.java"),
                        Path.of("com/airesumereview/db/generated/vocabulary/UserRole.java"));
    }

    @Test
    void modelIsWrittenBelowTheRedirectedTargetNotIntoTheProject(@TempDir Path tmp) {
        CodeGenerator.Options options = CodeGenerator.Options.forProject(ProjectLayout.projectDir()).withTargetDir(tmp);

        assertThat(options.modelFile()).isEqualTo(tmp.resolve(BundledSchemaModel.RESOURCE));
    }

    @Test
    void everyProductionVocabularyBecomesAnEnumOnItsColumn(@TempDir Path tmp) throws IOException {
        Path project = ProjectLayout.projectDir();
        CodeGenerator.Result result = new CodeGenerator(
                CodeGenerator.Options.forProject(project).withTargetDir(tmp), s -> { }).generate();
        assertThat(result.vocabularies())
                .extracting(e -> e.vocabulary().qualifiedColumn() + " -> " + e.enumName() + " " + e.vocabulary().values())
                .containsExactlyInAnyOrder(
                        "public.users.role -> UserRole [consultant, admin]",
                        "public.refresh_tokens.status -> RefreshTokenStatus [active, expired, revoked]",
                        "public.file_uploads.status -> UploadStatus [pending, validating, extracting, completed, error]",
                        "public.file_uploads.experience_level -> UploadExperienceLevel [junior, mid, senior]",
                        "public.analysis_requests.status -> AnalysisStatus [pending, processing, completed, failed]",
                        "public.analysis_requests.experience_level -> AnalysisExperienceLevel [entry, mid, senior, executive]",
                        "public.prompts.prompt_type -> PromptType [system, analysis, formatting, content]");
        String users = Files.readString(tmp.resolve("com/airesumereview/db/generated/tables/Users.java"));
        assertThat(users).contains("TableField<UsersRecord, UserRole> ROLE");
    }
}
