package com.airesumereview.db.repository;

import com.airesumereview.db.NotFoundException;
import com.airesumereview.db.StaleStateException;
import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.domain.NewPromptVersion;
import com.airesumereview.db.domain.Prompt;
import com.airesumereview.db.domain.PromptUse;
import com.airesumereview.db.generated.vocabulary.PromptType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
 * db.prompts().publish(NewPromptVersion.of(p).template(newTemplate).description("tightened wording").build());
 * }</pre>
 *
 * <p>Thread-safe. The library implements it ({@code ResumeReviewDb} hands it out); services may mock it in
 * their own tests.
 */
public interface PromptRepository {
    /**
     * The active prompt with this name, if any. Uses {@code prompts_name_key}. Runs on a replica when one is
     * configured and has replayed the caller's last write.
     *
     * @param name the prompt's name, matched exactly; not null
     * @return the active prompt, or empty when none has this name or it is inactive
     */
    Optional<Prompt> findActiveByName(String name);

    /**
     * The active prompts of a type, by name. Uses {@code idx_prompts_type_active}. Runs on a replica when allowed.
     *
     * @param type the prompt type; not null
     * @return the active prompts of this type; empty when there are none
     */
    List<Prompt> listActiveByType(PromptType type);

    /**
     * Creates a prompt at version 1, active. Runs on the primary.
     *
     * @param prompt the name, type, template, optional description and creator; not null
     * @return the prompt as stored
     * @throws com.airesumereview.db.DuplicateException when a prompt with this name exists
     *         ({@code prompts_name_key}); use {@link #publish} for a new version
     * @throws com.airesumereview.db.ConstraintViolationException when {@code createdBy} is not a user
     */
    Prompt create(NewPrompt prompt);

    /**
     * Publishes a new version of an existing prompt: sets its template and description and increments
     * its version, provided it is still at {@code expectedVersion}. Active flag, type and creator stay.
     * A compare-and-set on the primary.
     *
     * @param version the prompt's name, the version last seen, the new template and description (the
     *                description replaces the old one; null clears it)
     * @return the prompt at version {@code expectedVersion + 1}
     * @throws StaleStateException when someone published another version first; nothing is written
     * @throws NotFoundException when no prompt has this name (create it with {@link #create})
     */
    Prompt publish(NewPromptVersion version);

    /**
     * Records that {@code requestId} used {@code prompt} at {@code prompt.version()}: one
     * {@code prompt_history} row whose content is the template of that version, copied from the database
     * in the same statement (so content and version always match). Runs on the primary.
     *
     * @param requestId the processing request that used the prompt; not null
     * @param prompt    the prompt as read, with the version whose text was sent; not null
     * @return the {@code prompt_history} row written
     * @throws StaleStateException when the prompt has moved on to another version (its text for
     *         {@code prompt.version()} is gone); nothing is written
     * @throws NotFoundException when the prompt no longer exists
     * @throws com.airesumereview.db.ConstraintViolationException when the request does not exist
     */
    PromptUse recordUse(UUID requestId, Prompt prompt);

    /**
     * The prompt versions a request used, oldest first. Uses {@code idx_prompt_history_request_id}. Runs on a
     * replica when allowed.
     *
     * @param requestId the processing request; not null
     * @return the prompt uses; empty when the request used none (or does not exist)
     */
    List<PromptUse> historyOfRequest(UUID requestId);
}
