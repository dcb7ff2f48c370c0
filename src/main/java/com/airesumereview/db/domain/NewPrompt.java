package com.airesumereview.db.domain;

import com.airesumereview.db.generated.vocabulary.PromptType;
import java.util.UUID;

/**
 * What a caller supplies to create a prompt; it starts at version 1, active.
 *
 * @param name        unique, not blank, at most 100 characters
 * @param description free text, or null
 * @param template    the template text, not blank
 * @param promptType  required
 * @param createdBy   an existing user's id, or null
 */
public record NewPrompt(String name, String description, String template, PromptType promptType, UUID createdBy) {
}
