package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.ProjectLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The README's first command on a machine without a server: stdout holds only the demo's own lines, stderr
     * only its progress lines; nothing from embedded PostgreSQL (initdb, pg_ctl), Flyway or jOOQ.
     */
    @Test
    void demoPrintsOnlyItsOwnLines() throws Exception {
        Output run = runJar("demo");

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<String> outLines = run.out.lines().toList();
        assertThat(outLines).as(run.toString()).isNotEmpty().allSatisfy(line -> assertThat(line)
                .matches("(PostgreSQL   |database     |cleanup      |demo: | ?\\d\\d?\\. [a-z]+ +|                 ).*"));
        assertThat(run.err.lines().toList()).as(run.toString()).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("\\[ *\\d+\\.\\d s\\] .*"));
        assertThat(run.out + run.err).as(run.toString())
                .doesNotContain(" INFO ", "io.zonky", "initdb", "org.flywaydb", "org.jooq", "jOOQ");
    }

    /** {@code --verbose} brings the libraries' INFO logs back (on stderr; stdout stays the result). */
    @Test
    void verboseDemoShowsTheLibrariesLogsOnStderr() throws Exception {
        List<String> args = new ArrayList<>(List.of("--verbose", "demo"));
        String server = System.getenv("RESUME_REVIEW_DB_SERVER_URL");
        if (server != null && !server.isBlank()) {
            args.addAll(List.of("--url", server));   // cheaper than a second embedded start
        }

        Output run = runJar(args.toArray(String[]::new));

        assertThat(run.exitCode).as(run.toString()).isZero();
        // Flyway's INFO lines are the third-party chatter the demo has; jOOQ executes nothing in it any more (the
        // repositories run their statements with JDBC), so it has nothing to log.
        assertThat(run.err).as(run.toString()).contains(" INFO org.flywaydb");
        assertThat(run.out).as(run.toString()).doesNotContain(" INFO ");
    }

    private static Output runJar(String... args) throws IOException, InterruptedException {
        Path jar = ProjectLayout.projectDir().resolve("target/resume-review-db-cli.jar");
        assertThat(jar).as("the CLI jar built by mvn package").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("finished in time").isTrue();
            return new Output(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private record Output(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
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
