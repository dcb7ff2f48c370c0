package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static com.airesumereview.db.repository.AnalysisTestRows.contents;
import static com.airesumereview.db.repository.AnalysisTestRows.execute;
import static com.airesumereview.db.repository.AnalysisTestRows.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.ValidationException;
import com.airesumereview.db.domain.NewPromptVersion;
import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.PromptUse;
import com.airesumereview.db.generated.vocabulary.PromptType;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestPrompts;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class PromptRepositoryTest {

    @Test
    void findsReferencePromptOfTheSnapshotByName(DataSource ds) {
        Prompt p = ResumeReviewDb.create(ds).prompts().findActiveByName("resume_analysis_system").orElseThrow();

        assertThat(p.promptType()).isEqualTo(PromptType.SYSTEM);
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.active()).isTrue();
        assertThat(p.createdBy()).isNull();
        assertThat(p.template()).isNotBlank();
        assertThat(p.createdAt()).isNotNull();
    }

    @Test
    void findsNothingForUnknownOrInactiveName(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        execute(ds, "UPDATE prompts SET is_active = false WHERE name = 'content_analysis'");

        assertThat(db.prompts().findActiveByName("no_such_prompt")).isEmpty();
        assertThat(db.prompts().findActiveByName("content_analysis")).isEmpty();
    }

    @Test
    void listsActivePromptsOfOneTypeByName(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        db.prompts().create(NewPrompt.builder()
                .name("b_formatting").template("t").promptType(PromptType.FORMATTING).build());
        Prompt inactive = db.prompts().create(NewPrompt.builder()
                .name("a_formatting").template("t").promptType(PromptType.FORMATTING).build());
        db.prompts().create(NewPrompt.builder().name("a_content").template("t").promptType(PromptType.CONTENT).build());
        execute(ds, "UPDATE prompts SET is_active = false WHERE id = '" + inactive.id() + "'");

        assertThat(db.prompts().listActiveByType(PromptType.FORMATTING)).extracting(Prompt::name)
                .containsExactly("b_formatting", "formatting_analysis");
        assertThat(db.prompts().listActiveByType(PromptType.ANALYSIS)).isEmpty();
    }

    @Test
    void createsPromptAtVersionOneWithItsCreator(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID author = user(ds);

        Prompt p = db.prompts().create(NewPrompt.builder()
                .name("keyword_analysis").description("Keywords").template("Find keywords in {resume}")
                .promptType(PromptType.ANALYSIS).createdBy(author).build());

        assertThat(p.version()).isEqualTo(1);
        assertThat(p.active()).isTrue();
        assertThat(p.createdBy()).isEqualTo(author);
        assertThat(p.description()).isEqualTo("Keywords");
        assertThat(db.prompts().findActiveByName("keyword_analysis")).contains(p);
    }

    @Test
    void refusesSecondPromptWithTheSameName(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        List<String> before = contents(ds, "prompts");

        assertThatThrownBy(() -> db.prompts().create(NewPrompt.builder()
                .name("content_analysis").template("t").promptType(PromptType.CONTENT).build()))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("prompt.name")
                .hasMessageContaining("prompts_name_key");
        assertThat(contents(ds, "prompts")).isEqualTo(before);
    }

    @Test
    void refusesInvalidPromptBeforeAnySql(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        List<String> before = contents(ds, "prompts");

        assertThatThrownBy(() -> db.prompts().create(NewPrompt.builder()
                .name("x".repeat(101)).template("t").promptType(PromptType.SYSTEM).build()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("prompt.name: at most 100 characters");
        assertThatThrownBy(() -> db.prompts().create(NewPrompt.builder()
                .name(" ").template("t").promptType(PromptType.SYSTEM).build()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("prompt.name: must not be blank");
        assertThatThrownBy(() -> db.prompts().create(NewPrompt.builder()
                .name("n").template("").promptType(PromptType.SYSTEM).build()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("prompt.template:");
        assertThatThrownBy(() -> db.prompts().create(NewPrompt.builder()
                .name("n").template("t").promptType(null).build()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("prompt.promptType: is required");
        assertThatThrownBy(() -> db.prompts().create(NewPrompt.builder()
                .name("n").template("t").promptType(PromptType.SYSTEM).createdBy(UUID.randomUUID()).build()))
                .isInstanceOf(ConstraintViolationException.class).hasMessageContaining("prompt.createdBy");
        assertThat(contents(ds, "prompts")).isEqualTo(before);
    }

    @Test
    void publishesNextVersionReplacingTemplateAndDescription(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        Prompt v1 = db.prompts().create(TestPrompts.newPrompt());

        Prompt v2 = db.prompts().publish(NewPromptVersion.of(v1.name(), 1)
                .template("Version two: {resume}").description("second wording").build());

        assertThat(v2.id()).isEqualTo(v1.id());
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.template()).isEqualTo("Version two: {resume}");
        assertThat(v2.description()).isEqualTo("second wording");
        assertThat(v2.active()).isTrue();
        assertThat(v2.promptType()).isEqualTo(v1.promptType());
        assertThat(v2.updatedAt()).isAfterOrEqualTo(v1.updatedAt());
        assertThat(db.prompts().publish(NewPromptVersion.of(v1.name(), 2)
                .template("Version three").build()).version()).isEqualTo(3);
    }

    @Test
    void publishingFromAnOutdatedVersionIsStaleAndChangesNothing(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        Prompt v1 = db.prompts().create(TestPrompts.newPrompt());
        db.prompts().publish(NewPromptVersion.of(v1.name(), 1).template("first publisher wins").build());
        List<String> before = contents(ds, "prompts");

        assertThatThrownBy(() -> db.prompts().publish(NewPromptVersion.of(v1.name(), 1)
                .template("second publisher").build()))
                .isInstanceOf(StaleStateException.class)
                .hasMessage("prompt " + v1.name() + ": expected state version 1 but it is version 2; nothing was written");
        assertThat(contents(ds, "prompts")).isEqualTo(before);
    }

    @Test
    void publishingAnUnknownPromptIsNotFoundAndCreatesNothing(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        List<String> before = contents(ds, "prompts");

        assertThatThrownBy(() -> db.prompts().publish(NewPromptVersion.of("no_such_prompt", 1).template("t").build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("prompt no_such_prompt does not exist");
        assertThatThrownBy(() -> db.prompts().publish(NewPromptVersion.of("content_analysis", 0).template("t").build()))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("prompt.version:");
        assertThat(contents(ds, "prompts")).isEqualTo(before);
    }

    @Test
    void recordsEachVersionARequestUsedWithThatVersionsTemplate(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID request = db.analyses().create(TestAnalyses.newRequest(user(ds))).id();
        UUID otherRequest = db.analyses().create(TestAnalyses.newRequest(user(ds))).id();
        Prompt v1 = db.prompts().create(TestPrompts.newPrompt());
        Prompt system = db.prompts().findActiveByName("resume_analysis_system").orElseThrow();

        PromptUse first = db.prompts().recordUse(request, v1);
        Prompt v2 = db.prompts().publish(NewPromptVersion.of(v1.name(), 1).template("Version two").build());
        PromptUse second = db.prompts().recordUse(request, v2);
        db.prompts().recordUse(otherRequest, system);

        assertThat(first.promptId()).isEqualTo(v1.id());
        assertThat(first.requestId()).isEqualTo(request);
        assertThat(first.promptVersion()).isEqualTo(1);
        assertThat(first.promptContent()).isEqualTo(v1.template());
        assertThat(db.prompts().historyOfRequest(request)).containsExactly(first, second);
        assertThat(second.promptVersion()).isEqualTo(2);
        assertThat(second.promptContent()).isEqualTo("Version two");
        assertThat(db.prompts().historyOfRequest(otherRequest)).extracting(PromptUse::promptContent)
                .containsExactly(system.template());
        assertThat(db.prompts().historyOfRequest(UUID.randomUUID())).isEmpty();
    }

    @Test
    void recordingUseOfAVersionThatWasReplacedIsStale(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID request = db.analyses().create(TestAnalyses.newRequest(user(ds))).id();
        Prompt v1 = db.prompts().create(TestPrompts.newPrompt());
        db.prompts().publish(NewPromptVersion.of(v1.name(), 1).template("Version two").build());

        assertThatThrownBy(() -> db.prompts().recordUse(request, v1))
                .isInstanceOf(StaleStateException.class)
                .hasMessageContaining("expected state version 1 but it is version 2");
        assertThat(contents(ds, "prompt_history")).isEmpty();
    }

    @Test
    void recordingUseForUnknownRequestOrPromptIsRefused(DataSource ds) {
        ResumeReviewDb db = ResumeReviewDb.create(ds);
        UUID request = db.analyses().create(TestAnalyses.newRequest(user(ds))).id();
        Prompt p = db.prompts().create(TestPrompts.newPrompt());
        Prompt deleted = db.prompts().create(TestPrompts.newPrompt());
        execute(ds, "DELETE FROM prompts WHERE id = '" + deleted.id() + "'");

        assertThatThrownBy(() -> db.prompts().recordUse(UUID.randomUUID(), p))
                .isInstanceOf(ConstraintViolationException.class)
                .hasMessageContaining("prompt_history_request_id_fkey");
        assertThatThrownBy(() -> db.prompts().recordUse(request, deleted))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("prompt " + deleted.id() + " does not exist");
        assertThatThrownBy(() -> db.prompts().recordUse(null, p))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("promptUse.requestId: is required");
        assertThat(contents(ds, "prompt_history")).isEmpty();
    }
}
