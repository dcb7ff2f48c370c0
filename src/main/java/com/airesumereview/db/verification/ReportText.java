package com.airesumereview.db.verification;

import com.airesumereview.db.inspection.Change;
import com.airesumereview.db.inspection.Difference;
import com.airesumereview.db.inspection.ObjectKind;
import com.airesumereview.db.inspection.SchemaDifferences;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text form of a {@link VerificationReport}. Breaking changes come first and additions last, in their own
 * section, because an operator reads top-down and must not confuse "the database has more" with "the code breaks".
 */
final class ReportText {
    private static final int SHORT = 60;
    private static final int WHOLE_LIMIT = 1000;

    private ReportText() {
    }

    static String render(VerificationReport report) {
        StringBuilder out = new StringBuilder();
        out.append("database: ").append(report.database()).append(" (schema ").append(report.schema()).append(")\n");
        out.append("expected: the bundled snapshot (the structure the generated code was generated from)\n");
        SchemaDifferences drift = report.drift();
        section(out, drift.breaking(), "Breaking changes", "code generated from the snapshot may fail");
        section(out, drift.compatibleChanges(), "Compatible changes", "behaviour or performance may differ");
        section(out, drift.additions(), "Additions", "objects the snapshot does not know; the generated code"
                + " ignores them");
        out.append('\n').append(report.verdictLine()).append('\n');
        return out.toString();
    }

    // A changed CHECK or foreign key is read whole (PostgreSQL may print the same vocabulary two ways, so the
    // first differing character is not where the change is); function bodies stay shortened.
    private static boolean showWhole(Difference d) {
        return d.change() == Change.CHANGED && d.expected() != null && d.actual() != null
                && (d.expected().length() > SHORT || d.actual().length() > SHORT)
                && d.expected().length() <= WHOLE_LIMIT && d.actual().length() <= WHOLE_LIMIT;
    }

    private static String oneLine(String value) {
        return value.strip().replaceAll("\\s+", " ");
    }

    private static void section(StringBuilder out, List<Difference> differences, String title, String meaning) {
        if (differences.isEmpty()) {
            return;
        }
        out.append('\n').append(title).append(" (").append(differences.size()).append("): ").append(meaning)
                .append('\n');
        Map<ObjectKind, List<Difference>> byKind = new SchemaDifferences(differences).byKind();
        byKind.forEach((kind, list) -> {
            out.append("  ").append(kind.name().toLowerCase(Locale.ROOT)).append(":\n");
            // The section names the impact and the group the kind, so a line is name and detail only.
            for (Difference d : list) {
                out.append("    ").append(d.name()).append(' ');
                if (showWhole(d)) {
                    out.append(d.attribute()).append(":\n")
                            .append("      snapshot expects: ").append(oneLine(d.expected())).append('\n')
                            .append("      database has:     ").append(oneLine(d.actual())).append('\n');
                } else {
                    out.append(d.detail()).append('\n');
                }
            }
        });
    }
}
