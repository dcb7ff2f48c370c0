package com.airesumereview.db;

/**
 * A statement failed because the database lacks something the generated code uses: a table, a column or a
 * function is missing, or has another type (SQLSTATE class 42, e.g. 42P01 undefined table), or the connecting
 * role may not use it (42501). Thrown while running, unlike {@link SchemaCheckFailedException}, which the start-up
 * check throws before anything runs.
 * Retrying cannot help: compare the database with the snapshot ({@code resume-review-db verify}).
 */
public class MissingSchemaObjectException extends DatabaseOperationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message  what is missing or refused, never a row value
     * @param sqlState the SQLSTATE, class 42 (e.g. 42P01 undefined table, 42501 insufficient privilege)
     * @param cause    the driver's exception
     */
    public MissingSchemaObjectException(String message, String sqlState, Throwable cause) {
        super(message, sqlState, cause);
    }
}
