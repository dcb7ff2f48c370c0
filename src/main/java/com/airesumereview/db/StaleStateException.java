package com.airesumereview.db;

/**
 * A compare-and-set found the row in another state than the caller expected: someone else moved it
 * first. Nothing was written; re-read and decide.
 */
public class StaleStateException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** The kind of row, e.g. {@code prompt}. */
    private final String entity;
    /** The row's key. */
    private final String key;
    /** The state the caller expected. */
    private final String expected;
    /** The state the row is in. */
    private final String actual;

    /**
     * @param entity   the kind of row, e.g. {@code prompt} or {@code analysisRequest}
     * @param key      the row's key, usually its id as text
     * @param expected the state the compare-and-set required, e.g. {@code processing}
     * @param actual   the state the row is in
     */
    public StaleStateException(String entity, String key, String expected, String actual) {
        super(entity + " " + key + ": expected state " + expected + " but it is " + actual + "; nothing was written");
        this.entity = entity;
        this.key = key;
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * The kind of row that moved.
     *
     * @return e.g. {@code prompt} or {@code analysisRequest}
     */
    public String entity() {
        return entity;
    }

    /**
     * The row that moved.
     *
     * @return its key, usually the id as text
     */
    public String key() {
        return key;
    }

    /**
     * The state the caller expected.
     *
     * @return e.g. {@code processing}
     */
    public String expected() {
        return expected;
    }

    /**
     * The state the row is in now.
     *
     * @return e.g. {@code completed}
     */
    public String actual() {
        return actual;
    }
}
