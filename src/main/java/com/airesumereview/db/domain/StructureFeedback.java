package com.airesumereview.db.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The structure feedback of an analysis, split by production into {@code analysis_results.strengths}
 * and {@code .weaknesses} ({@code text[]} each). Either list may be null (SQL NULL) and may hold null
 * elements, as production allows both.
 *
 * @param strengths  what the resume does well, or null
 * @param weaknesses what it should improve, or null
 */
public record StructureFeedback(List<String> strengths, List<String> weaknesses) {
    /**
     * Copies the lists (null elements kept) so the record is immutable.
     *
     * @param strengths  what the resume does well, or null (SQL NULL)
     * @param weaknesses what it should improve, or null (SQL NULL)
     */
    public StructureFeedback {
        strengths = copy(strengths);
        weaknesses = copy(weaknesses);
    }

    static List<String> copy(List<String> values) {
        return values == null ? null : Collections.unmodifiableList(new ArrayList<>(values));
    }
}
