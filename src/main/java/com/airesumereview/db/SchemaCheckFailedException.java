package com.airesumereview.db;

import com.airesumereview.db.verification.VerificationReport;
import java.util.Objects;

/**
 * The start-up schema check refused the database: thrown by {@link ResumeReviewDb#connect(ResumeReviewDbConfig)}
 * with {@link SchemaCheck#FAIL} when the database differs from the snapshot in a way that may break the generated
 * code, before any statement runs. The message is the full report; the report itself is available for callers
 * that want to act on single differences. A statement that later meets a missing table or column throws
 * {@link MissingSchemaObjectException} instead.
 */
public final class SchemaCheckFailedException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    private final transient VerificationReport report;

    /** @param report the start-up check's report, with at least one difference that breaks generated code */
    public SchemaCheckFailedException(VerificationReport report) {
        super("refusing to start (schemaCheck=FAIL): " + report.database() + " has changes that break code"
                + " generated from the snapshot; fix the database or regenerate from a new snapshot"
                + " (resume-review-db snapshot, then mvn -B -Pcodegen process-classes)\n" + report.render());
        this.report = Objects.requireNonNull(report, "report");
    }

    /**
     * What was compared and every difference found.
     *
     * @return the report of the start-up check; null after the exception was deserialized (it is transient)
     */
    public VerificationReport report() {
        return report;
    }
}
