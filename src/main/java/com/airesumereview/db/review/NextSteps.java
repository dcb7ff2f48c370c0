package com.airesumereview.db.review;

import com.airesumereview.db.review.ReviewReport.Change;
import com.airesumereview.db.review.ReviewReport.DataRewrite;
import com.airesumereview.db.review.ReviewReport.Hazard;
import com.airesumereview.db.review.ReviewReport.PlanChange;
import com.airesumereview.db.review.ReviewReport.VocabularyChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The order that keeps the running Java services (this library's released version) and the Python service working
 * while the change goes out, and the commands of each step.
 */
final class NextSteps {
    private static final String SNAPSHOT = "resume-review-db snapshot --out schema/V<n>__<what>.sql --url <staging"
            + " database with the change applied>";
    private static final String CODEGEN = "mvn -B -Pcodegen process-classes";
    private static final String TESTS = "mvn -B verify";
    private static final String VERIFY = "resume-review-db verify --url <production> --fail-on breaking";

    private NextSteps() {
    }

    static List<String> of(List<Change> changes, List<DataRewrite> rewrites, List<PlanChange> plans,
                           List<Hazard> hazards, String file) {
        List<String> steps = new ArrayList<>();
        List<VocabularyChange> vocabularies = changes.stream().map(Change::vocabulary).filter(Objects::nonNull).toList();
        boolean breaking = changes.stream().anyMatch(Change::breaking) || rewrites.stream().anyMatch(DataRewrite::breaking);
        for (VocabularyChange v : vocabularies) {
            List<String> union = new ArrayList<>(v.before());
            v.after().stream().filter(x -> !union.contains(x)).forEach(union::add);
            if (!v.added().isEmpty()) {
                steps.add("Expand " + v.column() + " first: a CHECK that allows both vocabularies (" + String.join(", ",
                        union) + "), added NOT VALID then validated; capture it (" + SNAPSHOT + "), regenerate ("
                        + CODEGEN + ": " + simple(v.enumName()) + " gains " + String.join(", ", v.added()) + "), run "
                        + TESTS + ", release the library and deploy every Java service; make the Python service accept"
                        + " the new values too.");
            }
            if (!v.removed().isEmpty()) {
                steps.add("Only then rewrite the data (" + v.column() + ": " + String.join(", ", v.removed())
                        + (v.renamed().isEmpty() ? "" : " -> " + String.join(", ", v.renamed().values().stream()
                        .flatMap(List::stream).distinct().toList())) + ") in batches, each its own"
                        + " transaction, and stop every service writing " + String.join(", ", v.removed())
                        + " before the contracting CHECK is added.");
                steps.add("Contract: the CHECK with only " + String.join(", ", v.after()) + " (NOT VALID, then"
                        + " VALIDATE CONSTRAINT); capture and regenerate again (" + simple(v.enumName()) + " loses "
                        + String.join(", ", v.removed().stream().map(x -> simple(v.enumName()) + "."
                        + com.airesumereview.db.codegen.Vocabularies.constantName(x)).toList())
                        + ": the compiler lists every use to replace), test, release.");
            }
        }
        List<Change> removals = changes.stream().filter(Change::breaking).filter(c -> c.vocabulary() == null).toList();
        if (!removals.isEmpty()) {
            steps.add("Before applying " + file + " to production: release code that works with the structure both"
                    + " before and after it (" + String.join("; ", removals.stream().map(c -> c.kind().toLowerCase()
                    + " " + c.name() + (c.attribute() == null ? "" : " " + c.attribute())).toList())
                    + "), for the repository methods listed above and for the Python service.");
        }
        if (!plans.isEmpty()) {
            steps.add("Keep or replace the indexes the repositories' queries search (" + String.join("; ",
                    plans.stream().map(p -> p.method() + " used " + p.indexesBefore()).toList())
                    + "): without them these queries scan the whole table.");
        }
        if (hazards.stream().anyMatch(Hazard::blocking)) {
            steps.add("Rewrite the hazardous statements in their safer form (listed with each hazard) and review the"
                    + " file again.");
        }
        if (steps.isEmpty()) {
            steps.add("Nothing breaks the released library: apply " + file + " to production (with lock_timeout).");
        }
        List<String> newColumns = changes.stream().filter(c -> c.kind().equals("COLUMN") && c.change().equals("ADDED"))
                .map(Change::name).toList();
        if (!newColumns.isEmpty()) {
            steps.add("Add a field-mapping.csv row for " + String.join(", ", newColumns) + " (entity, domain field,"
                    + " table, column, strategy, note) after regenerating; the contract test names every column"
                    + " without one.");
        }
        steps.add("After it is applied: " + SNAPSHOT + "; " + CODEGEN + "; " + TESTS + (breaking
                ? " (the compiler and the tests show every place to change)" : "") + "; then " + VERIFY + ".");
        return steps;
    }

    private static String simple(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }
}
