package com.airesumereview.db.domain;

import com.airesumereview.db.generated.vocabulary.PromptType;
import java.time.Instant;
import java.util.UUID;

/**
 * A prompt template ({@code prompts}). The name is unique, so a prompt is one row whose {@code version}
 * counts up each time a new template is published; earlier templates survive only as
 * {@link PromptUse#promptContent()} of the requests that used them.
 *
 * @param id          database-generated id
 * @param name        unique name, at most 100 characters
 * @param description free text, or null
 * @param template    the current template
 * @param version     the current version (1 for a new prompt)
 * @param active      whether services should use it ({@code is_active})
 * @param promptType  system, analysis, formatting or content
 * @param createdBy   the user who created it, or null (the reference rows have none)
 * @param createdAt   when it was created
 * @param updatedAt   last change (maintained by a trigger)
 */
public record Prompt(
        UUID id,
        String name,
        String description,
        String template,
        int version,
        boolean active,
        PromptType promptType,
        UUID createdBy,
        Instant createdAt,
        Instant updatedAt) {
}
