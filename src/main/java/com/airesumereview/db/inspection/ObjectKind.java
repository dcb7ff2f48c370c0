package com.airesumereview.db.inspection;

/** The kind of schema object a {@link Difference} is about. Comments are attributes, not objects. */
public enum ObjectKind {
    /** An installed extension. */
    EXTENSION,
    /** A table. */
    TABLE,
    /** A column of a table. */
    COLUMN,
    /** A table constraint. */
    CONSTRAINT,
    /** An index. */
    INDEX,
    /** A user trigger. */
    TRIGGER,
    /** A function or procedure. */
    FUNCTION,
    /** A sequence. */
    SEQUENCE,
    /** A view or materialized view. */
    VIEW
}
