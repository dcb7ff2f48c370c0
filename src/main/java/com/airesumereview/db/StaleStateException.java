package com.airesumereview.db;

/**
 * A compare-and-set found the row in another state than the caller expected: someone else moved it
 * first. Nothing was written; re-read and decide.
 */
public class StaleStateException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    private final String entity;
    private final String key;
    private final String expected;
    private final String actual;

    public StaleStateException(String entity, String key, String expected, String actual) {
        super(entity + " " + key + ": expected state " + expected + " but it is " + actual + "; nothing was written");
        this.entity = entity;
        this.key = key;
        this.expected = expected;
        this.actual = actual;
    }

    public String entity() {
        return entity;
    }

    public String key() {
        return key;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
