package com.airesumereview.db.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.testing.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/ddl-workflow.md is what {@code review} prints today: its change is the corpus's role
 * rewrite, and its report is the one the reviewer renders for it (the live table sizes, which come from the
 * stand-in database the guide names, left out of the comparison).
 */
class DdlWorkflowGuideTest {
    private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REPORT = Pattern.compile("(review of change\\.sql.*?)\\n\\$ echo", Pattern.DOTALL);

    @Test
    void theGuidesWorkedExampleIsTheReportOfItsChange() throws Exception {
        Path project = ProjectLayout.projectDir();
        String guide = Files.readString(project.resolve("docs/ddl-workflow.md"));
        Matcher sql = SQL_BLOCK.matcher(guide);
        Matcher printed = REPORT.matcher(guide);
        assertThat(sql.find()).as("an sql block in the guide").isTrue();
        assertThat(printed.find()).as("the report in the guide").isTrue();
        String corpus = Files.readString(project.resolve("src/test/resources/ddl-review/role-vocabulary-rewrite.sql"));
        assertThat(sql.group(1).strip()).as("the guide's change is the corpus's role rewrite")
                .isEqualTo(String.join("\n", corpus.lines().filter(l -> !l.startsWith("-- expect ")).toList()).strip());

        String report;
        try (PostgresProvisioner postgres = PostgresProvisioner.start()) {
            report = DdlReviewer.on(postgres).review(DdlScript.parse("change.sql", sql.group(1)), null).render();
        }

        assertThat(withoutSizes(report)).isEqualTo(withoutSizes(printed.group(1)));
    }

    private static List<String> withoutSizes(String text) {
        return text.strip().lines().map(l -> l.replaceAll(", ~\\d+ rows, \\d+ kB", "")
                .replaceAll("^(Hazards while it runs) \\(.*\\)$", "$1")).toList();
    }
}
