package com.airesumereview.db.repository;

import static com.airesumereview.db.generated.Tables.PROMPTS;
import static com.airesumereview.db.generated.Tables.PROMPT_HISTORY;

import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.PromptUse;
import com.airesumereview.db.generated.vocabulary.PromptType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectField;
import org.jooq.impl.DSL;

/**
 * Prompts ({@code prompts}) and which prompt versions analysis requests used ({@code prompt_history}).
 *
 * <p>Versioning: {@code prompts.name} is unique, so a prompt is one row and its {@code version} counts up.
 * {@link #create} makes version 1; {@link #publish} replaces the template of an existing prompt and
 * increments the version, as a compare-and-set on the version the caller last saw. Publishing does not
 * create a missing prompt: creating needs a type and is a different decision than a new version (and a
 * typo in the name should not silently start a new prompt). The text of earlier versions is kept only
 * in the {@link PromptUse} rows of the requests that used them.
 * <pre>{@code
 * Prompt p = db.prompts().findActiveByName("resume_analysis_system").orElseThrow();
 * db.prompts().recordUse(requestId, p);                          // before sending p.template() to the model
 * db.prompts().publish(p.name(), p.version(), newTemplate, "tightened wording");
 * }</pre>
 */
public final class PromptRepository {
    // Timestamps read through InstantColumns so 'infinity' reads back (the generated binding fails on it).
    private static final Field<Instant> PROMPT_CREATED_AT = InstantColumns.of(PROMPTS.CREATED_AT);
    private static final Field<Instant> PROMPT_UPDATED_AT = InstantColumns.of(PROMPTS.UPDATED_AT);
    private static final Field<Instant> USE_CREATED_AT = InstantColumns.of(PROMPT_HISTORY.CREATED_AT);
    static final List<SelectField<?>> PROMPT = List.of(PROMPTS.ID, PROMPTS.NAME, PROMPTS.DESCRIPTION,
            PROMPTS.TEMPLATE, PROMPTS.VERSION, PROMPTS.IS_ACTIVE, PROMPTS.PROMPT_TYPE, PROMPTS.CREATED_BY,
            PROMPT_CREATED_AT, PROMPT_UPDATED_AT);
    static final List<SelectField<?>> USE = List.of(PROMPT_HISTORY.ID, PROMPT_HISTORY.PROMPT_ID,
            PROMPT_HISTORY.REQUEST_ID, PROMPT_HISTORY.PROMPT_VERSION, PROMPT_HISTORY.PROMPT_CONTENT, USE_CREATED_AT);

    private final DSLContext dsl;

    /** Called by {@code ResumeReviewDb}; repositories share its {@link DSLContext}. */
    public PromptRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The active prompt with this name, if any. Uses {@code prompts_name_key}. */
    public Optional<Prompt> findActiveByName(String name) {
        Rules.text("prompt.name", name, 100);
        return dsl.select(PROMPT).from(PROMPTS)
                .where(PROMPTS.NAME.eq(name))
                .and(PROMPTS.IS_ACTIVE.eq(true))
                .fetchOptional()
                .map(PromptRepository::toPrompt);
    }

    /** The active prompts of a type, by name. Uses {@code idx_prompts_type_active}. */
    public List<Prompt> listActiveByType(PromptType type) {
        Rules.required("prompt.promptType", type);
        return dsl.select(PROMPT).from(PROMPTS)
                .where(PROMPTS.PROMPT_TYPE.eq(type))
                .and(PROMPTS.IS_ACTIVE.eq(true))
                .orderBy(PROMPTS.NAME)
                .fetch(PromptRepository::toPrompt);
    }

    /**
     * Creates a prompt at version 1, active.
     *
     * @throws com.airesumereview.db.DuplicateException when a prompt with this name exists
     *         ({@code prompts_name_key}); use {@link #publish} for a new version
     * @throws com.airesumereview.db.ConstraintViolationException when {@code createdBy} is not a user
     */
    public Prompt create(NewPrompt prompt) {
        Rules.required("prompt", prompt);
        Rules.nonBlank("prompt.name", prompt.name(), 100);
        Rules.optionalText("prompt.description", prompt.description(), 0);
        Rules.nonBlank("prompt.template", prompt.template(), 0);
        Rules.required("prompt.promptType", prompt.promptType());
        return toPrompt(dsl.insertInto(PROMPTS)
                .set(PROMPTS.NAME, prompt.name())
                .set(PROMPTS.DESCRIPTION, prompt.description())
                .set(PROMPTS.TEMPLATE, prompt.template())
                .set(PROMPTS.VERSION, 1)
                .set(PROMPTS.IS_ACTIVE, true)
                .set(PROMPTS.PROMPT_TYPE, prompt.promptType())
                .set(PROMPTS.CREATED_BY, prompt.createdBy())
                .returningResult(PROMPT)
                .fetchSingle());
    }

    /**
     * Publishes a new version of an existing prompt: sets its template and description and increments
     * its version, provided it is still at {@code expectedVersion}. Active flag, type and creator stay.
     *
     * @param description the new description (replaces the old one; null clears it)
     * @return the prompt at version {@code expectedVersion + 1}
     * @throws StaleStateException when someone published another version first; nothing is written
     * @throws NotFoundException when no prompt has this name (create it with {@link #create})
     */
    public Prompt publish(String name, int expectedVersion, String template, String description) {
        Rules.text("prompt.name", name, 100);
        Rules.range("prompt.version", expectedVersion, 1, Integer.MAX_VALUE - 1);
        Rules.nonBlank("prompt.template", template, 0);
        Rules.optionalText("prompt.description", description, 0);
        return dsl.update(PROMPTS)
                .set(PROMPTS.TEMPLATE, template)
                .set(PROMPTS.DESCRIPTION, description)
                .set(PROMPTS.VERSION, PROMPTS.VERSION.plus(1))
                .where(PROMPTS.NAME.eq(name))
                .and(PROMPTS.VERSION.eq(expectedVersion))
                .returningResult(PROMPT)
                .fetchOptional()
                .map(PromptRepository::toPrompt)
                .orElseThrow(() -> dsl.select(PROMPTS.VERSION).from(PROMPTS).where(PROMPTS.NAME.eq(name))
                        .fetchOptional(PROMPTS.VERSION)
                        .<RuntimeException>map(actual -> new StaleStateException("prompt", name,
                                "version " + expectedVersion, "version " + actual))
                        .orElseGet(() -> new NotFoundException("prompt", name)));
    }

    /**
     * Records that {@code requestId} used {@code prompt} at {@code prompt.version()}: one
     * {@code prompt_history} row whose content is the template of that version, copied from the database
     * in the same statement (so content and version always match).
     *
     * @throws StaleStateException when the prompt has moved on to another version (its text for
     *         {@code prompt.version()} is gone); nothing is written
     * @throws NotFoundException when the prompt no longer exists
     * @throws com.airesumereview.db.ConstraintViolationException when the request does not exist
     */
    public PromptUse recordUse(UUID requestId, Prompt prompt) {
        Rules.required("promptUse.requestId", requestId);
        Rules.required("promptUse.prompt", prompt);
        Rules.required("promptUse.promptId", prompt.id());
        UUID promptId = prompt.id();
        int version = prompt.version();
        return dsl.insertInto(PROMPT_HISTORY,
                        PROMPT_HISTORY.PROMPT_ID, PROMPT_HISTORY.REQUEST_ID, PROMPT_HISTORY.PROMPT_VERSION,
                        PROMPT_HISTORY.PROMPT_CONTENT)
                .select(DSL.select(PROMPTS.ID, DSL.val(requestId), PROMPTS.VERSION, PROMPTS.TEMPLATE)
                        .from(PROMPTS)
                        .where(PROMPTS.ID.eq(promptId))
                        .and(PROMPTS.VERSION.eq(version)))
                .returningResult(USE)
                .fetchOptional()
                .map(PromptRepository::toUse)
                .orElseThrow(() -> dsl.select(PROMPTS.VERSION).from(PROMPTS).where(PROMPTS.ID.eq(promptId))
                        .fetchOptional(PROMPTS.VERSION)
                        .<RuntimeException>map(actual -> new StaleStateException("prompt", promptId.toString(),
                                "version " + version, "version " + actual))
                        .orElseGet(() -> new NotFoundException("prompt", promptId.toString())));
    }

    /** The prompt versions a request used, oldest first. Uses {@code idx_prompt_history_request_id}. */
    public List<PromptUse> historyOfRequest(UUID requestId) {
        Rules.required("promptUse.requestId", requestId);
        return dsl.select(USE).from(PROMPT_HISTORY)
                .where(PROMPT_HISTORY.REQUEST_ID.eq(requestId))
                .orderBy(PROMPT_HISTORY.CREATED_AT, PROMPT_HISTORY.ID)
                .fetch(PromptRepository::toUse);
    }

    static Prompt toPrompt(Record r) {
        return new Prompt(r.get(PROMPTS.ID), r.get(PROMPTS.NAME), r.get(PROMPTS.DESCRIPTION), r.get(PROMPTS.TEMPLATE),
                r.get(PROMPTS.VERSION), r.get(PROMPTS.IS_ACTIVE), r.get(PROMPTS.PROMPT_TYPE), r.get(PROMPTS.CREATED_BY),
                r.get(PROMPT_CREATED_AT), r.get(PROMPT_UPDATED_AT));
    }

    static PromptUse toUse(Record r) {
        return new PromptUse(r.get(PROMPT_HISTORY.ID), r.get(PROMPT_HISTORY.PROMPT_ID), r.get(PROMPT_HISTORY.REQUEST_ID),
                r.get(PROMPT_HISTORY.PROMPT_VERSION), r.get(PROMPT_HISTORY.PROMPT_CONTENT), r.get(USE_CREATED_AT));
    }
}
