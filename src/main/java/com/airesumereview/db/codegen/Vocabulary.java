package com.airesumereview.db.codegen;

import java.util.List;

/**
 * A closed set of values that a CHECK constraint allows in one text column, e.g.
 * {@code users.role IN ('consultant', 'admin')}.
 *
 * @param schema      the column's schema
 * @param table       the column's table
 * @param column      the column
 * @param constraint  the CHECK constraint's name
 * @param values      the allowed values, in the constraint's order
 * @param nullAllowed whether the constraint spells out {@code OR column IS NULL}
 */
public record Vocabulary(String schema, String table, String column, String constraint, List<String> values,
        boolean nullAllowed) {

    /**
     * Copies {@code values}, so the record stays immutable.
     *
     * @param schema      the column's schema
     * @param table       the column's table
     * @param column      the column
     * @param constraint  the CHECK constraint's name
     * @param values      the allowed values, in the constraint's order; null, or a null element, throws
     *                    {@link NullPointerException}
     * @param nullAllowed whether the constraint spells out {@code OR column IS NULL}
     */
    public Vocabulary {
        values = List.copyOf(values);
    }

    /**
     * {@code schema.table.column}, the key used in {@code codegen/vocabularies.properties}.
     *
     * @return the column's qualified name
     */
    public String qualifiedColumn() {
        return schema + "." + table + "." + column;
    }
}
