package com.airesumereview.db.inspection;

/**
 * What a {@link Difference} means for the library working against that database; {@code verify} groups its
 * output by it. The rule that assigns it is documented on {@link SchemaComparison}.
 */
public enum Impact {
    /**
     * The generated jOOQ code or the repositories may fail: something they use is missing or changed, or a new
     * object can reject a write the snapshot accepts.
     */
    BREAKING,
    /** Behaviour or performance may differ, but code written against the snapshot still works. */
    COMPATIBLE_CHANGE,
    /** Objects the snapshot does not know; code written against the snapshot ignores them. */
    ADDITION
}
