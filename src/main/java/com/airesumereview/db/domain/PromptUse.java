package com.airesumereview.db.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * That an analysis request used a prompt in a given version ({@code prompt_history}), with the template
 * text of that version, so the text stays known after the prompt moves on.
 *
 * @param id            database-generated id
 * @param promptId      the prompt
 * @param requestId     the analysis request
 * @param promptVersion the prompt's version at the time
 * @param promptContent the template of that version
 * @param createdAt     when the use was recorded
 */
public record PromptUse(UUID id, UUID promptId, UUID requestId, int promptVersion, String promptContent,
        Instant createdAt) {
}
