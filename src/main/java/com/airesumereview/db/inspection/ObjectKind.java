package com.airesumereview.db.inspection;

/** The kind of schema object a {@link Difference} is about. Comments are attributes, not objects. */
public enum ObjectKind {
    EXTENSION, TABLE, COLUMN, CONSTRAINT, INDEX, TRIGGER, FUNCTION, SEQUENCE, VIEW
}
