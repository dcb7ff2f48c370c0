package com.airesumereview.db;

/**
 * An input broke a rule before any SQL ran. Carries the field (as the domain names it), the rule,
 * and a printable form of the rejected value ({@code ***} for secrets such as password hashes and tokens).
 */
public class ValidationException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;

    /** The domain field. */
    private final String field;
    /** The rule that was broken. */
    private final String rule;
    /** The rejected value as printed; never a secret. */
    private final String rejectedValue;

    /**
     * @param field         the domain field, e.g. {@code user.email}
     * @param rule          the rule that was broken, e.g. {@code at most 255 characters}
     * @param rejectedValue a printable form of the value; {@code ***} for secrets
     */
    public ValidationException(String field, String rule, String rejectedValue) {
        super(field + ": " + rule + " (rejected: " + rejectedValue + ")");
        this.field = field;
        this.rule = rule;
        this.rejectedValue = rejectedValue;
    }

    /**
     * The domain field whose value was refused.
     *
     * @return e.g. {@code user.email}
     */
    public String field() {
        return field;
    }

    /**
     * The rule that was broken.
     *
     * @return e.g. {@code at most 255 characters}
     */
    public String rule() {
        return rule;
    }

    /**
     * The rejected value as printed in the message.
     *
     * @return a printable form; {@code ***} for secrets such as password hashes and tokens
     */
    public String rejectedValue() {
        return rejectedValue;
    }
}
