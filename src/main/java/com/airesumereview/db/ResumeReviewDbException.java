package com.airesumereview.db;

/**
 * Root of every exception this library throws on purpose. Unchecked, like jOOQ's and JDBI's.
 * Messages name the field or object and the rule that was broken; they never contain passwords,
 * password hashes or tokens.
 *
 * <p>Abstract: the library only ever throws a subtype that says what went wrong (for example
 * {@link ConfigurationException}, {@link DatabaseUnavailableException}, {@link DatabaseClosedException}),
 * so a service can catch this type for "anything from the database layer" and a subtype to react.
 */
public abstract class ResumeReviewDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the field or object and the broken rule; never a password, hash or token */
    protected ResumeReviewDbException(String message) {
        super(message);
    }

    /**
     * @param message names the field or object and the broken rule; never a password, hash or token
     * @param cause   the failure underneath, e.g. the driver's exception
     */
    protected ResumeReviewDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
