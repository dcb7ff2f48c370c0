package com.airesumereview.db;

/**
 * A read with a consistency token ({@link ResumeReviewDb#readingAfter}) was refused rather than answered with older
 * data: the token covers writes of a primary that a failover replaced, past the last point this instance knows the
 * new primary to hold. With an asynchronous standby such writes may be lost; a synchronous one keeps them, but this
 * instance cannot show it (see {@code docs/failover.md}). Retrying does not help: read without the token, and tell
 * the user that their last change may need to be made again.
 */
public class ConsistencyLostException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** @param message what the token covers and what the current primary is known to hold */
    public ConsistencyLostException(String message) {
        super(message);
    }
}
