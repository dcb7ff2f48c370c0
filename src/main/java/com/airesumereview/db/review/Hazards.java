package com.airesumereview.db.review;

import com.airesumereview.db.review.DdlScript.Statement;
import com.airesumereview.db.review.ReviewReport.Hazard;
import com.airesumereview.db.usage.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The lock and rewrite hazards of a DDL file on a running database, statement by statement, in the file's order.
 * What a statement locks follows PostgreSQL 15's documentation of ALTER TABLE, CREATE INDEX and explicit locking;
 * whether it rewrote the table is measured on the throwaway database (the table's {@code relfilenode} changed).
 * Tables the file creates itself are empty while it runs and carry no hazard.
 */
final class Hazards {
    private static final String ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE";

    private final DdlScript script;
    private final Set<String> existing;
    private final TableSizes sizes;
    final List<Hazard> found = new ArrayList<>();

    /** No BEGIN in the file: a migration runner (Flyway) runs the whole file as one transaction. */
    private final boolean implicitTransaction;
    boolean openTransaction;
    private boolean lockTimeoutSet;
    private boolean lockTimeoutReported;
    /** In the current transaction: a statement that took a lock that blocks writes, and the updates seen. */
    private Statement lockInTransaction;
    private final List<Statement> updatesInTransaction = new ArrayList<>();

    Hazards(DdlScript script, Set<String> existing, TableSizes sizes) {
        this.script = script;
        this.existing = existing;
        this.sizes = sizes;
        this.implicitTransaction = script.statements().stream()
                .noneMatch(s -> s.startsWith("begin") || s.startsWith("start", "transaction"));
    }

    void inspect(Statement s, Set<String> rewritten, boolean validatedNotNullCheck) {
        if (s.startsWith("begin") || s.startsWith("start", "transaction")) {
            endTransaction();
            openTransaction = true;
            return;
        }
        if (s.startsWith("commit") || s.startsWith("end") || s.startsWith("rollback")) {
            endTransaction();
            openTransaction = false;
            return;
        }
        if (s.startsWith("set") && s.tokens().stream().anyMatch(t -> t.is("lock_timeout"))) {
            lockTimeoutSet = true;
            return;
        }
        if (s.startsWith("alter", "table")) {
            alterTable(s, rewritten, validatedNotNullCheck);
        } else if (s.startsWith("create", "index") || s.startsWith("create", "unique", "index")) {
            createIndex(s);
        } else if (s.startsWith("drop", "table") || s.startsWith("truncate")
                || s.startsWith("drop", "index") && !s.has("concurrently")) {
            String table = s.startsWith("drop", "index") ? null : tableAfter(s.tokens(), 2);
            takesLock(s, table == null ? "the index's table" : table, ACCESS_EXCLUSIVE);
        } else if (s.startsWith("update") || s.startsWith("delete")) {
            String table = s.startsWith("update") ? tableAfter(s.tokens(), 1) : tableAfter(s.tokens(), 2);
            if (table != null && existing.contains(table)) {
                updatesInTransaction.add(s);
                if (lockInTransaction != null) {
                    longUpdate(s, table);
                }
            }
        }
    }

    void finish() {
        endTransaction();
        // Flyway runs a migration holding CONCURRENTLY outside a transaction, and refuses one that mixes it with
        // statements that need one (unless mixed migrations are allowed): give such a statement its own file.
        List<Statement> concurrent = script.statements().stream()
                .filter(s -> s.has("concurrently") && (s.startsWith("create") || s.startsWith("drop")
                        || s.startsWith("reindex"))).toList();
        long others = script.statements().stream().filter(s -> !s.startsWith("set") && !concurrent.contains(s)).count();
        if (implicitTransaction && !concurrent.isEmpty() && others > 0) {
            Statement s = concurrent.get(0);
            add("CONCURRENTLY_MIXED_IN_MIGRATION", s, null, "none while it runs", false,
                    "CONCURRENTLY cannot run inside a transaction block, and the file mixes it with " + others
                            + " statement(s) that a migration runner runs in one: Flyway refuses such a migration"
                            + " (unless mixed migrations are allowed, when the other statements lose their"
                            + " transaction)",
                    "put each CONCURRENTLY statement in a migration file of its own");
        }
    }

    private void endTransaction() {
        lockInTransaction = null;
        updatesInTransaction.clear();
    }

    private void alterTable(Statement s, Set<String> rewritten, boolean validatedNotNullCheck) {
        String table = tableOf(s);
        if (table == null || !existing.contains(table)) {
            return;
        }
        List<Token> t = s.tokens();
        boolean explained = false;
        boolean onlyValidate = s.has("validate") && !s.has("add") && !s.has("type");
        for (List<Token> action : actions(t)) {
            String first = action.isEmpty() ? "" : action.get(0).value();
            boolean notValid = contains(action, "not", "valid");
            if (first.equals("alter") && (contains(action, "type") )) {
                String column = nameAfterAlter(action);
                boolean rewrite = rewritten.contains(table);
                explained |= rewrite;
                add("COLUMN_TYPE_CHANGE", s, table, ACCESS_EXCLUSIVE, rewrite,
                        rewrite ? "changes the type of " + table + "." + column + ": the whole table and its indexes are"
                                + " rewritten under an ACCESS EXCLUSIVE lock (no reads, no writes until it ends)"
                                : "changes the type of " + table + "." + column + " without a rewrite (binary"
                                + " compatible), but still under a brief ACCESS EXCLUSIVE lock",
                        "expand and contract: ALTER TABLE " + table + " ADD COLUMN " + column + "_new <type>; backfill"
                                + " it in batches (UPDATE ... WHERE id IN (SELECT id ... LIMIT 1000)), each its own"
                                + " transaction; switch readers and writers to the new column; then DROP COLUMN "
                                + column + " and RENAME " + column + "_new TO " + column);
            } else if (first.equals("add") && contains(action, "check") && !notValid) {
                String name = constraintName(action);
                add("CHECK_WITHOUT_NOT_VALID", s, table, ACCESS_EXCLUSIVE, true,
                        "adds CHECK " + name + " and scans every row of " + table + " to validate it while holding an"
                                + " ACCESS EXCLUSIVE lock",
                        "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " CHECK (...) NOT VALID; then, in its"
                                + " own transaction, ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name
                                + " (SHARE UPDATE EXCLUSIVE: reads and writes go on)");
            } else if (first.equals("add") && contains(action, "foreign") && !notValid) {
                String name = constraintName(action);
                add("FOREIGN_KEY_WITHOUT_NOT_VALID", s, table, "SHARE ROW EXCLUSIVE", true,
                        "adds foreign key " + name + " and scans " + table + " to validate it; writes to both tables"
                                + " wait",
                        "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " FOREIGN KEY (...) REFERENCES ... NOT"
                                + " VALID; then ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name);
            } else if (first.equals("add") && (contains(action, "unique") || contains(action, "primary"))
                    && !contains(action, "using", "index")) {
                String name = constraintName(action);
                add("UNIQUE_WITHOUT_INDEX", s, table, ACCESS_EXCLUSIVE, true,
                        "builds the index of " + name + " while holding an ACCESS EXCLUSIVE lock on " + table,
                        "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (...); then ALTER TABLE "
                                + table + " ADD CONSTRAINT " + name + " UNIQUE USING INDEX " + name);
            } else if (first.equals("alter") && contains(action, "set", "not", "null") && !validatedNotNullCheck) {
                String column = nameAfterAlter(action);
                add("SET_NOT_NULL_WITHOUT_CHECK", s, table, ACCESS_EXCLUSIVE, true,
                        "SET NOT NULL on " + table + "." + column + " scans every row while holding an ACCESS"
                                + " EXCLUSIVE lock (no validated CHECK (" + column + " IS NOT NULL) exists to skip it)",
                        "ALTER TABLE " + table + " ADD CONSTRAINT " + table + "_" + column + "_not_null CHECK ("
                                + column + " IS NOT NULL) NOT VALID; ALTER TABLE " + table + " VALIDATE CONSTRAINT "
                                + table + "_" + column + "_not_null; ALTER TABLE " + table + " ALTER COLUMN " + column
                                + " SET NOT NULL (now without a scan); ALTER TABLE " + table + " DROP CONSTRAINT "
                                + table + "_" + column + "_not_null");
            } else if (first.equals("add") && contains(action, "default")
                    && (rewritten.contains(table) || action.stream().anyMatch(tok -> volatileFunction(tok)))) {
                explained = true;
                add("VOLATILE_DEFAULT", s, table, ACCESS_EXCLUSIVE, true,
                        "adds a column whose default is volatile: every existing row gets its own value, so " + table
                                + " is rewritten under an ACCESS EXCLUSIVE lock",
                        "ALTER TABLE " + table + " ADD COLUMN ... (no default, or a constant one); ALTER TABLE "
                                + table + " ALTER COLUMN ... SET DEFAULT <expression> (new rows only); backfill"
                                + " existing rows in batches, each its own transaction");
            }
        }
        if (rewritten.contains(table) && !explained && !onlyValidate) {
            add("TABLE_REWRITE", s, table, ACCESS_EXCLUSIVE, true,
                    "rewrites " + table + " (its storage was replaced) under an ACCESS EXCLUSIVE lock",
                    "split it into steps that do not rewrite (expand and contract), or run it in a maintenance window");
        }
        boolean weakLock = onlyValidate;
        if (!weakLock) {
            takesLock(s, table, ACCESS_EXCLUSIVE);
        }
    }

    private void createIndex(Statement s) {
        List<Token> t = s.tokens();
        int on = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).is("on")) {
                on = i;
                break;
            }
        }
        String table = on < 0 ? null : tableAfter(t, t.size() > on + 1 && t.get(on + 1).is("only") ? on + 2 : on + 1);
        if (table == null || !existing.contains(table)) {
            return;
        }
        if (!s.has("concurrently")) {
            String name = on > 2 && t.get(on - 1).isName() && !t.get(on - 1).is("index") ? t.get(on - 1).value() : "...";
            add("INDEX_WITHOUT_CONCURRENTLY", s, table, "SHARE", true,
                    "builds index " + name + " while holding a SHARE lock on " + table + ": every INSERT, UPDATE and"
                            + " DELETE waits until the build ends",
                    s.sql().strip().replaceFirst("(?i)^create\\s+(unique\\s+)?index", "CREATE $1INDEX CONCURRENTLY")
                            .replaceAll("\\s+", " ")
                            + " (outside a transaction block; if it fails, DROP INDEX CONCURRENTLY the invalid index"
                            + " and retry)");
            takesLock(s, table, "SHARE");
        }
    }

    private void takesLock(Statement s, String table, String lock) {
        if (!lockTimeoutSet && !lockTimeoutReported) {
            lockTimeoutReported = true;
            add("MISSING_LOCK_TIMEOUT", s, table, lock, false,
                    "takes a " + lock + " lock on " + table + " with no lock_timeout set: if a long query holds the"
                            + " table, this statement waits behind it and every query that arrives after it waits"
                            + " behind this one",
                    "SET lock_timeout = '5s'; at the top of the file (or SET LOCAL inside the transaction), and retry"
                            + " the migration when it times out");
        }
        if (openTransaction || implicitTransaction) {
            if (lockInTransaction == null) {
                lockInTransaction = s;
                for (Statement update : updatesInTransaction) {
                    longUpdate(update, tableOf(update));
                }
            }
        }
    }

    private void longUpdate(Statement update, String table) {
        String lockedBy = "statement " + lockInTransaction.number() + " (line " + lockInTransaction.line() + ")";
        String target = update.startsWith("update") ? tableAfter(update.tokens(), 1) : tableAfter(update.tokens(), 2);
        add("LONG_UPDATE_WITH_DDL", update, target, "ROW EXCLUSIVE, plus the DDL's locks", true,
                "rewrites rows of " + target + " in the same transaction as the DDL of " + lockedBy
                        + (implicitTransaction ? " (the file has no BEGIN: a migration runner such as Flyway runs it"
                        + " as one transaction)" : "") + ": the DDL's lock is held until every row is written",
                "commit the DDL first (its own short transaction, with lock_timeout); then update in batches of about"
                        + " 1000 rows, each its own transaction (UPDATE " + target + " SET ... WHERE id IN (SELECT id"
                        + " FROM " + target + " WHERE ... LIMIT 1000))");
    }

    private void add(String kind, Statement s, String table, String lock, boolean blocking, String why, String safer) {
        TableSizes.Size size = sizes == null || table == null ? null : sizes.tables().get(table);
        found.add(new Hazard(kind, s.number(), s.line(), s.shortText(160), table, lock, why,
                size == null ? null : size.rows(), size == null ? null : size.bytes(), blocking, safer));
    }

    // ---- reading statements ----------------------------------------------------------------------------------

    /** The table of ALTER TABLE [IF EXISTS] [ONLY] name, UPDATE [ONLY] name, DELETE FROM name. */
    static String tableOf(Statement s) {
        List<Token> t = s.tokens();
        if (s.startsWith("update")) {
            return tableAfter(t, 1);
        }
        if (s.startsWith("delete")) {
            return tableAfter(t, 2);
        }
        return tableAfter(t, 2);
    }

    /** The (unqualified) name at {@code i}, skipping IF EXISTS, ONLY and a schema. */
    static String tableAfter(List<Token> t, int i) {
        while (i < t.size() && (t.get(i).is("if") || t.get(i).is("exists") || t.get(i).is("only")
                || t.get(i).is("not"))) {
            i++;
        }
        if (i >= t.size() || !t.get(i).isName()) {
            return null;
        }
        if (i + 2 < t.size() && t.get(i + 1).isPunctuation('.') && t.get(i + 2).isName()) {
            return t.get(i + 2).value();
        }
        return t.get(i).value();
    }

    /** For {@code ... c SET NOT NULL}: the name before the SET at {@code set}. */
    static String columnBefore(List<Token> t, int set) {
        return set > 0 && t.get(set - 1).isName() ? t.get(set - 1).value() : "?";
    }

    /** The subcommands of an ALTER TABLE, split at top-level commas, after the table name. */
    private static List<List<Token>> actions(List<Token> t) {
        int start = 2;
        while (start < t.size() && (t.get(start).is("if") || t.get(start).is("exists") || t.get(start).is("only"))) {
            start++;
        }
        start++;
        if (start + 1 < t.size() && t.get(start).isPunctuation('.')) {
            start += 2;
        }
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (int i = start; i < t.size(); i++) {
            Token k = t.get(i);
            if (k.isPunctuation('(')) {
                depth++;
            } else if (k.isPunctuation(')')) {
                depth--;
            }
            if (depth == 0 && k.isPunctuation(',')) {
                out.add(current);
                current = new ArrayList<>();
            } else {
                current.add(k);
            }
        }
        out.add(current);
        return out;
    }

    private static boolean contains(List<Token> action, String... words) {
        outer:
        for (int i = 0; i + words.length <= action.size(); i++) {
            for (int j = 0; j < words.length; j++) {
                if (!action.get(i + j).is(words[j])) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String nameAfterAlter(List<Token> action) {
        int i = 1;
        if (i < action.size() && action.get(i).is("column")) {
            i++;
        }
        return i < action.size() ? action.get(i).value() : "?";
    }

    private static String constraintName(List<Token> action) {
        for (int i = 0; i + 1 < action.size(); i++) {
            if (action.get(i).is("constraint") && action.get(i + 1).isName()) {
                return action.get(i + 1).value();
            }
        }
        return "<name>";
    }

    private static boolean volatileFunction(Token token) {
        return token.kind() == com.airesumereview.db.usage.SqlLexer.Kind.WORD
                && DdlReviewer.volatileNames().contains(token.value().toLowerCase(Locale.ROOT));
    }
}
