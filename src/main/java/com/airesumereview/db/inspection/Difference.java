package com.airesumereview.db.inspection;

import java.util.Objects;

/**
 * One way the actual database differs from the expected structure (the snapshot).
 *
 * <p>Examples (as {@link #toString()} prints them):
 * <pre>
 * BREAKING          COLUMN users.email type: snapshot expects 'character varying(255)', database has 'text'
 * COMPATIBLE_CHANGE INDEX users.idx_users_email missing: snapshot expects 'CREATE INDEX ...', database has none
 * ADDITION          TABLE audit_log added: snapshot has none, database has 'columns: id, note'
 * </pre>
 *
 * @param kind      the kind of object
 * @param name      the object's name, qualified by its table where it lives in one ({@code users.email},
 *                  {@code users.users_role_check}); functions by signature ({@code get_upload_statistics(user_id_param uuid)})
 * @param change    missing in the database, added in the database, or changed
 * @param attribute for {@link Change#CHANGED}, what differs: {@code type}, {@code not null}, {@code default},
 *                  {@code identity}, {@code generated}, {@code position}, {@code definition}, {@code comment},
 *                  {@code result}, {@code version}, ...; null for a missing or added object
 * @param expected  what the snapshot has (for a missing object a one-line description of it); null if nothing
 * @param actual    what the database has (for an added object a description of it); null if nothing
 * @param impact    what it means for the library, see {@link SchemaComparison}
 */
public record Difference(ObjectKind kind, String name, Change change, String attribute, String expected,
                         String actual, Impact impact) {
    private static final int DISPLAY_WIDTH = 120;
    private static final int CONTEXT_BEFORE = 30;

    /**
     * Kind, name, change and impact are required; attribute, expected and actual may be null.
     *
     * @param kind      the kind of object
     * @param name      the object's name, qualified by its table where it lives in one
     * @param change    missing in the database, added in the database, or changed
     * @param attribute for {@link Change#CHANGED}, what differs; null for a missing or added object
     * @param expected  what the snapshot has; null if nothing
     * @param actual    what the database has; null if nothing
     * @param impact    what it means for the library
     */
    public Difference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(impact, "impact");
    }

    /**
     * One line naming the object, what the snapshot expects and what the database has. Long values (function
     * bodies) are shown on one line around the first place where they differ; the record keeps them whole.
     */
    @Override
    public String toString() {
        return String.format("%-17s %s %s", impact, kind, name) + " " + detail();
    }

    /**
     * What differs, without impact, kind and name (for reports that group by those), e.g.
     * {@code type: snapshot expects 'character varying(255)', database has 'text'}. Shortened like
     * {@link #toString()}.
     *
     * @return the detail, one line
     */
    public String detail() {
        int from = firstDifference(expected, actual);
        switch (change) {
            case MISSING:
                return "missing: snapshot expects " + display(expected, 0) + ", database has none";
            case ADDED:
                return "added: snapshot has none, database has " + display(actual, 0);
            default:
                return attribute + ": snapshot expects " + display(expected, from)
                        + ", database has " + display(actual, from);
        }
    }

    private static String display(String value, int from) {
        if (value == null) {
            return "none";
        }
        String flat = oneLine(value);
        int start = Math.max(0, Math.min(from, flat.length()) - CONTEXT_BEFORE);
        int end = Math.min(flat.length(), start + DISPLAY_WIDTH);
        return "'" + (start > 0 ? "..." : "") + flat.substring(start, end) + (end < flat.length() ? "..." : "") + "'";
    }

    private static int firstDifference(String a, String b) {
        if (a == null || b == null) {
            return 0;
        }
        String x = oneLine(a);
        String y = oneLine(b);
        int i = 0;
        while (i < x.length() && i < y.length() && x.charAt(i) == y.charAt(i)) {
            i++;
        }
        return i;
    }

    private static String oneLine(String value) {
        return value.strip().replaceAll("\\s+", " ");
    }
}
