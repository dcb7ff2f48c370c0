package com.airesumereview.db;

/**
 * A statement failed for a reason that is neither a constraint nor a lost connection: a serialization failure
 * or deadlock (SQLSTATE 40001, 40P01: retry the unit of work), a statement timeout (57014), a server error the
 * library does not classify, or, as the subtype {@link MissingSchemaObjectException}, a database that lacks what the
 * generated code uses. Carries the SQLSTATE.
 */
public class DatabaseOperationException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;
    private final String sqlState;

    public DatabaseOperationException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The SQLSTATE PostgreSQL reported, or null when the failure did not come from the server. */
    public String sqlState() {
        return sqlState;
    }

    /** True for serialization failures and deadlocks, which succeed when the unit of work is retried. */
    public boolean isRetryable() {
        return "40001".equals(sqlState) || "40P01".equals(sqlState);
    }
}
