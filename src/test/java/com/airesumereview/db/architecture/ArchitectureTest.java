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

    /**
     * Deliberate uses of another package's internal, each with its reason; anything else fails the build.
     * The entry point is the composition root: it builds the repositories' implementations. The audit reads every
     * row through the repositories' own mappings, so that it judges rows exactly as the service would read them.
     */
    private static final Set<String> KNOWN_INTERNAL_REFERENCES = Set.of(
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.PostgresAnalysisRepository",
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.ConstraintTranslator",
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.PostgresFileUploadRepository",
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.PostgresPromptRepository",
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.PostgresRefreshTokenRepository",
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.RowMappings",
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.PostgresSchemaMigrationRepository",
            "com/airesumereview/db/ResumeReviewDb.java: com.airesumereview.db.repository.internal.PostgresUserRepository",
            "com/airesumereview/db/audit/AuditEngine.java: com.airesumereview.db.repository.internal.RowMappings",
            "com/airesumereview/db/audit/AuditEngine.java: com.airesumereview.db.repository.internal.RowMappings.TableMapping");

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
    void noPackageUsesAnotherPackagesInternal() {
        List<String> found = LayerRules.crossPackageInternalReferences(mainSources());

        assertThat(found).as("a.b.internal is for a.b and its sub-packages only; found").isSubsetOf(KNOWN_INTERNAL_REFERENCES);
        assertThat(KNOWN_INTERNAL_REFERENCES).as("fixed violations to remove from KNOWN_INTERNAL_REFERENCES")
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
                "com.airesumereview.db.verification.SchemaVerifier", "com.airesumereview.db.audit.AuditEngine",
                "com.airesumereview.db.codegen.CodeGenerator", "com.airesumereview.db.testing.SnapshotDatabaseExtension",
                "com.airesumereview.db.provisioning.PostgresProvisioner", "com.airesumereview.db.inspection.SchemaInspector",
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
