package com.airesumereview.db.cli;

import com.airesumereview.db.codegen.CodeGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code codegen}: the same generator as {@value CodeGenerator#COMMAND}. */
@Command(name = "codegen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Regenerate the jOOQ code and the bundled model from schema/.",
        description = "The same as " + CodeGenerator.COMMAND + ". Applies schema/ to a throwaway PostgreSQL 15"
                + " database (on the server named by RESUME_REVIEW_DB_SERVER_URL, else in Docker, else embedded),"
                + " writes the inspected model and runs jOOQ. Touches no other database.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0   code generated",
                "  2   usage error, or generation failed"})
final class CodegenCommand implements Callable<Integer> {
    @Option(names = "--project-dir", paramLabel = "DIR", defaultValue = ".",
            description = "The project holding schema/, codegen/ and src/ (default: the current directory).")
    private Path projectDir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Path project = projectDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(project.resolve("schema")) || !Files.isDirectory(project.resolve("codegen"))) {
            throw new CommandFailedException(project + " holds no schema/ and codegen/; pass --project-dir");
        }
        Progress progress = new Progress(spec.commandLine().getErr());
        CodeGenerator.Result result = new CodeGenerator(CodeGenerator.Options.forProject(project), progress::step)
                .generate();
        spec.commandLine().getOut().println("generated " + result.files().size() + " files and "
                + result.modelFile());
        return Main.OK;
    }
}
