package com.airesumereview.db.codegen;

import com.airesumereview.db.ResumeReviewDbException;

/** Code generation could not run; the message says which step failed and why. */
public final class CodegenException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** @param message which step failed and why */
    public CodegenException(String message) {
        super(message);
    }

    /**
     * @param message which step failed and why
     * @param cause   the underlying failure
     */
    public CodegenException(String message, Throwable cause) {
        super(message, cause);
    }
}
