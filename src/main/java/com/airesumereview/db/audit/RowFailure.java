package com.airesumereview.db.audit;

import java.util.Objects;

/**
 * A row the library could not map into its domain record.
 *
 * @param primaryKey the row's primary key as text (never a secret: every mapped table has a uuid or version key)
 * @param reason     why: the exception's type and message, secrets of the row masked, at most 300 characters
 */
public record RowFailure(String primaryKey, String reason) {
    /**
     * Requires both components (a {@code NullPointerException} otherwise).
     *
     * @param primaryKey the row's primary key as text
     * @param reason     why the row could not be mapped, secrets masked
     */
    public RowFailure {
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(reason, "reason");
    }
}
