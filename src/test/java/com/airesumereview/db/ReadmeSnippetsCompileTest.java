package com.airesumereview.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md, CONTRIBUTING.md and the guides in docs/ is a complete source file
 * (imports included) that compiles, as printed, against the library and its test classpath. The blocks are found by their fence, so adding, removing or
 * rewriting a snippet needs no change here; each block's file name comes from its first top-level type.
 */
class ReadmeSnippetsCompileTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```");
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^(?:public\\s+|final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void everyJavaSnippetCompilesAsPrinted(@TempDir Path tmp) throws IOException {
        Path project = ProjectLayout.projectDir();
        List<String> blocks = javaBlocks(Files.readString(project.resolve("README.md")));
        assertThat(blocks).as("java blocks in README.md").hasSizeGreaterThanOrEqualTo(2);
        List<Path> guides = new ArrayList<>(List.of(project.resolve("CONTRIBUTING.md")));
        try (var docs = Files.list(project.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(guides::add);
        }
        for (Path guide : guides) {
            blocks.addAll(javaBlocks(Files.readString(guide)));
        }

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            Matcher type = TYPE.matcher(block);
            if (!type.find()) {
                failures.add("block " + (i + 1) + " declares no top-level type, so it cannot compile as printed:\n"
                        + block);
                continue;
            }
            // Each block alone (its own directory): a snippet must not lean on another one.
            Path dir = Files.createDirectories(tmp.resolve("block" + (i + 1)));
            Path source = dir.resolve(type.group(1) + ".java");
            Files.writeString(source, block);
            String errors = compile(source, dir);
            if (errors != null) {
                failures.add("block " + (i + 1) + " (" + type.group(1) + ") does not compile:\n" + errors);
            }
        }
        assertThat(failures).as("Java snippets of README.md, CONTRIBUTING.md and docs/").isEmpty();
    }

    @Test
    void aSnippetWithoutItsImportsIsCaught(@TempDir Path tmp) throws IOException {
        Path source = tmp.resolve("NoImports.java");
        Files.writeString(source, "class NoImports { ResumeReviewDbX db; UserRole role; }\n");

        assertThat(compile(source, tmp)).contains("cannot find symbol");
    }

    /** Compiler messages, or null when {@code source} compiled. */
    private static String compile(Path source, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int code = javac.run(null, messages, messages, "-proc:none", "-d", out.toString(),
                "-cp", testClassPath(), source.toString());
        return code == 0 ? null : messages.toString(StandardCharsets.UTF_8);
    }

    /** Surefire's full test class path (java.class.path may be a manifest-only jar). */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

}
