package com.airesumereview.db.spring.internal;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.SchemaCheckFailedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Boot's start-up failure report for the library's own start-up failures: the wrong property, or the schema
 * drift report (resume-review-db.schema-check=FAIL), instead of a stack of bean creation exceptions.
 */
public final class ResumeReviewDbFailureAnalyzer extends AbstractFailureAnalyzer<ResumeReviewDbException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ResumeReviewDbException cause) {
        if (cause instanceof ConfigurationException c) {
            return new FailureAnalysis("resume-review-db could not start: " + c.getMessage(),
                    "Correct " + c.setting() + " (application.properties, application.yml or the environment).", c);
        }
        if (cause instanceof SchemaCheckFailedException drift) {
            return new FailureAnalysis(drift.getMessage(), "Fix the database, or set resume-review-db.schema-check=WARN"
                    + " to start anyway and see the report in the log.", drift);
        }
        return null;
    }
}
