package com.airesumereview.db.provisioning;

import com.airesumereview.db.ResumeReviewDbException;

/** A test or tool database could not be provided; the message says which source failed and what to do. */
public final class ProvisioningException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     */
    public ProvisioningException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do
     * @param cause   the underlying failure
     */
    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
