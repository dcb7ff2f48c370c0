package com.airesumereview.db.inspection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings two printings of the same stored expression to one form before they are compared.
 *
 * <p>Why: PostgreSQL does not print every expression so that it reads back the same. A CHECK written as
 * {@code role IN ('consultant', 'admin')} (as production's were) prints as
 * {@code (role)::text = ANY ((ARRAY['consultant'::character varying, ...])::text[])}; restoring that text
 * (pg_dump, schema/) stores and prints {@code (role)::text = ANY (ARRAY[('consultant'::character varying)::text,
 * ...])}. Both mean the same; without this, every vocabulary CHECK of production would look changed against the
 * snapshot. The model keeps PostgreSQL's text; only the comparison uses this form.
 */
final class EquivalentSql {
    private static final String LITERAL = "'(?:[^']|'')*'::[a-z ]+(?:\\(\\d+(?:,\\d+)?\\))?";
    // (ARRAY['a'::T, 'b'::T])::U[]  ->  ARRAY[('a'::T)::U, ('b'::T)::U]
    private static final Pattern CAST_ARRAY = Pattern.compile(
            "\\(ARRAY\\[((?:" + LITERAL + ")(?:, " + LITERAL + ")*)\\]\\)::([a-z ]+(?:\\(\\d+(?:,\\d+)?\\))?)\\[\\]");
    private static final Pattern ELEMENT = Pattern.compile(LITERAL);

    private EquivalentSql() {
    }

    /** {@code definition} with array-of-constants casts written element by element; null stays null. */
    static String canonical(String definition) {
        if (definition == null || !definition.contains("ARRAY[")) {
            return definition;
        }
        Matcher matcher = CAST_ARRAY.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            List<String> elements = new ArrayList<>();
            Matcher element = ELEMENT.matcher(matcher.group(1));
            while (element.find()) {
                elements.add("(" + element.group() + ")::" + matcher.group(2));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement("ARRAY[" + String.join(", ", elements) + "]"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Whether two definitions mean the same as far as this class can tell. */
    static boolean same(String a, String b) {
        return java.util.Objects.equals(canonical(a), canonical(b));
    }
}
