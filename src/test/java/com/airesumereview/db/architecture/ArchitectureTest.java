package com.airesumereview.db.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of this library's own sources (see {@link LayerRules}); {@code LayerRulesTest} shows that each rule
 * catches a violation.
 */
class ArchitectureTest {
    /** Known violations waiting for a decision (none: the audit now takes a ResumeReviewDb, not the other way round). */
    private static final Set<String> KNOWN_TOOL_REFERENCES = Set.of();

    private static Path mainSources() {
        return ProjectLayout.projectDir().resolve("src/main/java");
    }

    @Test
    void corePackagesDoNotDependOnToolPackages() {
        List<String> found = LayerRules.toolReferencesInCore(mainSources());

        assertThat(found).as("core packages %s must not use tool packages %s; found", LayerRules.CORE, LayerRules.TOOLS)
                .isSubsetOf(KNOWN_TOOL_REFERENCES);
        assertThat(KNOWN_TOOL_REFERENCES).as("fixed violations to remove from KNOWN_TOOL_REFERENCES")
                .isSubsetOf(found);
    }

    @Test
    void corePackagesDoNotDependOnSpring() {
        assertThat(LayerRules.springReferencesInCore(mainSources()))
                .as("core packages %s must reach Spring only through internal packages; found", LayerRules.CORE)
                .isEmpty();
    }

    @Test
    void publicApiSignaturesExposeNoInternalType() throws ClassNotFoundException {
        List<String> found = new ArrayList<>();
        List<String> types = LayerRules.apiTypeNames(mainSources());
        for (String name : types) {
            found.addAll(LayerRules.internalTypesInPublicSignatures(Class.forName(name)));
        }

        assertThat(types).as("API types scanned").contains("com.airesumereview.db.ResumeReviewDb",
                "com.airesumereview.db.spring.ResumeReviewDbAutoConfiguration",
                "com.airesumereview.db.spring.ResumeReviewDbHealthIndicator");
        assertThat(found).as("public members of public API types must not mention internal types").isEmpty();
    }

    @Test
    void everyInternalPackageSaysItCarriesNoCompatibilityPromise() throws Exception {
        List<Path> internalDirs;
        try (Stream<Path> dirs = Files.walk(mainSources())) {
            internalDirs = dirs.filter(Files::isDirectory).filter(d -> d.getFileName().toString().equals("internal"))
                    .toList();
        }

        assertThat(internalDirs).isNotEmpty().allSatisfy(dir -> assertThat(dir.resolve("package-info.java"))
                .as("package-info of %s", dir).content().contains("no compatibility promise"));
    }
}
