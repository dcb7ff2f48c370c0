package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README quotes no reliability figure that the committed summary does not hold. The summary
 * ({@code docs/reliability/summary.json} and {@code .md}) is what the reliability tests wrote to
 * {@code target/reliability/}, copied by {@code bash .ci/update-reliability-figures}; this test fails when
 * <ul>
 *   <li>{@code summary.md} is not the rendering of {@code summary.json} (someone edited a figure by hand);</li>
 *   <li>the README's table between the {@value #BEGIN} and {@value #END} markers is not {@code summary.md};</li>
 *   <li>the README's Reliability section has a number anywhere else outside code (a figure typed into prose).</li>
 * </ul>
 */
class ReadmeReliabilityFiguresTest {
    static final String BEGIN = "<!-- reliability-figures:begin (bash .ci/update-reliability-figures) -->";
    static final String END = "<!-- reliability-figures:end -->";

    private static Path project() {
        return Path.of(System.getProperty("resume-review-db.project-dir", "."));
    }

    @Test
    void theCommittedMarkdownIsTheRenderingOfTheCommittedJson() throws Exception {
        List<JsonNode> figures = new ArrayList<>();
        new ObjectMapper().readTree(project().resolve("docs/reliability/summary.json").toFile()).forEach(figures::add);
        assertThat(figures).as("figures in docs/reliability/summary.json").isNotEmpty();
        for (JsonNode f : figures) {
            for (String field : List.of("figure", "value", "seed", "machine", "date")) {
                assertThat(f.has(field)).as("%s has %s", f.get("figure"), field).isTrue();
            }
        }
        assertThat(Files.readString(project().resolve("docs/reliability/summary.md"), StandardCharsets.UTF_8))
                .as("docs/reliability/summary.md: copy target/reliability/summary.md, do not edit it")
                .isEqualTo(ReliabilityFigures.markdown(figures));
    }

    @Test
    void theReadmeQuotesTheCommittedSummaryAndNothingElse() throws Exception {
        String section = Files.readString(project().resolve("docs/reliability.md"), StandardCharsets.UTF_8);
        int begin = section.indexOf(BEGIN);
        int end = section.indexOf(END);
        assertThat(begin).as("docs/reliability.md has the marker " + BEGIN).isNotNegative();
        assertThat(end).as("docs/reliability.md has the marker " + END).isGreaterThan(begin);
        String quoted = section.substring(begin + BEGIN.length(), end).strip() + "\n";
        assertThat(quoted).as("docs/reliability.md table between the markers; run bash .ci/update-reliability-figures")
                .isEqualTo(Files.readString(project().resolve("docs/reliability/summary.md"), StandardCharsets.UTF_8));

        String prose = section.substring(0, begin) + section.substring(end + END.length());
        List<String> typedFigures = new ArrayList<>();
        boolean fenced = false;
        for (String line : prose.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced || line.startsWith("    ") || line.startsWith("\t")) {
                continue; // commands
            }
            String text = line.replaceAll("`[^`]*`", "") // code spans: names, commands
                    .replaceAll("PostgreSQL \\d+(\\s+(and|or)\\s+\\d+)?", "PostgreSQL") // versions, not figures
                    .replaceAll("\\]\\([^)]*\\)", "]"); // link targets
            if (java.util.regex.Pattern.compile("\\b\\d").matcher(text).find()) { // a number, not SLF4J
                typedFigures.add(line);
            }
        }
        assertThat(typedFigures).as("docs/reliability.md lines with a number outside the generated table and code;"
                + " figures belong in the summary the tests write").isEmpty();
    }

    /** From {@code heading} to the next level-2 heading. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("README has a section " + heading).isNotNegative();
        int next = markdown.indexOf("\n## ", start + heading.length() + 2);
        return markdown.substring(start + 1, next < 0 ? markdown.length() : next);
    }
}
