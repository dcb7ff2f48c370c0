package com.airesumereview.db.review;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a proposed DDL change does: to the library (per structural change, breaking or not, and exactly what it
 * touches), to the data (rewrites that make values disappear), to a running production database (lock and rewrite
 * hazards, with table sizes when a live database was given), and what to do next. A plain record: it serialises to
 * JSON with every verdict field.
 *
 * @param file        the reviewed file's name
 * @param statements  how many statements it holds
 * @param breaking    whether any change or data rewrite breaks code generated from the snapshot
 * @param blocking    whether any hazard blocks production's reads or writes while it runs
 * @param changes     every structural difference before/after, with its impact on the library
 * @param dataRewrites UPDATE/DELETE statements on vocabulary columns and the values they make disappear
 * @param plans       repository methods whose queries lose an index they searched before
 * @param hazards     what the statements do to a running database
 * @param sizesFrom   where table sizes come from ({@code null} without a live database)
 * @param nextSteps   what to do, in order, to keep the Java services and the Python service working
 */
public record ReviewReport(String file, int statements, boolean breaking, boolean blocking, List<Change> changes,
                           List<DataRewrite> dataRewrites, List<PlanChange> plans, List<Hazard> hazards,
                           String sizesFrom, List<String> nextSteps) {
    /**
     * Checks and copies the components.
     *
     * @param file         the reviewed file's name
     * @param statements   how many statements it holds
     * @param breaking     whether any change or data rewrite breaks code generated from the snapshot
     * @param blocking     whether any hazard blocks production's reads or writes while it runs
     * @param changes      every structural difference before/after, with its impact on the library
     * @param dataRewrites UPDATE/DELETE statements on vocabulary columns and the values they make disappear
     * @param plans        repository methods whose queries lose an index they searched before
     * @param hazards      what the statements do to a running database
     * @param sizesFrom    where table sizes come from ({@code null} without a live database)
     * @param nextSteps    what to do, in order, to keep the Java services and the Python service working
     */
    public ReviewReport {
        Objects.requireNonNull(file, "file");
        changes = List.copyOf(changes);
        dataRewrites = List.copyOf(dataRewrites);
        plans = List.copyOf(plans);
        hazards = List.copyOf(hazards);
        nextSteps = List.copyOf(nextSteps);
    }

    /**
     * Text for people: the verdict, then the changes (breaking first) with what each touches, the data rewrites,
     * the hazards with their safer forms, and what to do next.
     *
     * @return the report, several lines
     */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("review of ").append(file).append(" (").append(statements).append(statements == 1 ? " statement"
                : " statements").append(", applied to a throwaway database built from the bundled snapshot)\n");
        b.append(verdict()).append("\n");
        b.append("\nImpact on the library\n");
        if (changes.isEmpty() && dataRewrites.isEmpty()) {
            b.append("  no structural change\n");
        }
        for (boolean wantBreaking : new boolean[] {true, false}) {
            for (Change c : changes) {
                if (c.breaking() != wantBreaking) {
                    continue;
                }
                b.append("  ").append(c.breaking() ? "BREAKING   " : c.impact().equals("ADDITION") ? "addition   "
                        : "compatible ").append(c.kind()).append(' ')
                        .append(c.name()).append(' ').append(c.change().toLowerCase(java.util.Locale.ROOT));
                if (c.attribute() != null) {
                    b.append(' ').append(c.attribute()).append(": ").append(shorten(c.before())).append(" -> ")
                            .append(shorten(c.after()));
                } else if (c.after() != null) {
                    b.append(": ").append(shorten(c.after()));
                } else if (c.before() != null) {
                    b.append(": ").append(shorten(c.before()));
                }
                b.append('\n');
                if (c.vocabulary() != null) {
                    VocabularyChange v = c.vocabulary();
                    b.append("      enum ").append(v.enumName()).append(": ").append(v.before()).append(" -> ")
                            .append(v.after());
                    if (!v.added().isEmpty()) {
                        b.append("; added ").append(String.join(", ", v.added()));
                    }
                    if (!v.removed().isEmpty()) {
                        b.append("; removed ").append(String.join(", ", v.removed()));
                    }
                    v.renamed().forEach((from, to) -> b.append("; ").append(from).append(" renamed to ")
                            .append(String.join(" / ", to)));
                    b.append('\n');
                }
                list(b, "generated code", c.generatedCode());
                list(b, "written by", c.writtenBy());
                list(b, "read by", c.readBy());
                list(b, "queries using it", c.queriesUsingIndex());
                for (String row : c.fieldMapping()) {
                    b.append("      ").append(row).append('\n');
                }
            }
        }
        for (DataRewrite r : dataRewrites) {
            b.append("  ").append(r.breaking() ? "BREAKING   " : "data       ").append("UPDATE at line ").append(r.line())
                    .append(" rewrites ").append(r.column()).append(" (").append(r.enumName()).append(")");
            if (!r.disappearing().isEmpty()) {
                b.append(": values that disappear: ").append(String.join(", ", r.disappearing()));
            }
            if (!r.written().isEmpty()) {
                b.append("; values written: ").append(String.join(", ", r.written()));
            }
            b.append('\n');
        }
        for (PlanChange p : plans) {
            b.append("  query plan: ").append(p.method()).append(" searched ").append(p.indexesBefore())
                    .append(", now ").append(p.indexesAfter().isEmpty() ? "no index" : p.indexesAfter()).append('\n');
        }
        b.append("\nHazards while it runs").append(sizesFrom == null ? " (sizes: give --url <live database>)"
                : " (sizes from " + sizesFrom + ")").append('\n');
        if (hazards.isEmpty()) {
            b.append("  none\n");
        }
        for (Hazard h : hazards) {
            b.append("  ").append(h.blocking() ? "BLOCKING " : "warning  ").append(h.kind()).append(" statement ")
                    .append(h.statement()).append(" (line ").append(h.line()).append("), ").append(h.lock())
                    .append(h.table() == null ? "" : " on " + h.table());
            if (h.rows() != null) {
                b.append(h.rows() < 0 ? ", rows unknown (never analyzed)" : ", ~" + h.rows() + " rows").append(", ")
                        .append(h.bytes() / 1024).append(" kB");
            }
            b.append("\n      ").append(h.why()).append("\n      safer: ").append(h.saferForm()).append('\n');
        }
        b.append("\nWhat to do next\n");
        for (int i = 0; i < nextSteps.size(); i++) {
            b.append("  ").append(i + 1).append(". ").append(nextSteps.get(i)).append('\n');
        }
        return b.toString();
    }

    private static void list(StringBuilder b, String label, List<String> items) {
        if (!items.isEmpty()) {
            b.append("      ").append(label).append(": ").append(String.join(", ", items)).append('\n');
        }
    }

    private static String shorten(String value) {
        if (value == null) {
            return "none";
        }
        String flat = value.strip().replaceAll("\\s+", " ");
        return "'" + (flat.length() > 120 ? flat.substring(0, 117) + "..." : flat) + "'";
    }

    /** {@return the one-line verdict, e.g. {@code BREAKING and HAZARDOUS: 3 changes (2 breaking), 2 blocking hazards}} */
    @com.fasterxml.jackson.annotation.JsonProperty("verdict")
    public String verdict() {
        long breakingChanges = changes.stream().filter(Change::breaking).count()
                + dataRewrites.stream().filter(DataRewrite::breaking).count();
        long blockingHazards = hazards.stream().filter(Hazard::blocking).count();
        String head = breaking && blocking ? "BREAKING and HAZARDOUS" : breaking ? "BREAKING" : blocking ? "HAZARDOUS"
                : "SAFE";
        return head + ": " + changes.size() + (changes.size() == 1 ? " change" : " changes") + " (" + breakingChanges
                + " breaking), " + hazards.size() + (hazards.size() == 1 ? " hazard" : " hazards") + " ("
                + blockingHazards + " blocking)";
    }

    /**
     * One structural difference and what it touches in the library.
     *
     * @param kind             object kind, e.g. {@code CONSTRAINT}
     * @param name             e.g. {@code users.users_role_check}
     * @param change           {@code MISSING} (the change removes it), {@code ADDED} or {@code CHANGED}
     * @param attribute        for CHANGED: what changed, e.g. {@code not null}
     * @param before           the snapshot's value (or null)
     * @param after            the value after the change (or null)
     * @param impact           {@code BREAKING}, {@code ADDITION} or {@code COMPATIBLE_CHANGE} (the verify rule)
     * @param breaking         whether code generated from the snapshot can fail after this change
     * @param generatedCode    generated classes and fields that change with it
     * @param vocabulary       the enum change, when a CHECK vocabulary changes
     * @param writtenBy        repository methods whose statements write the affected columns
     * @param readBy           repository methods whose statements read the affected columns
     * @param fieldMapping     field-mapping.csv rows of the affected columns, as in the file
     * @param queriesUsingIndex for an index: repository methods whose queries search it
     */
    public record Change(String kind, String name, String change, String attribute, String before, String after,
                         String impact, boolean breaking, List<String> generatedCode, VocabularyChange vocabulary,
                         List<String> writtenBy, List<String> readBy, List<String> fieldMapping,
                         List<String> queriesUsingIndex) {
        /**
         * Checks and copies the components.
         *
         * @param kind              object kind, e.g. {@code CONSTRAINT}
         * @param name              e.g. {@code users.users_role_check}
         * @param change            {@code MISSING} (the change removes it), {@code ADDED} or {@code CHANGED}
         * @param attribute         for CHANGED: what changed, e.g. {@code not null}
         * @param before            the snapshot's value (or null)
         * @param after             the value after the change (or null)
         * @param impact            {@code BREAKING}, {@code ADDITION} or {@code COMPATIBLE_CHANGE} (the verify rule)
         * @param breaking          whether code generated from the snapshot can fail after this change
         * @param generatedCode     generated classes and fields that change with it
         * @param vocabulary        the enum change, when a CHECK vocabulary changes
         * @param writtenBy         repository methods whose statements write the affected columns
         * @param readBy            repository methods whose statements read the affected columns
         * @param fieldMapping      field-mapping.csv rows of the affected columns, as in the file
         * @param queriesUsingIndex for an index: repository methods whose queries search it
         */
        public Change {
            generatedCode = List.copyOf(generatedCode);
            writtenBy = List.copyOf(writtenBy);
            readBy = List.copyOf(readBy);
            fieldMapping = List.copyOf(fieldMapping);
            queriesUsingIndex = List.copyOf(queriesUsingIndex);
        }
    }

    /**
     * A generated enum's values before and after.
     *
     * @param enumName qualified enum name
     * @param column   {@code table.column}
     * @param before   the values before the file, in the CHECK's order
     * @param after    the values after the file
     * @param added    values {@code after} has and {@code before} lacks
     * @param removed  values {@code before} has and {@code after} lacks
     * @param renamed  value that disappears -> values the file's UPDATE turns it into
     */
    public record VocabularyChange(String enumName, String column, List<String> before, List<String> after,
                                   List<String> added, List<String> removed, Map<String, List<String>> renamed) {
        /**
         * Checks and copies the components.
         *
         * @param enumName   qualified enum name
         * @param column     {@code table.column}
         * @param before     the values before the file, in the CHECK's order
         * @param after      the values after the file
         * @param added      values {@code after} has and {@code before} lacks
         * @param removed    values {@code before} has and {@code after} lacks
         * @param renamed    value that disappears -> values the file's UPDATE turns it into
         */
        public VocabularyChange {
            before = List.copyOf(before);
            after = List.copyOf(after);
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            renamed = Map.copyOf(renamed);
        }
    }

    /**
     * An UPDATE in the file that rewrites a vocabulary column.
     *
     * @param disappearing existing values no row holds afterwards (or that the new vocabulary refuses)
     * @param written      values the statement writes
     * @param breaking     whether it writes values the generated enum cannot read (then readers of the column fail)
     */
    public record DataRewrite(int statement, int line, String column, String enumName, List<String> disappearing,
                              List<String> written, boolean breaking, String sql) {
        /**
         * Checks and copies the components.
         *
         * @param statement    the record's {@code statement}
         * @param line         the record's {@code line}
         * @param column       the record's {@code column}
         * @param enumName     the record's {@code enumName}
         * @param disappearing existing values no row holds afterwards (or that the new vocabulary refuses)
         * @param written      values the statement writes
         * @param breaking     whether it writes values the generated enum cannot read (then readers of the column fail)
         * @param sql          the record's {@code sql}
         */
        public DataRewrite {
            disappearing = List.copyOf(disappearing);
            written = List.copyOf(written);
        }
    }

    /** A repository method whose queries searched indexes before the change that they no longer can. */
    public record PlanChange(String method, List<String> indexesBefore, List<String> indexesAfter) {
        /**
         * Checks and copies the components.
         *
         * @param method        the record's {@code method}
         * @param indexesBefore the record's {@code indexesBefore}
         * @param indexesAfter  the record's {@code indexesAfter}
         */
        public PlanChange {
            indexesBefore = List.copyOf(indexesBefore);
            indexesAfter = List.copyOf(indexesAfter);
        }
    }

    /**
     * What one statement does to a running database.
     *
     * @param kind      e.g. {@code CHECK_WITHOUT_NOT_VALID}
     * @param lock      the lock it takes, e.g. {@code ACCESS EXCLUSIVE}
     * @param why       what happens while it runs
     * @param rows      the table's estimated rows in the live database ({@code pg_class.reltuples}; -1: never
     *                  analyzed), or null without a live database
     * @param bytes     the table's total size in the live database ({@code pg_total_relation_size}), or null
     * @param blocking  whether reads or writes of the table wait while it runs
     * @param saferForm the statements to run instead
     */
    public record Hazard(String kind, int statement, int line, String sql, String table, String lock, String why,
                         Long rows, Long bytes, boolean blocking, String saferForm) {
    }
}
