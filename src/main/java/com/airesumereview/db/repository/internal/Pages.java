package com.airesumereview.db.repository.internal;

import com.airesumereview.db.domain.Page;
import com.airesumereview.db.domain.PageCursor;
import com.airesumereview.db.internal.Binds;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * How every repository builds a keyset page: it fetches {@code limit + 1} rows and keeps {@code limit}; the extra
 * row only says that a next page exists, and the next cursor is the last kept row's. A list with a total carries
 * it on every row ({@link Counted}), counted in the same statement.
 */
final class Pages {
    private Pages() {
    }

    /** A row of a list with the list's total, counted in the same statement. */
    record Counted<T>(T item, long total) {
    }

    /**
     * The one keyset condition: rows strictly after the cursor in {@code at DESC, id DESC}, with parameters
     * {@code afterAt} and {@code afterId} ({@link #cursor}). The leading {@code at <= afterAt} is what lets
     * PostgreSQL walk the {@code (user_id, created_at)}-style indexes; the row comparison breaks ties by id.
     */
    static Condition after(Field<Instant> at, Field<UUID> id) {
        Field<Instant> afterAt = DSL.param("afterAt", at);
        return at.le(afterAt).and(DSL.row(at, id).lt(DSL.param("afterAt", at), DSL.param("afterId", UUID.class)));
    }

    /** {@code binds} with the cursor's {@code afterAt} and {@code afterId} for {@link #after}; none for null. */
    static Binds cursor(Binds binds, PageCursor after) {
        if (after == null) {
            return binds;
        }
        return binds.and("afterAt", cursorInstant("page.after.createdAt", after.createdAt()))
                .and("afterId", after.id());
    }

    /** A cursor's instant: {@link Instant#MAX}/{@link Instant#MIN} (infinity) or one timestamptz can hold. */
    static Instant cursorInstant(String field, Instant value) {
        Rules.required(field, value);
        return value.equals(Instant.MAX) || value.equals(Instant.MIN) ? value : Rules.instant(field, value);
    }

    /** Up to {@code limit} of the {@code limit + 1} rows fetched, with the cursor of the last one kept. */
    static <T> Page<T> of(List<T> fetched, int limit, Function<T, PageCursor> cursor, OptionalLong total) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, Optional.empty(), total);
        }
        return new Page<>(fetched.subList(0, limit), Optional.of(cursor.apply(fetched.get(limit - 1))), total);
    }

    /**
     * A page of a list whose rows carry its total. With no row the total is 0 on a first page (nothing matches);
     * after a cursor past the end the rows say nothing, so {@code count} counts.
     */
    static <T> Page<T> ofCounted(List<Counted<T>> fetched, int limit, PageCursor after,
                                 Function<T, PageCursor> cursor, LongSupplier count) {
        long total = !fetched.isEmpty() ? fetched.get(0).total() : after == null ? 0 : count.getAsLong();
        return of(fetched.stream().map(Counted::item).toList(), limit, cursor, OptionalLong.of(total));
    }
}
