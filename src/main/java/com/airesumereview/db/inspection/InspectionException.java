package com.airesumereview.db.inspection;

import com.airesumereview.db.ResumeReviewDbException;

/** A schema could not be inspected; the message names the schema and the catalog query or rule that failed. */
public final class InspectionException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    public InspectionException(String message) {
        super(message);
    }

    public InspectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
