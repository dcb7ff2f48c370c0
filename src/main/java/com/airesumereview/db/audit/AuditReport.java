package com.airesumereview.db.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of an audit: for each mapped table, how many rows were read and which could not be mapped.
 * <pre>{@code
 * AuditReport report = AuditEngine.withDefaults().audit(dataSource);
 * if (!report.isClean()) { log.warn(report.render()); }
 * }</pre>
 *
 * @param database       where it ran, as a JDBC URL without credentials or parameters (safe to print)
 * @param tables         one entry per mapped table, parents before children
 * @param failuresListed at most this many failures are listed per table (all are counted)
 * @param findings       rows that map but break an invariant of production's rows (see {@link InvariantFinding}),
 *                       at most {@code failuresListed} per invariant
 */
public record AuditReport(String database, List<TableAudit> tables, int failuresListed, List<InvariantFinding> findings) {
    /**
     * Copies {@code tables} and {@code findings} into unmodifiable lists.
     *
     * @param database       where it ran, as a JDBC URL without credentials or parameters; not null
     * @param tables         one entry per mapped table, parents before children; copied, no null elements
     * @param failuresListed at most this many failures are listed per table (all are counted)
     * @param findings       rows that map but break an invariant of production's rows; copied, no null elements
     */
    public AuditReport {
        Objects.requireNonNull(database, "database");
        tables = List.copyOf(tables);
        findings = List.copyOf(findings);
    }

    /**
     * A report without invariant findings.
     *
     * @param database       where it ran, as a JDBC URL without credentials or parameters; not null
     * @param tables         one entry per mapped table, parents before children; copied, no null elements
     * @param failuresListed at most this many failures are listed per table (all are counted)
     */
    public AuditReport(String database, List<TableAudit> tables, int failuresListed) {
        this(database, tables, failuresListed, List.of());
    }

    /**
     * Whether some row breaks an invariant of production's rows (it still maps).
     *
     * @return true when {@link #findings()} is not empty; {@link #isClean()} does not look at findings
     */
    @JsonIgnore
    public boolean hasFindings() {
        return !findings.isEmpty();
    }

    /**
     * Whether every row of every table mapped.
     *
     * @return true when {@link #failedRows()} is 0, whatever the invariant findings
     */
    @JsonProperty("clean")
    public boolean isClean() {
        return failedRows() == 0;
    }

    /**
     * Rows read over all tables.
     *
     * @return the sum of each table's rows read, failed ones included
     */
    @JsonProperty("rowsRead")
    public long rowsRead() {
        return tables.stream().mapToLong(TableAudit::rowsRead).sum();
    }

    /**
     * Rows that could not be mapped, over all tables.
     *
     * @return the sum of each table's failed rows, counted even beyond {@code failuresListed}
     */
    @JsonProperty("failedRows")
    public long failedRows() {
        return tables.stream().mapToLong(TableAudit::failedRows).sum();
    }

    /**
     * One line: CLEAN or FAILED with the counts.
     *
     * @return "CLEAN - all N rows of M tables ..." or "FAILED - F of N rows ..."
     */
    @JsonIgnore
    public String verdict() {
        return isClean()
                ? "CLEAN - all " + rowsRead() + " rows of " + tables.size() + " tables read into the domain model"
                : "FAILED - " + failedRows() + " of " + rowsRead() + " rows cannot be read by the library";
    }

    /**
     * The report as text: a table of counts, the listed failures and invariant findings, the verdict.
     *
     * @return several lines naming tables and primary keys, never credentials, ending with the verdict line
     */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("Audit of ").append(database)
                .append(" (read-only, one REPEATABLE READ snapshot, every row through the library's mapping)\n\n");
        b.append(String.format(Locale.ROOT, "  %-20s %12s %10s%n", "table", "rows read", "failed"));
        for (TableAudit t : tables) {
            b.append(String.format(Locale.ROOT, "  %-20s %12d %10d%n", t.table(), t.rowsRead(), t.failedRows()));
        }
        b.append(String.format(Locale.ROOT, "  %-20s %12d %10d%n", "total", rowsRead(), failedRows()));
        if (!isClean()) {
            b.append("\nRows that cannot be mapped (first ").append(failuresListed).append(" per table):\n");
            for (TableAudit t : tables) {
                for (RowFailure f : t.failures()) {
                    b.append("  ").append(t.table()).append(' ').append(f.primaryKey()).append(": ")
                            .append(f.reason()).append('\n');
                }
                if (t.failedRows() > t.failures().size()) {
                    b.append("  ").append(t.table()).append(": ").append(t.failedRows() - t.failures().size())
                            .append(" more not listed\n");
                }
            }
        }
        if (hasFindings()) {
            b.append("\nRows that break an invariant of production's rows (first ").append(failuresListed)
                    .append(" per invariant; correct them, the library relies on them):\n");
            for (InvariantFinding f : findings) {
                b.append("  ").append(f.table()).append(' ').append(f.primaryKey()).append(": ").append(f.invariant())
                        .append('\n');
            }
        }
        b.append("\nverdict: ").append(verdict()).append('\n');
        return b.toString();
    }
}
