package com.airesumereview.db.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.internal.QuietJooq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker behind {@link ArchitectureTest} finds violations planted in fixtures, and only those. */
class LayerRulesTest {

    @Test
    void findsImportsAndQualifiedNamesOfToolPackagesInCoreSources(@TempDir Path src) throws IOException {
        write(src, "com/airesumereview/db/Leaky.java", """
                package com.airesumereview.db;

                import com.airesumereview.db.cli.Main;
                import com.airesumereview.db.verification.SchemaVerifier;

                /** Mentions {@link com.airesumereview.db.provisioning.PostgresProvisioner} in a comment only. */
                public final class Leaky {
                    Object p = com.airesumereview.db.testing.TestUsers.class;   // a qualified name in code
                    String s = "com.airesumereview.db.codegen.CodeGenerator";     // a string is not a dependency
                }
                """);
        write(src, "com/airesumereview/db/repository/Repo.java", """
                package com.airesumereview.db.repository;
                import static com.airesumereview.db.audit.AuditEngine.withDefaults;
                final class Repo {}
                """);
        write(src, "com/airesumereview/db/cli/Tool.java", """
                package com.airesumereview.db.cli;
                import com.airesumereview.db.provisioning.PostgresProvisioner;   // tools may use tools
                final class Tool {}
                """);
        write(src, "com/airesumereview/db/internal/Helper.java", """
                package com.airesumereview.db.internal;
                import com.airesumereview.db.audit.AuditEngine;   // not core
                final class Helper {}
                """);

        List<String> found = LayerRules.toolReferencesInCore(src);

        assertThat(found).containsExactly(
                "com/airesumereview/db/Leaky.java: com.airesumereview.db.cli.Main",
                "com/airesumereview/db/Leaky.java: com.airesumereview.db.testing.TestUsers.class",
                "com/airesumereview/db/repository/Repo.java: com.airesumereview.db.audit.AuditEngine.withDefaults");
    }

    @Test
    void findsSpringInCoreSourcesButNotInInternalOnes(@TempDir Path src) throws IOException {
        write(src, "com/airesumereview/db/Glued.java", """
                package com.airesumereview.db;
                import org.springframework.transaction.PlatformTransactionManager;
                /** {@link org.springframework.jdbc.core.JdbcTemplate} in a comment only. */
                final class Glued {}
                """);
        write(src, "com/airesumereview/db/internal/SpringGlue.java", """
                package com.airesumereview.db.internal;
                import org.springframework.jdbc.datasource.DataSourceUtils;   // internal may
                final class SpringGlue {}
                """);
        write(src, "com/airesumereview/db/domain/Uses.java", """
                package com.airesumereview.db.domain;
                import com.airesumereview.db.spring.ResumeReviewDbProperties;   // the auto-configuration is a tool
                final class Uses {}
                """);

        assertThat(LayerRules.springReferencesInCore(src)).containsExactly(
                "com/airesumereview/db/Glued.java: org.springframework.transaction.PlatformTransactionManager");
        assertThat(LayerRules.toolReferencesInCore(src)).containsExactly(
                "com/airesumereview/db/domain/Uses.java: com.airesumereview.db.spring.ResumeReviewDbProperties");
    }

    @Test
    void findsUsesOfAnotherPackagesInternalButNotOfOnesOwnOrTheRootsShared(@TempDir Path src) throws IOException {
        write(src, "com/airesumereview/db/cli/Verify.java", """
                package com.airesumereview.db.cli;
                import com.airesumereview.db.verification.internal.LiveSchema;      // another package's internal
                import com.airesumereview.db.internal.Secrets;                      // the root's: shared plumbing
                import static com.airesumereview.db.repository.internal.Rules.text; // another's, statically
                /** {@link com.airesumereview.db.codegen.internal.EnumSource} in a comment only. */
                final class Verify {
                    Object o = com.airesumereview.db.audit.internal.Helper.class;   // a qualified name in code
                }
                """);
        write(src, "com/airesumereview/db/repository/internal/Impl.java", """
                package com.airesumereview.db.repository.internal;
                import com.airesumereview.db.repository.internal.Rules;   // its own
                import com.airesumereview.db.internal.Database;           // the root's
                final class Impl {}
                """);
        write(src, "com/airesumereview/db/verification/Verifier.java", """
                package com.airesumereview.db.verification;
                import com.airesumereview.db.verification.internal.LiveSchema;   // its own internal
                import com.airesumereview.db.spring.internal.PoolSettings;       // not its own
                final class Verifier {}
                """);

        assertThat(LayerRules.crossPackageInternalReferences(src)).containsExactly(
                "com/airesumereview/db/cli/Verify.java: com.airesumereview.db.verification.internal.LiveSchema",
                "com/airesumereview/db/cli/Verify.java: com.airesumereview.db.repository.internal.Rules.text",
                "com/airesumereview/db/cli/Verify.java: com.airesumereview.db.audit.internal.Helper.class",
                "com/airesumereview/db/verification/Verifier.java: com.airesumereview.db.spring.internal.PoolSettings");
    }

    @Test
    void findsInternalTypesInPublicSignaturesOnly() {
        List<String> found = LayerRules.internalTypesInPublicSignatures(Exposing.class);

        assertThat(found).containsExactlyInAnyOrder(
                "LayerRulesTest$Exposing.helper returns: com.airesumereview.db.internal.QuietJooq",
                "LayerRulesTest$Exposing.all returns: com.airesumereview.db.internal.QuietJooq",
                "LayerRulesTest$Exposing.<init> parameter: com.airesumereview.db.internal.QuietJooq",
                "LayerRulesTest$Exposing.field: com.airesumereview.db.internal.QuietJooq",
                "LayerRulesTest$Exposing$Nested.take parameter: com.airesumereview.db.internal.QuietJooq");
        assertThat(LayerRules.internalTypesInPublicSignatures(Hidden.class)).isEmpty();
    }

    @Test
    void classifiesPackages() {
        assertThat(LayerRules.isCore("com.airesumereview.db")).isTrue();
        assertThat(LayerRules.isCore("com.airesumereview.db.repository")).isTrue();
        assertThat(LayerRules.isCore("com.airesumereview.db.internal")).isFalse();
        assertThat(LayerRules.isInternal("com.airesumereview.db.internal")).isTrue();
        assertThat(LayerRules.isInternal("com.airesumereview.db.verification.internal")).isTrue();
        assertThat(LayerRules.isInternal("com.airesumereview.db.internalization")).isFalse();
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Fixture: a public type leaking an internal type through every kind of public member. */
    public static class Exposing {
        public QuietJooq field;
        QuietJooq packagePrivateField;

        public Exposing(QuietJooq q) {
            this.field = q;
        }

        public QuietJooq helper() {
            return field;
        }

        public List<? extends QuietJooq> all() {
            return List.of();
        }

        private QuietJooq hidden() {
            return packagePrivateField;
        }

        public static class Nested {
            public void take(QuietJooq q) {
            }
        }
    }

    /** Fixture: the same leak in a type that is not public is not a promise. */
    static class Hidden {
        public QuietJooq helper() {
            return null;
        }
    }
}
