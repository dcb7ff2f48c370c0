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

    /** {@return a new builder with no field set} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the unique name} */
    public String name() {
        return name;
    }

    /** {@return free text, or null} */
    public String description() {
        return description;
    }

    /** {@return the template text} */
    public String template() {
        return template;
    }

    /** {@return the prompt's type} */
    public PromptType promptType() {
        return promptType;
    }

    /** {@return the creating user's id, or null} */
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

        /**
         * Sets the unique name.
         *
         * @param name the name, unique among prompts; required, not blank, at most 100 characters
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the description.
         *
         * @param description free text; null for none
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * Sets the template.
         *
         * @param template the template text; required, not blank
         * @return this builder
         */
        public Builder template(String template) {
            this.template = template;
            return this;
        }

        /**
         * Sets the prompt's type.
         *
         * @param promptType the prompt's type; required
         * @return this builder
         */
        public Builder promptType(PromptType promptType) {
            this.promptType = promptType;
            return this;
        }

        /**
         * Sets the creating user.
         *
         * @param createdBy an existing user's {@code users.id}; null for none
         * @return this builder
         */
        public Builder createdBy(UUID createdBy) {
            this.createdBy = createdBy;
            return this;
        }

        /**
         * The input, checked.
         *
         * @return the prompt's input; the builder may be reused
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
