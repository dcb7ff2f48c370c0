package com.airesumereview.db;

/**
 * A row the library cannot turn into its domain type: a value the generated code does not know (a role or
 * status that production added after the snapshot was taken), or a value beyond the library's limits (jsonb
 * nested deeper than it reads). This is schema drift seen in the data: compare the database with the snapshot
 * ({@code resume-review-db verify}) and regenerate. Nothing was written.
 */
public class UnmappableRowException extends ResumeReviewDbException {
    private static final long serialVersionUID = 1L;
    /** The table the row came from. */
    private final String table;
    /** The column whose value cannot be mapped. */
    private final String column;
    /** The value as read (shortened), or a description. */
    private final String value;
    /** The rule the value breaks. */
    private final String rule;

    /**
     * @param table  the table, e.g. {@code users}
     * @param column the column, e.g. {@code role}
     * @param value  the value as read (shortened), or a description when it must not be printed
     * @param rule   the rule it breaks, naming the constraint when there is one
     * @param cause  the failure the mapping raised
     */
    public UnmappableRowException(String table, String column, String value, String rule, Throwable cause) {
        super(table + "." + column + ": " + value + " " + rule
                + "; the database has drifted from the snapshot the code was generated from (run verify)", cause);
        this.table = table;
        this.column = column;
        this.value = value;
        this.rule = rule;
    }

    /**
     * The table the row came from.
     *
     * @return e.g. {@code users}
     */
    public String table() {
        return table;
    }

    /**
     * The column whose value cannot be mapped.
     *
     * @return e.g. {@code role}
     */
    public String column() {
        return column;
    }

    /**
     * The value the library cannot map.
     *
     * @return the value as read (shortened), or a description when it must not be printed
     */
    public String value() {
        return value;
    }

    /**
     * The rule the value breaks.
     *
     * @return names the constraint when there is one
     */
    public String rule() {
        return rule;
    }
}
