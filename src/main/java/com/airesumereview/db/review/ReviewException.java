package com.airesumereview.db.review;

/**
 * The change cannot be reviewed: the file is empty or not SQL, a statement fails on the throwaway database
 * (with its number, line and the server's message), or a statement needs a superuser. The message says which and
 * what to do; it is meant to be printed as it is.
 */
public final class ReviewException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReviewException(String message) {
        super(message);
    }

    public ReviewException(String message, Throwable cause) {
        super(message, cause);
    }
}
