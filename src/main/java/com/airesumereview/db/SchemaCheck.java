package com.airesumereview.db;

/**
 * What {@link ResumeReviewDb} does at start-up about differences between the live database and the
 * snapshot the code was generated from.
 */
public enum SchemaCheck {
    /** No check. */
    OFF,
    /** Compare and log the report; start anyway. The default: drift is worth knowing, not worth an outage. */
    WARN,
    /**
     * Refuse to start ({@link SchemaCheckFailedException}) when a difference breaks the generated code (missing or
     * changed columns, changed vocabularies); additions and compatible changes are logged as with WARN.
     */
    FAIL
}
