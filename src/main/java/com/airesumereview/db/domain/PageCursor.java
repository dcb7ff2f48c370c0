package com.airesumereview.db.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a keyset page ends: the {@code (created_at, id)} of its last row. Pass it back to get the rows
 * after it; it stays valid when rows are inserted or deleted meanwhile (no offsets).
 *
 * @param createdAt the last row's creation time ({@link Instant#MAX}/{@link Instant#MIN} stand for
 *                  PostgreSQL's {@code infinity}/{@code -infinity})
 * @param id        the last row's id, breaking ties between equal timestamps
 */
public record PageCursor(Instant createdAt, UUID id) {
    /** Both components are required. */
    public PageCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }
}
