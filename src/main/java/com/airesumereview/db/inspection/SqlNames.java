package com.airesumereview.db.inspection;

import java.util.Set;
import java.util.regex.Pattern;

/** Identifier and literal quoting the way PostgreSQL's {@code quote_ident} and {@code quote_literal} do it. */
final class SqlNames {
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    // PostgreSQL 15's keywords that are not unreserved (pg_get_keywords() catcode <> 'U'); quote_ident quotes these.
    private static final Set<String> KEYWORDS = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
            "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check",
            "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
            "current_catalog", "current_date", "current_role", "current_schema", "current_time",
            "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do",
            "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign", "freeze",
            "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner",
            "inout", "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "lateral", "leading",
            "least", "left", "like", "limit", "localtime", "localtimestamp", "national", "natural", "nchar", "none",
            "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out",
            "outer", "overlaps", "overlay", "placing", "position", "precision", "primary", "real", "references",
            "returning", "right", "row", "select", "session_user", "setof", "similar", "smallint", "some",
            "substring", "symmetric", "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat",
            "trim", "true", "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when",
            "where", "window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
            "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable");

    private SqlNames() {
    }

    /** {@code name} as an SQL identifier: unchanged when PostgreSQL would read it back the same, else quoted. */
    static String quote(String name) {
        if (PLAIN.matcher(name).matches() && !KEYWORDS.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.name}, each part quoted when needed. */
    static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /**
     * A string literal. Backslashes are written in an {@code E'...'} literal so the text reads back the same
     * whatever {@code standard_conforming_strings} says.
     */
    static String literal(String text) {
        String quoted = text.replace("'", "''");
        if (text.indexOf('\\') >= 0) {
            return "E'" + quoted.replace("\\", "\\\\") + "'";
        }
        return "'" + quoted + "'";
    }
}
