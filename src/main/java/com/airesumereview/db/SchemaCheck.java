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
    /** Refuse to start when a difference breaks the generated code (missing/changed columns, vocabularies). */
    FAIL
}
