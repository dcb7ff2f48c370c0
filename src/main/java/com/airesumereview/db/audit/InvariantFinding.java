package com.airesumereview.db.audit;

import java.util.Objects;

/**
 * A row that the library reads, but that breaks an invariant every production row keeps and the library
 * relies on (python-service-behaviour.md), e.g. an email stored in mixed case: the unique key
 * {@code users_email_key} cannot tell it from its lower-case twin, and lookups by email do not find it. A
 * finding is for an operator to correct; the library does not scan for such rows on every write.
 *
 * @param table      the table, e.g. {@code users}
 * @param primaryKey the row's primary key as text
 * @param invariant  the invariant the row breaks, in words (never the row's values)
 */
public record InvariantFinding(String table, String primaryKey, String invariant) {
    /**
     * Requires every component (a {@code NullPointerException} otherwise).
     *
     * @param table      the table, e.g. {@code users}
     * @param primaryKey the row's primary key as text
     * @param invariant  the invariant the row breaks, in words (never the row's values)
     */
    public InvariantFinding {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(invariant, "invariant");
    }
}
