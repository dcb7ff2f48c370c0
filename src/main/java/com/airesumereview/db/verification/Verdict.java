package com.airesumereview.db.verification;

/** The one-word outcome of a verification. */
public enum Verdict {
    /** No difference at all. */
    MATCHES,
    /** Only additions and compatible changes: code generated from the snapshot works against this database. */
    COMPATIBLE,
    /** At least one difference may make the generated code or the repositories fail. */
    BREAKING
}
