package com.airesumereview.db;

/** An operation named a row that does not exist (lookups return {@code Optional} instead). */
public class NotFoundException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** The kind of row, e.g. {@code user}. */
    private final String entity;
    /** The key that was looked for. */
    private final String key;

    /**
     * @param entity the kind of row, e.g. {@code user}, {@code prompt}
     * @param key    the key that was looked for, usually the id as text
     */
    public NotFoundException(String entity, String key) {
        super(entity + " " + key + " does not exist");
        this.entity = entity;
        this.key = key;
    }

    /**
     * The kind of row that does not exist.
     *
     * @return e.g. {@code user} or {@code prompt}
     */
    public String entity() {
        return entity;
    }

    /**
     * The key that was looked for.
     *
     * @return usually the row's id as text
     */
    public String key() {
        return key;
    }
}
