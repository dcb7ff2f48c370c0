package com.airesumereview.db.cli;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.inspection.SnapshotCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code snapshot}: captures a live structure as Flyway-ready SQL. */
@Command(name = "snapshot",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Capture a live database's structure as Flyway-ready SQL.",
        description = "Reads the database's schema public read-only and writes SQL that recreates it in an empty"
                + " database (for schema/, name it V<n>__<description>.sql). Deterministic: no timestamps, objects"
                + " sorted, so the same structure always gives byte-identical files. Written to a temporary file"
                + " beside FILE and moved into place, so FILE is never half written.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0   the file was written",
                "  2   usage error, FILE exists (without --force), or the database",
                "      cannot be reached or read",
                "",
                "Example:",
                "  resume-review-db snapshot --out schema/V3__production_v1_1.sql \\",
                "      --url postgresql://readonly@db:5432/ai_resume_review"})
final class SnapshotCommand implements Callable<Integer> {
    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The SQL file to write.")
    private Path out;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    private boolean force;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path file = out.toAbsolutePath().normalize();
        refuseToOverwrite(file);
        if (!Files.isDirectory(file.getParent())) {
            throw new CommandFailedException("directory " + file.getParent() + " does not exist");
        }
        DatabaseUrl url = connection.resolve(main.environment());
        Progress progress = new Progress(spec.commandLine().getErr());
        SnapshotCapture.Snapshot snapshot = SnapshotCapture.capture(url, progress::step);
        SchemaModel model = snapshot.model();
        String sql = snapshot.sql();
        write(file, sql);
        spec.commandLine().getOut().println("wrote " + file + " (" + sql.getBytes(StandardCharsets.UTF_8).length
                + " bytes, " + model.tables().size() + " tables)");
        return Main.OK;
    }

    private void refuseToOverwrite(Path file) {
        if (Files.exists(file) && !force) {
            throw new CommandFailedException(file + " exists; pass --force to overwrite it");
        }
    }

    private void write(Path file, String sql) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".partial");
        try {
            Files.writeString(temporary, sql, StandardCharsets.UTF_8);
            // Checked again: the file may have appeared while the database was read.
            refuseToOverwrite(file);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new CommandFailedException("cannot move " + temporary + " to " + file
                        + " atomically on this file system: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
