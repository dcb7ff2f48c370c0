package com.airesumereview.db.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a keyset-paged list, with the total number of matching rows when the operation promises
 * one (for paging controls such as "page 3 of 12").
 *
 * <pre>{@code
 * Page<FileUpload> page = db.fileUploads().listByUser(userId, null, 20);
 * page.total();                                  // OptionalLong: present when the list promises a total
 * while (true) {
 *     page.items().forEach(this::show);
 *     if (page.next().isEmpty()) break;
 *     page = db.fileUploads().listByUser(userId, page.next().get(), 20);
 * }
 * }</pre>
 *
 * @param items the rows of this page, in list order; unmodifiable
 * @param next  the cursor to ask for the following page; empty when this is the last page
 * @param total the number of rows matching the list's filters over all pages, counted in the same
 *              statement or transaction as the page; empty when the operation does not count
 * @param <T>   the row type
 */
public record Page<T>(List<T> items, Optional<PageCursor> next, OptionalLong total) {
    /**
     * Copies {@code items} into an unmodifiable list; a total, when present, is not negative.
     *
     * @param items the rows of this page, in list order; copied
     * @param next  the cursor to ask for the following page; empty when this is the last page
     * @param total the number of rows matching over all pages; empty when the operation does not count
     * @throws IllegalArgumentException when {@code total} is negative
     */
    public Page {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(total, "total");
        if (total.isPresent() && total.getAsLong() < 0) {
            throw new IllegalArgumentException("page total must not be negative: " + total.getAsLong());
        }
        items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    /**
     * A page of a list that does not count its rows ({@link #total()} is empty).
     *
     * @param items the rows of this page, in list order; copied
     * @param next  the cursor to ask for the following page; empty when this is the last page
     */
    public Page(List<T> items, Optional<PageCursor> next) {
        this(items, next, OptionalLong.empty());
    }

    /**
     * A page of a list that counts its rows.
     *
     * @param items the rows of this page, in list order; copied
     * @param next  the cursor to ask for the following page; empty when this is the last page
     * @param total the number of rows matching the list's filters over all pages; not negative
     * @throws IllegalArgumentException when {@code total} is negative
     */
    public Page(List<T> items, Optional<PageCursor> next, long total) {
        this(items, next, OptionalLong.of(total));
    }

    /**
     * Whether there is a following page.
     *
     * @return true when {@link #next()} holds a cursor
     */
    public boolean hasNext() {
        return next.isPresent();
    }
}
