package com.airesumereview.db;

/**
 * The database refused a write because of one of its constraints. Raised when validation could not
 * know in advance (a concurrent insert of the same email, a row that disappeared).
 */
public class ConstraintViolationException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** What kind of constraint refused the write. */
    public enum Kind { UNIQUE, FOREIGN_KEY, CHECK, NOT_NULL, EXCLUSION }

    private final String constraint;
    private final Kind kind;
    private final String field;

    public ConstraintViolationException(Kind kind, String constraint, String field, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.constraint = constraint;
        this.field = field;
    }

    /** The constraint's name as production defines it, e.g. {@code users_email_key}; may be null. */
    public String constraint() {
        return constraint;
    }

    /** The kind of constraint. */
    public Kind kind() {
        return kind;
    }

    /** The domain field the constraint guards, when known; may be null. */
    public String field() {
        return field;
    }
}
