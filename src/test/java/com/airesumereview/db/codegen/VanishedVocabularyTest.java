package com.airesumereview.db.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CHECK vocabulary listed in codegen/ that disappears from schema/ is named in codegen's output, with the reason,
 * instead of its enum silently not being generated.
 */
class VanishedVocabularyTest {

    @Test
    void namesEachEnumThatIsGoneAndWhy(@TempDir Path tmp) throws IOException {
        Path project = ProjectLayout.projectDir();
        Path schema = Files.createDirectories(tmp.resolve("schema"));
        try (Stream<Path> files = Files.list(project.resolve("schema"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).toList()) {
                Files.copy(f, schema.resolve(f.getFileName()));
            }
        }
        // The DDL changes of the issue: users.role loses its CHECK; prompts.prompt_type goes away.
        Files.writeString(schema.resolve("V90__vocabularies_gone.sql"), """
                ALTER TABLE public.users DROP CONSTRAINT users_role_check;
                ALTER TABLE public.prompts DROP COLUMN prompt_type;
                """);
        CodeGenerator.Options options = new CodeGenerator.Options(schema, project.resolve("codegen"),
                tmp.resolve("out"), tmp.resolve("out"));
        List<String> lines = new ArrayList<>();

        CodeGenerator.Result result = new CodeGenerator(options, lines::add).generate();

        assertThat(result.vocabularies()).extracting(CodeGenerator.GeneratedEnum::enumName)
                .doesNotContain("UserRole", "PromptType").contains("UploadStatus");
        assertThat(lines).filteredOn(l -> l.contains("GONE")).containsExactly(
                "      GONE: enum PromptType is not generated: public.prompts.prompt_type no longer exists (the column"
                        + " was dropped or renamed in schema/). Code using PromptType will not compile; adapt it, then"
                        + " remove the line public.prompts.prompt_type from " + project.resolve("codegen")
                        .resolve("vocabularies.properties"),
                "      GONE: enum UserRole is not generated: public.users.role has no CHECK constraint any more (it"
                        + " was dropped in schema/), so its values are no longer a closed list. Code using UserRole"
                        + " will not compile; adapt it, then remove the line public.users.role from "
                        + project.resolve("codegen").resolve("vocabularies.properties"));
    }
}
