package com.airesumereview.db.cli;

/** A command cannot do its job for a reason the operator can fix; the message says what (one line, exit 2). */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
