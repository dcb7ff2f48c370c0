package com.airesumereview.db.repository.internal;

import com.airesumereview.db.ValidationException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Locale;
import org.jooq.Field;

/**
 * The input rules every repository applies before any SQL runs. Each failure is a
 * {@link ValidationException} naming the domain field, the rule and the rejected value.
 * Lengths are counted in characters (code points), as PostgreSQL counts {@code varchar(n)}.
 */
public final class Rules {
    /** Earliest instant PostgreSQL's timestamptz holds (4713 BC). */
    public static final Instant EARLIEST = OffsetDateTime.of(-4712, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
    /** Latest instant PostgreSQL's timestamptz holds (294276 AD). */
    public static final Instant LATEST = OffsetDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC).toInstant();

    private static final int SHOWN = 60;

    private Rules() {
    }

    /** {@code value} must not be null. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new ValidationException(field, "is required", "null");
        }
        return value;
    }

    /** Required text of at most {@code max} characters, storable in PostgreSQL (no NUL, no lone surrogate). */
    public static String text(String field, String value, int max) {
        required(field, value);
        return optionalText(field, value, max);
    }

    /** Required text no longer than {@code column} holds (its generated {@code varchar(n)}; text: no limit). */
    public static String text(String field, String value, Field<String> column) {
        return text(field, value, limit(column));
    }

    /** Required, not blank, no longer than {@code column} holds. */
    public static String nonBlank(String field, String value, Field<String> column) {
        return nonBlank(field, value, limit(column));
    }

    /** Optional text no longer than {@code column} holds. */
    public static String optionalText(String field, String value, Field<String> column) {
        return optionalText(field, value, limit(column));
    }

    /** A secret no longer than {@code column} holds. */
    public static String secret(String field, String value, Field<String> column) {
        return secret(field, value, limit(column));
    }

    /** An email no longer than {@code column} holds. */
    public static String email(String field, String value, Field<String> column) {
        return email(field, value, limit(column));
    }

    /** The length the generated field says the column holds ({@code varchar(n)}), 0 for unlimited text. */
    public static int limit(Field<String> column) {
        return column.getDataType().hasLength() ? column.getDataType().length() : 0;
    }

    /** Required text that is not blank. */
    public static String nonBlank(String field, String value, int max) {
        text(field, value, max);
        if (value.isBlank()) {
            throw new ValidationException(field, "must not be blank", show(value));
        }
        return value;
    }

    /** Optional text (null allowed); when present, at most {@code max} characters (max &lt;= 0: no limit). */
    public static String optionalText(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        storable(field, value, false);
        if (max > 0 && value.codePointCount(0, value.length()) > max) {
            throw new ValidationException(field, "at most " + max + " characters", show(value));
        }
        return value;
    }

    /** Like {@link #text} for secrets (hashes, tokens): the value never appears in the message. */
    public static String secret(String field, String value, int max) {
        if (value == null) {
            throw new ValidationException(field, "is required", "null");
        }
        storable(field, value, true);
        if (value.isBlank()) {
            throw new ValidationException(field, "must not be blank", "***");
        }
        if (max > 0 && value.codePointCount(0, value.length()) > max) {
            throw new ValidationException(field, "at most " + max + " characters", "***");
        }
        return value;
    }

    /**
     * A bcrypt hash as passlib writes it ({@code $2a$}, {@code $2b$} or {@code $2y$}, cost, 53 characters of
     * bcrypt base64: 60 in all); anything else could never be verified by the Python service. The value is never
     * shown: a wrong one may be the password itself. The same rule as {@code NewUser.Builder.build()}.
     */
    public static String bcryptHash(String field, String value) {
        if (value == null) {
            throw new ValidationException(field, "is required", "null");
        }
        if (!isBcrypt(value)) {
            throw new ValidationException(field, "must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 04..31, 60 characters),"
                    + " as the Python service's passlib writes; hash the password before storing it", "***");
        }
        return value;
    }

    /** Lowercase hex SHA-256 (64 characters). */
    public static String sha256Hex(String field, String value) {
        required(field, value);
        if (!isSha256Hex(value)) {
            throw new ValidationException(field, "must be 64 lowercase hex characters (SHA-256)", show(value));
        }
        return value;
    }

    /** Email: trimmed, stored lowercase, at most {@code max} characters, one '@' with text on both sides. */
    public static String email(String field, String value, int max) {
        text(field, value, max);
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        int at = normalized.indexOf('@');
        if (at <= 0 || at != normalized.lastIndexOf('@') || at == normalized.length() - 1
                || hasWhitespace(normalized)) {
            throw new ValidationException(field, "must be an email address like name@example.com", show(value));
        }
        return normalized;
    }

    /** {@code min <= value <= max}. */
    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ValidationException(field, "must be between " + min + " and " + max, String.valueOf(value));
        }
        return value;
    }

    /** Null, or {@code min <= value <= max}. */
    public static Integer optionalRange(String field, Integer value, int min, int max) {
        return value == null ? null : range(field, value, min, max);
    }

    /** A long that must fit {@code min..max} (e.g. an int column). */
    public static int rangeLong(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ValidationException(field, "must be between " + min + " and " + max, String.valueOf(value));
        }
        return (int) value;
    }

    /** Required instant that PostgreSQL's timestamptz can hold. */
    public static Instant instant(String field, Instant value) {
        required(field, value);
        return optionalInstant(field, value);
    }

    /** Null, or an instant PostgreSQL's timestamptz can hold. */
    public static Instant optionalInstant(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw new ValidationException(field, "must be between 4713 BC and 294276 AD (PostgreSQL timestamptz)",
                    value.toString());
        }
        return value;
    }

    /** Every element of a list stored as text[]: not null list, each element storable text. */
    public static <C extends Collection<String>> C textElements(String field, C values) {
        required(field, values);
        int i = 0;
        for (String v : values) {
            if (v != null) {
                storable(field + "[" + i + "]", v, false);
            }
            i++;
        }
        return values;
    }

    /** A page size: 1..1000. */
    public static int pageSize(String field, int size) {
        return range(field, size, 1, 1000);
    }

    private static void storable(String field, String value, boolean secret) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw new ValidationException(field, "must not contain the NUL character (PostgreSQL text cannot hold it)",
                        secret ? "***" : show(value));
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new ValidationException(field, "must be valid Unicode (lone surrogate at index " + i + ")",
                        secret ? "***" : show(value));
            }
            if (Character.isLowSurrogate(c)) {
                throw new ValidationException(field, "must be valid Unicode (lone surrogate at index " + i + ")",
                        secret ? "***" : show(value));
            }
        }
    }

    /*
     * The format checks below are loops rather than regular expressions: they run for every row of a bulk insert
     * and every login, and a Matcher per call is garbage the JDBC baseline does not make.
     */

    /** {@code $2a$|$2b$|$2y$}, a two-digit cost 04..31, {@code $}, then 53 of {@code ./A-Za-z0-9}: 60 characters. */
    static boolean isBcrypt(String v) {
        if (v.length() != 60 || v.charAt(0) != '$' || v.charAt(1) != '2' || "aby".indexOf(v.charAt(2)) < 0
                || v.charAt(3) != '$' || v.charAt(6) != '$') {
            return false;
        }
        char tens = v.charAt(4);
        char units = v.charAt(5);
        if (tens < '0' || tens > '9' || units < '0' || units > '9') {
            return false;
        }
        int cost = (tens - '0') * 10 + (units - '0');
        if (cost < 4 || cost > 31) {
            return false;
        }
        for (int i = 7; i < 60; i++) {
            char c = v.charAt(i);
            if (!(c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** 64 characters of {@code 0-9a-f}. */
    static boolean isSha256Hex(String v) {
        if (v.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasWhitespace(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Character.isWhitespace(v.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A printable, bounded form of a rejected value for messages. */
    public static String show(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder("'");
        int n = 0;
        for (int i = 0; i < s.length() && n < SHOWN; i++, n++) {
            char c = s.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (s.length() > SHOWN) {
            b.append("... (").append(s.length()).append(" characters)");
        }
        return b.toString();
    }
}
