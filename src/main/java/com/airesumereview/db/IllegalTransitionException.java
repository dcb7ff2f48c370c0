package com.airesumereview.db;

/** A state change the lifecycle does not allow, e.g. an upload going from completed back to pending. */
public class IllegalTransitionException extends ValidationException {
    private static final long serialVersionUID = 1L;

    private final String from;
    private final String to;

    public IllegalTransitionException(String field, String from, String to, String allowed) {
        super(field, "cannot move from " + from + " to " + to + "; allowed from " + from + ": " + allowed, to);
        this.from = from;
        this.to = to;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }
}
