package com.airesumereview.db.internal;

import com.airesumereview.db.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A point in one cluster's write-ahead log: the cluster's system identifier ({@code pg_control_system()}, shared
 * by a primary and the replicas cloned from it, different for a rebuilt cluster), the timeline it was written on
 * (a promotion starts a new one; 0 when unknown, as in tokens of earlier versions) and an LSN. A server may serve a
 * read that must see this point only when it belongs to the same cluster, has replayed at least {@link #lsn()}, and
 * its history holds that point (see {@code ReplicaRouter}). {@link #token()} is the opaque form a service carries
 * across requests.
 */
public record WalPosition(long systemId, long timeline, long lsn) {
    private static final String TOKEN_PREFIX = "rrdb2.";
    /** Tokens without a timeline, still read. */
    private static final String OLD_TOKEN_PREFIX = "rrdb1.";

    /** A position whose timeline is unknown. */
    public WalPosition(long systemId, long lsn) {
        this(systemId, 0, lsn);
    }

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

    /**
     * True when this position is at or after {@code other} in the same cluster's log on the same timeline (or one of
     * them has no timeline).
     */
    public boolean covers(WalPosition other) {
        return other == null || (systemId == other.systemId
                && (timeline == other.timeline || timeline == 0 || other.timeline == 0)
                && Long.compareUnsigned(lsn, other.lsn) >= 0);
    }

    /**
     * The later of two positions of one cluster: the one on the higher timeline, else the higher LSN; a position of
     * another cluster replaces an older one.
     */
    public static WalPosition later(WalPosition a, WalPosition b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.systemId != b.systemId) {
            return b;
        }
        if (a.timeline != b.timeline && a.timeline != 0 && b.timeline != 0) {
            return a.timeline > b.timeline ? a : b;
        }
        return Long.compareUnsigned(a.lsn, b.lsn) >= 0 ? a : b;
    }

    /** The opaque token: versioned, URL- and cookie-safe. */
    public String token() {
        String plain = Long.toUnsignedString(systemId) + ":" + timeline + ":" + formatLsn(lsn);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads a token made by {@link #token()}.
     *
     * @throws ValidationException naming the field {@code consistencyToken} when it is not one
     */
    public static WalPosition fromToken(String token) {
        String shown = token == null ? "null" : token.length() > 60 ? token.substring(0, 60) + "..." : token;
        boolean old = token != null && token.startsWith(OLD_TOKEN_PREFIX);
        if (token == null || !(old || token.startsWith(TOKEN_PREFIX))) {
            throw new ValidationException("consistencyToken", "must be a token returned by consistencyToken()", shown);
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token.substring(TOKEN_PREFIX.length())), StandardCharsets.US_ASCII);
            String[] parts = plain.split(":", -1);
            if (parts.length != (old ? 2 : 3)) {
                throw new IllegalArgumentException("parts");
            }
            long timeline = old ? 0 : Long.parseLong(parts[1]);
            if (timeline < 0) {
                throw new IllegalArgumentException("timeline");
            }
            return new WalPosition(Long.parseUnsignedLong(parts[0]), timeline, parseLsn(parts[parts.length - 1]));
        } catch (RuntimeException e) {
            throw new ValidationException("consistencyToken", "must be a token returned by consistencyToken()", shown);
        }
    }

    @Override
    public String toString() {
        return formatLsn(lsn) + (timeline != 0 ? " on timeline " + timeline : "") + " of cluster " + Long.toUnsignedString(systemId);
    }
}
