package com.airesumereview.db.domain;

import com.airesumereview.db.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a keyset page ended: the {@code created_at} and {@code id} of its last row. The next page starts
 * strictly after it in the order {@code created_at DESC, id DESC}, so rows inserted meanwhile never shift
 * or repeat rows, unlike OFFSET paging.
 *
 * <p>Use it as it is, or as an opaque string for HTTP APIs with {@link #token()} and {@link #parse(String)}.
 *
 * @param createdAt the last row's creation time
 * @param id        the last row's id (ties on {@code createdAt} are broken by id)
 */
public record PageCursor(Instant createdAt, UUID id) {
    /**
     * Checks both parts are present.
     *
     * @param createdAt the last row's creation time; null is refused with {@link NullPointerException}
     * @param id        the last row's id; null is refused with {@link NullPointerException}
     */
    public PageCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /** {@return an opaque, URL-safe form of this cursor (unpadded Base64); {@link #parse(String)} reads it back} */
    public String token() {
        String plain = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a {@link #token()}.
     *
     * @param token a string from {@link #token()}; null is refused
     * @return the cursor the token was made from
     * @throws ValidationException (field {@code page.cursor}) when the token was not made by {@link #token()}
     */
    public static PageCursor parse(String token) {
        if (token == null) {
            throw new ValidationException("page.cursor", "is required", "null");
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new PageCursor(Instant.parse(plain.substring(0, bar)), UUID.fromString(plain.substring(bar + 1)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            String shown = token.length() > 60 ? token.substring(0, 60) + "..." : token;
            throw new ValidationException("page.cursor", "must be a cursor token returned with a page", "'" + shown + "'");
        }
    }
}
