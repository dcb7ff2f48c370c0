package com.airesumereview.db.verification;

import com.airesumereview.db.inspection.Difference;
import com.airesumereview.db.inspection.Impact;
import com.airesumereview.db.inspection.SchemaDifferences;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * How one live database compares with the bundled snapshot. JSON (as {@code verify --format json} prints it):
 * {@code {"database": ..., "differences": [...], "schema": "public", "summary": {...}, "verdict": "BREAKING"}}.
 * <pre>{@code
 * VerificationReport report = db.verifySchema();
 * if (report.verdict() == Verdict.BREAKING) {
 *     log.error("{}", report.render());
 * }
 * }</pre>
 *
 * @param database    the database, as a JDBC URL without credentials or parameters
 * @param schema      the schema compared, {@code public}
 * @param differences every difference, sorted by kind and name (see {@link SchemaDifferences})
 */
@JsonIgnoreProperties(value = {"verdict", "summary"}, allowGetters = true)
public record VerificationReport(String database, String schema, List<Difference> differences) {

    /**
     * Requires {@code database} and {@code schema}; keeps an unmodifiable copy of {@code differences}.
     *
     * @param database    the database, as a JDBC URL without credentials or parameters
     * @param schema      the schema compared, {@code public}
     * @param differences every difference; not null
     */
    public VerificationReport {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(schema, "schema");
        differences = List.copyOf(differences);
    }

    /**
     * The differences with the queries {@link SchemaDifferences} offers (breaking(), additions(), byKind()...).
     *
     * @return the differences, to query by impact or kind
     */
    @JsonIgnore
    public SchemaDifferences drift() {
        return new SchemaDifferences(differences);
    }

    /**
     * MATCHES without differences, BREAKING with any breaking one, else COMPATIBLE.
     *
     * @return the verdict; never null
     */
    @JsonProperty("verdict")
    public Verdict verdict() {
        if (differences.isEmpty()) {
            return Verdict.MATCHES;
        }
        return differences.stream().anyMatch(d -> d.impact() == Impact.BREAKING) ? Verdict.BREAKING
                : Verdict.COMPATIBLE;
    }

    /**
     * How many differences of each impact.
     *
     * @return the counts of breaking, compatible and added differences
     */
    @JsonProperty("summary")
    public Summary summary() {
        SchemaDifferences drift = drift();
        return new Summary(drift.breaking().size(), drift.compatibleChanges().size(), drift.additions().size());
    }

    /**
     * The verdict as one line, e.g. {@code verdict: BREAKING - 1 breaking, 0 compatible changes, 3 additions; ...}.
     *
     * @return the line, without a trailing newline
     */
    public String verdictLine() {
        Summary s = summary();
        String counts = s.breaking() + " breaking, " + plural(s.compatibleChanges(), "compatible change") + ", "
                + plural(s.additions(), "addition");
        switch (verdict()) {
            case MATCHES:
                return "verdict: MATCHES - " + database + " matches the bundled snapshot";
            case COMPATIBLE:
                return "verdict: COMPATIBLE - " + counts + "; code generated from the snapshot still works";
            default:
                return "verdict: BREAKING - " + counts + "; code generated from the snapshot may fail against this"
                        + " database";
        }
    }

    /**
     * The report for people: sections by impact, differences grouped by object kind, the verdict last.
     *
     * @return the report text, several lines
     */
    public String render() {
        return ReportText.render(this);
    }

    @Override
    public String toString() {
        return verdictLine();
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * Counts by impact.
     *
     * @param breaking          differences that may break the generated code
     * @param compatibleChanges differences it tolerates
     * @param additions         objects the snapshot does not know
     */
    public record Summary(int breaking, int compatibleChanges, int additions) {
    }
}
