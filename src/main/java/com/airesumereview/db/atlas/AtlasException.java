package com.airesumereview.db.atlas;

/** The atlas cannot be written: Graphviz is missing or failed, the directory cannot be written, the database failed. */
public final class AtlasException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AtlasException(String message) {
        super(message);
    }

    public AtlasException(String message, Throwable cause) {
        super(message, cause);
    }
}
