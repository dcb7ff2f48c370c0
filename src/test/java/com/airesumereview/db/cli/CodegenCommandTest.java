package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator itself is covered by GeneratedCodeIsCurrentTest; here only what the command adds. */
class CodegenCommandTest {

    @Test
    void directoryWithoutSchemaIsAOneLineErrorNamingTheOption(@TempDir Path empty) {
        Cli.Run run = Cli.run("codegen", "--project-dir", empty.toString());

        assertThat(run.exitCode()).isEqualTo(Main.ERROR);
        assertThat(run.err()).isEqualTo("error: " + empty.toAbsolutePath().normalize()
                + " holds no schema/ and codegen/; pass --project-dir\n");
        assertThat(run.out()).isEmpty();
    }
}
