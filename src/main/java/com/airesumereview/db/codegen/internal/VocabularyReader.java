package com.airesumereview.db.codegen.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the CHECK constraints that restrict one text column to a list of literals and reads that list.
 *
 * <p>PostgreSQL prints {@code col IN ('a', 'b')} on a varchar column as
 * {@code CHECK (((col)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))},
 * optionally followed by {@code OR (col IS NULL)}. Only constraints of exactly that shape count; any other
 * CHECK (ranges, several columns) is left alone.
 */
public final class VocabularyReader {

    private static final String QUERY = """
            SELECT n.nspname, t.relname, a.attname, c.conname, pg_get_constraintdef(c.oid)
              FROM pg_constraint c
              JOIN pg_class t ON t.oid = c.conrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = c.conkey[1]
             WHERE c.contype = 'c'
               AND n.nspname = ?
               AND cardinality(c.conkey) = 1
               AND format_type(a.atttypid, NULL) IN ('character varying', 'text', 'character')
             ORDER BY t.relname, a.attname, c.conname
            """;

    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'::(?:character varying|text|bpchar)");

    private VocabularyReader() {
    }

    /** Every vocabulary in {@code schema}, ordered by table, column. */
    public static List<Vocabulary> read(Connection connection, String schema) throws SQLException {
        List<Vocabulary> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parse(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))
                            .ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /**
     * The vocabulary a constraint definition describes, if it has the shape described above. PostgreSQL
     * versions print the list in slightly different spellings ({@code ARRAY['a'::character varying]::text[]}
     * or {@code ARRAY[('a'::character varying)::text]}), so the check masks the literals, drops parentheses
     * and white space, and matches what is left.
     */
    public static Optional<Vocabulary> parse(String schema, String table, String column, String constraint, String definition) {
        List<String> values = new ArrayList<>();
        Matcher lit = LITERAL.matcher(definition);
        StringBuilder masked = new StringBuilder();
        while (lit.find()) {
            values.add(lit.group(1).replace("''", "'"));
            lit.appendReplacement(masked, "L");
        }
        lit.appendTail(masked);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String skeleton = masked.toString().replaceAll("[()\\s]", "");
        String col = "\"?" + Pattern.quote(column) + "\"?";
        Pattern shape = Pattern.compile("^CHECK" + col + "::text=ANYARRAY\\[L(?:::text)?(?:,L(?:::text)?)*\\](?:::text\\[\\])?"
                + "(OR" + col + "ISNULL)?$");
        Matcher m = shape.matcher(skeleton);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Vocabulary(schema, table, column, constraint, values, m.group(1) != null));
    }
}
