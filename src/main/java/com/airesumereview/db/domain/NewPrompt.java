package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import com.airesumereview.db.generated.vocabulary.PromptType;
import java.util.Objects;
import java.util.UUID;

/**
 * What a caller supplies to create a prompt, built by name; it starts at version 1, active.
 *
 * <pre>{@code
 * Prompt p = db.prompts().create(NewPrompt.builder()
 *         .name("cover_letter_analysis")
 *         .promptType(PromptType.ANALYSIS)
 *         .template("Analyse this cover letter: {text}")
 *         .description("first version")
 *         .build());
 * }</pre>
 *
 * <p>{@link Builder#build()} checks that name, template and type are there and the texts are not blank; the
 * repository checks the name's length (at most 100 characters) before any SQL.
 */
public final class NewPrompt {
    private final String name;
    private final String description;
    private final String template;
    private final PromptType promptType;
    private final UUID createdBy;

    private NewPrompt(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.template = b.template;
        this.promptType = b.promptType;
        this.createdBy = b.createdBy;
    }

    /** A builder with no field set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The unique name. */
    public String name() {
        return name;
    }

    /** Free text, or null. */
    public String description() {
        return description;
    }

    /** The template text. */
    public String template() {
        return template;
    }

    /** The prompt's type. */
    public PromptType promptType() {
        return promptType;
    }

    /** The creating user's id, or null. */
    public UUID createdBy() {
        return createdBy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewPrompt p && name.equals(p.name) && Objects.equals(description, p.description)
                && template.equals(p.template) && promptType == p.promptType && Objects.equals(createdBy, p.createdBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, template, promptType, createdBy);
    }

    @Override
    public String toString() {
        return "NewPrompt[name=" + name + ", description=" + description + ", template=" + template
                + ", promptType=" + promptType + ", createdBy=" + createdBy + "]";
    }

    /** Collects the fields of a {@link NewPrompt} by name. */
    public static final class Builder {
        private String name;
        private String description;
        private String template;
        private PromptType promptType;
        private UUID createdBy;

        private Builder() {
        }

        /** The unique name (required, not blank, at most 100 characters). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Free text, or null. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The template text (required, not blank). */
        public Builder template(String template) {
            this.template = template;
            return this;
        }

        /** The prompt's type (required). */
        public Builder promptType(PromptType promptType) {
            this.promptType = promptType;
            return this;
        }

        /** An existing user's id, or null. */
        public Builder createdBy(UUID createdBy) {
            this.createdBy = createdBy;
            return this;
        }

        /**
         * The input, checked.
         *
         * @throws ValidationException naming the field ({@code prompt.name}, {@code prompt.template},
         *                             {@code prompt.promptType}) and the rule
         */
        public NewPrompt build() {
            Checks.nonBlank("prompt.name", name);
            Checks.nonBlank("prompt.template", template);
            Checks.required("prompt.promptType", promptType);
            return new NewPrompt(this);
        }
    }
}
