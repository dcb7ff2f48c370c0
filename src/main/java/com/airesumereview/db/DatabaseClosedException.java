package com.airesumereview.db;

/**
 * A {@link ResumeReviewDb} (or one of its repositories) was used after {@link ResumeReviewDb#close()}. Retrying
 * cannot help, unlike {@link DatabaseUnavailableException}: the service called it during or after its own
 * shut-down, or kept a reference to an object it had closed.
 */
public class DatabaseClosedException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** With a fixed message saying the database was closed and retrying cannot help. */
    public DatabaseClosedException() {
        super("the ResumeReviewDb was closed and cannot be used again (a shut-down ordering bug in the caller;"
                + " retrying cannot help): use it only between connect/create and close");
    }
}
