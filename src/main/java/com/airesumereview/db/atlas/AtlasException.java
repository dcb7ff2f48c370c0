package com.airesumereview.db.atlas;

/** The atlas cannot be written: Graphviz is missing or failed, the directory cannot be written, the database failed. */
public final class AtlasException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what could not be written and why */
    public AtlasException(String message) {
        super(message);
    }

    /**
     * @param message what could not be written and why
     * @param cause   the failure underneath: Graphviz's run, the file system or the database
     */
    public AtlasException(String message, Throwable cause) {
        super(message, cause);
    }
}
