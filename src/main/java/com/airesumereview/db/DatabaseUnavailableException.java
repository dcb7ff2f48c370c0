package com.airesumereview.db;

/**
 * The database could not be reached or dropped the connection (server restarting, connection killed,
 * pool exhausted past its connection timeout). Usually transient: the pool reconnects on its own once the
 * server answers, so the caller may retry the whole unit of work. A write that raised this may or may not
 * have committed if the failure hit during COMMIT; design retries to be idempotent.
 */
public class DatabaseUnavailableException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** The SQLSTATE reported by the driver, or null. */
    private final String sqlState;

    /**
     * @param message  what failed, never a password
     * @param sqlState the SQLSTATE reported by the driver, may be null
     * @param cause    the driver's or the pool's exception
     */
    public DatabaseUnavailableException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /**
     * The SQLSTATE the driver reported.
     *
     * @return class 08 (connection exception) or 57P01..57P03 (server shutting down); null when there was none
     */
    public String sqlState() {
        return sqlState;
    }
}
