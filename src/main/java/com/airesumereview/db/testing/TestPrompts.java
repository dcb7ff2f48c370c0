package com.airesumereview.db.testing;

import com.airesumereview.db.domain.NewPrompt;
import com.airesumereview.db.generated.vocabulary.PromptType;
import java.util.UUID;

/**
 * Valid prompts for tests of services that use this library. Names are unique per call (random suffix),
 * so they never collide with the three reference prompts of the snapshot or with each other.
 */
public final class TestPrompts {
    private TestPrompts() {
    }

    /** {@return an analysis prompt with a unique name, no creator} */
    public static NewPrompt newPrompt() {
        return newPrompt(PromptType.ANALYSIS);
    }

    /**

     * A prompt of {@code type} with a unique name, no creator.

     *

     * @param type the prompt type

     * @return a valid prompt, not yet stored

     */
    public static NewPrompt newPrompt(PromptType type) {
        String name = "test_prompt_" + UUID.randomUUID().toString().replace("-", "");
        return NewPrompt.builder()
                .name(name).description("Test prompt " + name)
                .template("Analyse this resume for {target_role}: {resume_text}").promptType(type).build();
    }
}
