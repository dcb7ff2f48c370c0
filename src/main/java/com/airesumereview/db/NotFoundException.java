package com.airesumereview.db;

/** An operation named a row that does not exist (lookups return {@code Optional} instead). */
public class NotFoundException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    private final String entity;
    private final String key;

    public NotFoundException(String entity, String key) {
        super(entity + " " + key + " does not exist");
        this.entity = entity;
        this.key = key;
    }

    public String entity() {
        return entity;
    }

    public String key() {
        return key;
    }
}
