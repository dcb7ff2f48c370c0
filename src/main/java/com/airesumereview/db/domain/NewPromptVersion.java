package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import java.util.Objects;

/**
 * A new version of an existing prompt, for {@code PromptRepository.publish}: its name, the version the caller
 * last saw (the compare-and-set) and the new template and description.
 *
 * <pre>{@code
 * Prompt current = db.prompts().findActiveByName("resume_analysis_system").orElseThrow();
 * Prompt next = db.prompts().publish(NewPromptVersion.of(current)
 *         .template(newTemplate)
 *         .description("tightened wording")
 *         .build());
 * }</pre>
 */
public final class NewPromptVersion {
    private final String name;
    private final int expectedVersion;
    private final String template;
    private final String description;

    private NewPromptVersion(Builder b) {
        this.name = b.name;
        this.expectedVersion = b.expectedVersion;
        this.template = b.template;
        this.description = b.description;
    }

    /**
     * A builder replacing {@code current}: its name and version, and its description kept unless
     * {@link Builder#description} is called. The template is required.
     *
     * @param current the prompt as last read
     * @return a new builder for the version after {@code current}
     * @throws ValidationException (field {@code prompt}) when {@code current} is null
     */
    public static Builder of(Prompt current) {
        Checks.required("prompt", current);
        Builder b = new Builder(current.name(), current.version());
        b.description = current.description();
        return b;
    }

    /**
     * A builder replacing the prompt {@code name} at {@code expectedVersion}, with no description unless set.
     *
     * @param name            the prompt's name; null is refused by {@link Builder#build()}
     * @param expectedVersion the version last seen, 1 or more (checked by {@link Builder#build()})
     * @return a new builder
     */
    public static Builder of(String name, int expectedVersion) {
        return new Builder(name, expectedVersion);
    }

    /** {@return the prompt's name} */
    public String name() {
        return name;
    }

    /** {@return the version the caller last saw; publishing succeeds only if the prompt is still at it} */
    public int expectedVersion() {
        return expectedVersion;
    }

    /** {@return the new template} */
    public String template() {
        return template;
    }

    /** {@return the new description (replaces the old one), or null to clear it} */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewPromptVersion v && name.equals(v.name) && expectedVersion == v.expectedVersion
                && template.equals(v.template) && Objects.equals(description, v.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, expectedVersion, template, description);
    }

    @Override
    public String toString() {
        return "NewPromptVersion[name=" + name + ", expectedVersion=" + expectedVersion + ", template=" + template
                + ", description=" + description + "]";
    }

    /** Collects the new template and description. */
    public static final class Builder {
        private final String name;
        private final int expectedVersion;
        private String template;
        private String description;

        private Builder(String name, int expectedVersion) {
            this.name = name;
            this.expectedVersion = expectedVersion;
        }

        /**
         * Sets the new template.
         *
         * @param template the template text; required, not blank
         * @return this builder
         */
        public Builder template(String template) {
            this.template = template;
            return this;
        }

        /**
         * Sets the new description.
         *
         * @param description the description that replaces the old one; null clears it
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * The input, checked.
         *
         * @return the version's input; the builder may be reused
         * @throws ValidationException naming the field ({@code prompt.name}, {@code prompt.version},
         *                             {@code prompt.template}) and the rule
         */
        public NewPromptVersion build() {
            Checks.required("prompt.name", name);
            if (expectedVersion < 1) {
                throw new ValidationException("prompt.version", "must be 1 or more (the version last seen)",
                        String.valueOf(expectedVersion));
            }
            Checks.nonBlank("prompt.template", template);
            return new NewPromptVersion(this);
        }
    }
}
