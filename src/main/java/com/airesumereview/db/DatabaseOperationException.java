package com.airesumereview.db;

/**
 * A statement failed for a reason that is neither a constraint nor a lost connection: a serialization failure
 * or deadlock (SQLSTATE 40001, 40P01: retry the unit of work), a statement timeout (57014), a server error the
 * library does not classify, or, as the subtype {@link MissingSchemaObjectException}, a database that lacks what the
 * generated code uses. Carries the SQLSTATE.
 */
public class DatabaseOperationException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;
    /** The SQLSTATE PostgreSQL reported, or null. */
    private final String sqlState;

    /**
     * @param message  what failed, never a password or a row value
     * @param sqlState the SQLSTATE PostgreSQL reported, or null when the failure did not come from the server
     * @param cause    the driver's exception
     */
    public DatabaseOperationException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /**
     * The SQLSTATE PostgreSQL reported.
     *
     * @return e.g. {@code 40001} or {@code 57014}; null when the failure did not come from the server
     */
    public String sqlState() {
        return sqlState;
    }

    /**
     * Whether retrying the whole unit of work can succeed.
     *
     * @return true for serialization failures (40001) and deadlocks (40P01)
     */
    public boolean isRetryable() {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }
}
