package com.airesumereview.db;

/**
 * An input broke a rule before any SQL ran. Carries the field (as the domain names it), the rule,
 * and a printable form of the rejected value ({@code ***} for secrets such as password hashes and tokens).
 */
public class ValidationException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;
    private final String rejectedValue;

    public ValidationException(String field, String rule, String rejectedValue) {
        super(field + ": " + rule + " (rejected: " + rejectedValue + ")");
        this.field = field;
        this.rule = rule;
        this.rejectedValue = rejectedValue;
    }

    /** The domain field, e.g. {@code user.email}. */
    public String field() {
        return field;
    }

    /** The rule that was broken, e.g. {@code at most 255 characters}. */
    public String rule() {
        return rule;
    }

    /** The rejected value as printed in the message; never a secret. */
    public String rejectedValue() {
        return rejectedValue;
    }
}
