package com.airesumereview.db.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * The domain's "resume analysis": a request together with its result, if it has one yet.
 *
 * @param request the request (the job)
 * @param result  its result; empty until the request is completed
 */
public record ResumeAnalysis(AnalysisRequest request, Optional<AnalysisResult> result) {
    /**
     * Both components are required ({@code result} may be empty).
     *
     * @param request the request; null is refused with {@link NullPointerException}
     * @param result  its result, or empty; null is refused with {@link NullPointerException}
     */
    public ResumeAnalysis {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(result, "result");
    }
}
