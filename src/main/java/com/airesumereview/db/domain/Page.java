package com.airesumereview.db.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a keyset-paged list.
 * <pre>{@code
 * Page<AnalysisRequest> page = db.analyses().listByUser(userId, 20, null);
 * while (page.next().isPresent()) {
 *     page = db.analyses().listByUser(userId, 20, page.next().get());
 * }
 * }</pre>
 *
 * @param items the rows of this page, in list order (immutable)
 * @param next  the cursor for the following page; empty on the last page
 * @param <T>   the row type
 */
public record Page<T>(List<T> items, Optional<PageCursor> next) {
    /** Copies {@code items}; both components are required. */
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        Objects.requireNonNull(next, "next");
    }
}
