package com.airesumereview.db.usage;

import com.airesumereview.db.usage.SqlLexer.Kind;
import com.airesumereview.db.usage.SqlLexer.Token;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which columns one repository statement reads and writes, read from its SQL text as jOOQ renders it (tables
 * schema-qualified, columns qualified by table or alias, assignment targets and insert lists unqualified). Reading
 * the text, not the jOOQ objects, keeps this independent of how the statement engine builds its statements: any
 * statement that reaches the server has a text.
 *
 * @param name    {@code repository.method}
 * @param tables  tables the statement names
 * @param reads   columns it reads ({@code table.column}): select lists, conditions, orderings, returned columns
 * @param writes  columns it assigns ({@code table.column}): insert lists, {@code SET} targets
 * @param deletes tables it deletes rows from
 */
public record StatementColumns(String name, Set<String> tables, Set<String> reads, Set<String> writes,
                               Set<String> deletes) {
    /**
     * Copies the sets; {@code name} must not be null.
     *
     * @param name {@code repository.method}
     * @param tables tables the statement names
     * @param reads columns it reads, {@code table.column}
     * @param writes columns it assigns, {@code table.column}
     * @param deletes tables it deletes rows from
     */
    public StatementColumns {
        Objects.requireNonNull(name, "name");
        tables = Set.copyOf(tables);
        reads = Set.copyOf(reads);
        writes = Set.copyOf(writes);
        deletes = Set.copyOf(deletes);
    }

    /**
     * Reads {@code sql}; {@code schema} is the schema tables are qualified with (e.g. {@code public}).
     *
     * @param name   the statement's name, {@code repository.method}
     * @param sql    the statement as jOOQ renders it
     * @param schema the schema its tables are qualified with
     * @return the tables and columns it names
     */
    public static StatementColumns of(String name, String sql, String schema) {
        List<Token> t = SqlLexer.tokens(sql);
        Set<String> tables = new TreeSet<>();
        Set<String> reads = new TreeSet<>();
        Set<String> writes = new TreeSet<>();
        Set<String> deletes = new TreeSet<>();
        Map<String, String> aliases = new HashMap<>();
        // First pass: tables and their aliases ("public"."users" as "u").
        for (int i = 0; i < t.size(); i++) {
            if (isName(t, i, schema) && dot(t, i + 1) && name(t, i + 2) && !dot(t, i + 3) && !dot(t, i - 1)) {
                String table = t.get(i + 2).value();
                tables.add(table);
                aliases.put(table, table);
                if (i + 4 < t.size() && t.get(i + 3).is("as") && name(t, i + 4)) {
                    aliases.put(t.get(i + 4).value(), table);
                }
            }
        }
        String insertTable = null;
        for (int i = 0; i < t.size(); i++) {
            Token k = t.get(i);
            // "public"."t"."c" and "alias"."c"
            if (isName(t, i, schema) && dot(t, i + 1) && name(t, i + 2) && dot(t, i + 3) && name(t, i + 4)
                    && !dot(t, i - 1)) {
                reads.add(t.get(i + 2).value() + "." + t.get(i + 4).value());
                i += 4;
                continue;
            }
            if (name(t, i) && !dot(t, i - 1) && dot(t, i + 1) && name(t, i + 2) && !dot(t, i + 3)
                    && aliases.containsKey(k.value())) {
                reads.add(aliases.get(k.value()) + "." + t.get(i + 2).value());
                i += 2;
                continue;
            }
            if (k.is("insert") && i + 1 < t.size() && t.get(i + 1).is("into")) {
                String table = tableAt(t, i + 2, schema);
                if (table != null) {
                    insertTable = table;
                    int open = i + 2;
                    while (open < t.size() && !t.get(open).isPunctuation('(') && !t.get(open).is("values")
                            && !t.get(open).is("select")) {
                        open++;
                    }
                    if (open < t.size() && t.get(open).isPunctuation('(')) {
                        for (int j = open + 1; j < t.size() && !t.get(j).isPunctuation(')'); j++) {
                            if (name(t, j)) {
                                writes.add(table + "." + t.get(j).value());
                            }
                        }
                    }
                }
            } else if (k.is("update") && !(i > 0 && t.get(i - 1).is("do")) && !(i > 0 && t.get(i - 1).is("for"))) {
                String table = tableAt(t, i + 1, schema);
                int set = i + 1;
                while (set < t.size() && !t.get(set).is("set")) {
                    set++;
                }
                if (table != null) {
                    assignments(t, set, table, writes);
                }
            } else if (k.is("do") && i + 2 < t.size() && t.get(i + 1).is("update") && insertTable != null) {
                assignments(t, i + 2, insertTable, writes);
            } else if (k.is("delete") && i + 1 < t.size() && t.get(i + 1).is("from")) {
                String table = tableAt(t, i + 2, schema);
                if (table != null) {
                    deletes.add(table);
                }
            }
        }
        return new StatementColumns(name, tables, reads, writes, deletes);
    }

    /** The SET list starting at token {@code set}: targets at its own parenthesis depth, until a clause ends it. */
    private static void assignments(List<Token> t, int set, String table, Set<String> writes) {
        if (set >= t.size() || !t.get(set).is("set")) {
            return;
        }
        int depth = 0;
        boolean expectTarget = true;
        for (int j = set + 1; j < t.size(); j++) {
            Token k = t.get(j);
            if (k.isPunctuation('(')) {
                if (expectTarget && depth == 0) {
                    // ("a", "b") = (...): a row of targets
                    int m = j + 1;
                    for (; m < t.size() && !t.get(m).isPunctuation(')'); m++) {
                        if (name(t, m)) {
                            writes.add(table + "." + t.get(m).value());
                        }
                    }
                    j = m;
                    expectTarget = false;
                    continue;
                }
                depth++;
            } else if (k.isPunctuation(')')) {
                if (depth == 0) {
                    return;
                }
                depth--;
            } else if (depth == 0 && (k.is("where") || k.is("returning") || k.is("from") || k.isPunctuation(';'))) {
                return;
            } else if (depth == 0 && k.isPunctuation(',')) {
                expectTarget = true;
            } else if (depth == 0 && expectTarget && name(t, j)) {
                writes.add(table + "." + k.value());
                expectTarget = false;
            }
        }
    }

    private static String tableAt(List<Token> t, int i, String schema) {
        if (isName(t, i, schema) && dot(t, i + 1) && name(t, i + 2)) {
            return t.get(i + 2).value();
        }
        return name(t, i) && !dot(t, i + 1) ? t.get(i).value() : null;
    }

    private static boolean isName(List<Token> t, int i, String value) {
        return name(t, i) && t.get(i).value().equals(value);
    }

    private static boolean name(List<Token> t, int i) {
        return i >= 0 && i < t.size() && t.get(i).isName();
    }

    private static boolean dot(List<Token> t, int i) {
        return i >= 0 && i < t.size() && t.get(i).kind() == Kind.PUNCTUATION && t.get(i).text().equals(".");
    }
}
