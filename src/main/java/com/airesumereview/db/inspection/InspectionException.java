package com.airesumereview.db.inspection;

import com.airesumereview.db.ResumeReviewDbException;

/** A schema could not be inspected; the message names the schema and the catalog query or rule that failed. */
public final class InspectionException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /**
     * An inspection failure without an underlying cause.
     *
     * @param message names the schema and the rule that failed
     */
    public InspectionException(String message) {
        super(message);
    }

    /**
     * An inspection failure caused by {@code cause} (e.g. a failed catalog query).
     *
     * @param message names the schema and the catalog query that failed
     * @param cause   the underlying failure
     */
    public InspectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
