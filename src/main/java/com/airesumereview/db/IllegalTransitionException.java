package com.airesumereview.db;

/** A state change the lifecycle does not allow, e.g. an upload going from completed back to pending. */
public class IllegalTransitionException extends ValidationException {
    private static final long serialVersionUID = 1L;

    /** The state the row is in. */
    private final String from;
    /** The state that was asked for. */
    private final String to;

    /**
     * @param field   the domain field holding the state, e.g. {@code fileUpload.status}
     * @param from    the state the row is in
     * @param to      the state that was asked for; also the rejected value
     * @param allowed the states reachable from {@code from}, as printed in the message
     */
    public IllegalTransitionException(String field, String from, String to, String allowed) {
        super(field, "cannot move from " + from + " to " + to + "; allowed from " + from + ": " + allowed, to);
        this.from = from;
        this.to = to;
    }

    /**
     * The state the row is in.
     *
     * @return the state's database literal, e.g. {@code completed}
     */
    public String from() {
        return from;
    }

    /**
     * The state that was asked for.
     *
     * @return the state's database literal, e.g. {@code pending}
     */
    public String to() {
        return to;
    }
}
