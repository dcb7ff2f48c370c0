package com.airesumereview.db;

/**
 * Root of every exception this library throws on purpose. Unchecked, like jOOQ's and JDBI's.
 * Messages name the field or object and the rule that was broken; they never contain passwords,
 * password hashes or tokens.
 */
public class ResumeReviewDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResumeReviewDbException(String message) {
        super(message);
    }

    public ResumeReviewDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
