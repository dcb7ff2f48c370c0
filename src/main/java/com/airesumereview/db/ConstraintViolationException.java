package com.airesumereview.db;

/**
 * The database refused a write because of one of its constraints. Raised when validation could not
 * know in advance (a concurrent insert of the same email, a row that disappeared).
 */
public class ConstraintViolationException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** What kind of constraint refused the write. */
    public enum Kind {
        /** A unique constraint or unique index. */
        UNIQUE,
        /** A foreign key: the referenced row is missing, or the row is still referenced. */
        FOREIGN_KEY,
        /** A CHECK constraint. */
        CHECK,
        /** A NOT NULL column. */
        NOT_NULL,
        /** An exclusion constraint. */
        EXCLUSION
    }

    /** The constraint's name, or null. */
    private final String constraint;
    /** What kind of constraint refused the write. */
    private final Kind kind;
    /** The domain field the constraint guards, or null. */
    private final String field;

    /**
     * @param kind       what kind of constraint refused the write
     * @param constraint the constraint's name, may be null
     * @param field      the domain field it guards, may be null
     * @param message    names the field and the constraint, never a row value
     * @param cause      the driver's exception
     */
    public ConstraintViolationException(Kind kind, String constraint, String field, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.constraint = constraint;
        this.field = field;
    }

    /**
     * The constraint that refused the write.
     *
     * @return its name as production defines it, e.g. {@code users_email_key}; null when unknown
     */
    public String constraint() {
        return constraint;
    }

    /**
     * The kind of constraint.
     *
     * @return unique, foreign key, check, not null or exclusion
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The domain field the constraint guards.
     *
     * @return e.g. {@code email}; null when unknown
     */
    public String field() {
        return field;
    }
}
