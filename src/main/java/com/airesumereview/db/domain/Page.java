package com.airesumereview.db.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a keyset-paged list.
 *
 * <pre>{@code
 * Page<FileUpload> page = db.fileUploads().listByUser(userId, null, 20);
 * while (true) {
 *     page.items().forEach(this::show);
 *     if (page.next().isEmpty()) break;
 *     page = db.fileUploads().listByUser(userId, page.next().get(), 20);
 * }
 * }</pre>
 *
 * @param items the rows of this page, in list order; unmodifiable
 * @param next  the cursor to ask for the following page; empty when this is the last page
 * @param total how many rows the whole list has (all pages), for operations that promise a total; empty otherwise
 * @param <T>   the row type
 */
public record Page<T>(List<T> items, Optional<PageCursor> next, OptionalLong total) {
    /** Copies {@code items} into an unmodifiable list. */
    public Page {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(total, "total");
        items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    /** A page of a list without a total. */
    public Page(List<T> items, Optional<PageCursor> next) {
        this(items, next, OptionalLong.empty());
    }

    /** True when there is a following page. */
    public boolean hasNext() {
        return next.isPresent();
    }
}
