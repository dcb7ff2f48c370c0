package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as an operator runs it. Runs under Failsafe in {@code mvn verify}, after {@code package} has
 * built target/resume-review-db-cli.jar from this very build.
 */
class CliJarIT {
    private static final String SECRET = "Jar-S3cret-7";

    @Test
    void jarReportsAnUnreachableServerInOneLineWithoutThePassword() throws Exception {
        Path jar = ProjectLayout.projectDir().resolve("target/resume-review-db-cli.jar");
        assertThat(jar).as("the CLI jar built by mvn package").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "verify",
                "--url", "postgresql://app:" + SECRET + "@127.0.0.1:1/prod")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isEqualTo(Main.ERROR);
        assertThat(output).isEqualTo("error: cannot connect to jdbc:postgresql://127.0.0.1:1/prod: Connection refused\n");
    }

    @Test
    void jarPrintsItsVersionFromTheMavenDescriptor() throws IOException, InterruptedException {
        Path jar = ProjectLayout.projectDir().resolve("target/resume-review-db-cli.jar");
        assertThat(jar).as("the CLI jar built by mvn package").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--version")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("resume-review-db 0.").doesNotContain("unknown");
    }
}
