package com.airesumereview.db.codegen;

import com.airesumereview.db.ResumeReviewDbException;

/** Code generation could not run; the message says which step failed and why. */
public final class CodegenException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    public CodegenException(String message) {
        super(message);
    }

    public CodegenException(String message, Throwable cause) {
        super(message, cause);
    }
}
