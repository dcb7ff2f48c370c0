package com.airesumereview.db.inspection;

/** How the actual database differs from the expected structure (the snapshot) for one object. */
public enum Change {
    /** The snapshot has the object; the database does not. */
    MISSING,
    /** The database has an object the snapshot does not know. */
    ADDED,
    /** Both have the object; one attribute differs. */
    CHANGED
}
