package com.airesumereview.db.review;

/**
 * The change cannot be reviewed: the file is empty or not SQL, a statement fails on the throwaway database
 * (with its number, line and the server's message), or a statement needs a superuser. The message says which and
 * what to do; it is meant to be printed as it is.
 */
public final class ReviewException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A review that cannot go on.
     *
     * @param message what failed, naming the statement or file
     */
    public ReviewException(String message) {
        super(message);
    }

    /**
     * A review that cannot go on because of {@code cause}.
     *
     * @param message what failed, naming the statement or file
     * @param cause   the underlying failure
     */
    public ReviewException(String message, Throwable cause) {
        super(message, cause);
    }
}
