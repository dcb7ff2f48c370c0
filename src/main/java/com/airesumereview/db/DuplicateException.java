package com.airesumereview.db;

/** A unique constraint refused a write, e.g. a second user with the same email in any case. */
public class DuplicateException extends ConstraintViolationException {
    private static final long serialVersionUID = 1L;

    /** See {@link ConstraintViolationException}; the kind is always UNIQUE. */
    public DuplicateException(String constraint, String field, String message, Throwable cause) {
        super(Kind.UNIQUE, constraint, field, message, cause);
    }
}
