package com.airesumereview.db.internal;

import com.airesumereview.db.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A point in one cluster's write-ahead log: the cluster's system identifier ({@code pg_control_system()}, shared
 * by a primary and the replicas cloned from it, different for a rebuilt cluster) and an LSN. A replica may serve a
 * read that must see this point only when it belongs to the same cluster and has replayed at least {@link #lsn()}.
 * {@link #token()} is the opaque form a service carries across requests.
 */
public record WalPosition(long systemId, long lsn) {
    private static final String TOKEN_PREFIX = "rrdb1.";

    /** Parses PostgreSQL's text form of a {@code pg_lsn} ({@code 16/B374D848}). */
    public static long parseLsn(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new NumberFormatException("not an LSN: " + text);
        }
        return (Long.parseUnsignedLong(text.substring(0, slash), 16) << 32) | Long.parseUnsignedLong(text.substring(slash + 1), 16);
    }

    /** PostgreSQL's text form of {@code lsn}. */
    public static String formatLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** True when this position is at or after {@code other} in the same cluster's log. */
    public boolean covers(WalPosition other) {
        return other == null || (systemId == other.systemId && Long.compareUnsigned(lsn, other.lsn) >= 0);
    }

    /** The later of two positions of one cluster; a position of another cluster replaces an older one. */
    public static WalPosition later(WalPosition a, WalPosition b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.covers(a) ? b : a.covers(b) ? a : b;
    }

    /** The opaque token: versioned, URL- and cookie-safe. */
    public String token() {
        String plain = Long.toUnsignedString(systemId) + ":" + formatLsn(lsn);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a token made by {@link #token()}.
     *
     * @throws ValidationException naming the field {@code consistencyToken} when it is not one
     */
    public static WalPosition fromToken(String token) {
        String shown = token == null ? "null" : token.length() > 60 ? token.substring(0, 60) + "..." : token;
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            throw new ValidationException("consistencyToken", "must be a token returned by consistencyToken()", shown);
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token.substring(TOKEN_PREFIX.length())), StandardCharsets.US_ASCII);
            int colon = plain.indexOf(':');
            return new WalPosition(Long.parseUnsignedLong(plain.substring(0, colon)), parseLsn(plain.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new ValidationException("consistencyToken", "must be a token returned by consistencyToken()", shown);
        }
    }

    @Override
    public String toString() {
        return formatLsn(lsn) + " of cluster " + Long.toUnsignedString(systemId);
    }
}
