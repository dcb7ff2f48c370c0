package com.airesumereview.db;

/** A unique constraint refused a write, e.g. a second user with the same email in any case. */
public class DuplicateException extends ConstraintViolationException {
    private static final long serialVersionUID = 1L;

    /**
     * See {@link ConstraintViolationException}; the kind is always UNIQUE.
     *
     * @param constraint the unique constraint's or index's name, may be null
     * @param field      the domain field it guards, e.g. {@code email}; may be null
     * @param message    names the field and the constraint, never a row value
     * @param cause      the driver's exception
     */
    public DuplicateException(String constraint, String field, String message, Throwable cause) {
        super(Kind.UNIQUE, constraint, field, message, cause);
    }
}
