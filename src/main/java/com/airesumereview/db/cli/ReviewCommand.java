package com.airesumereview.db.cli;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.review.DdlReviewer;
import com.airesumereview.db.review.DdlScript;
import com.airesumereview.db.review.ReviewReport;
import com.airesumereview.db.review.TableSizes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code review}: a proposed DDL change, judged before it runs. */
@Command(name = "review",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Review a DDL change before it reaches production.",
        description = "Applies FILE statement by statement to a throwaway database built from the bundled snapshot"
                + " (as a schema owner without superuser rights; never to the live database), compares the structure"
                + " before and after, and prints per change whether it breaks the library and what it touches"
                + " (generated classes, vocabulary enums, repository methods, field-mapping.csv rows, indexes the"
                + " queries search), the lock and rewrite hazards of each statement with its safer form, and what"
                + " to do next. --url only reads the live database's size statistics.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0   nothing breaking and no blocking hazard",
                "  1   a breaking change or a blocking hazard",
                "  2   the file does not apply (statement, line and the server's message),",
                "      is empty or not SQL, needs a superuser, or a usage error",
                "",
                "Example:",
                "  resume-review-db review --ddl change.sql --url postgresql://readonly@db:5432/ai_resume_review"})
final class ReviewCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { TEXT, JSON }

    @Option(names = "--ddl", required = true, paramLabel = "FILE", description = "The SQL file to review (UTF-8).")
    private Path ddl;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Report format on stdout (default: ${DEFAULT-VALUE}); progress goes to stderr.")
    private Format format;

    @Option(names = "--url", paramLabel = "URL",
            description = "Live database whose size statistics (pg_class.reltuples, pg_total_relation_size) the"
                    + " hazards quote; read-only, nothing else is read. Password from the URL or PGPASSWORD.")
    private String url;

    @Option(names = "--server", paramLabel = "URL",
            description = "Create the throwaway database on this server (the user needs CREATEDB and CREATEROLE)"
                    + " instead of an embedded PostgreSQL 15.")
    private String server;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        DdlScript script = DdlScript.parse(ddl.getFileName().toString(), read(ddl));
        Progress progress = new Progress(spec.commandLine().getErr());
        TableSizes sizes = null;
        if (url != null) {
            progress.step("reading table sizes from the live database (read-only)");
            sizes = TableSizes.read(ConnectionOptions.withEnvironmentPassword(url, main.environment()), "public");
        }
        ReviewReport report;
        try (PostgresProvisioner provisioner = ConnectionOptions.throwawayServer(server,
                main.environment())) {
            report = DdlReviewer.on(provisioner).withProgress(progress::step).review(script, sizes);
        }
        String text;
        try {
            text = format == Format.JSON ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report) + "\n" : report.render();
        } catch (IOException e) {
            throw new CommandFailedException("writing the report as JSON failed: " + e.getMessage());
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return report.breaking() || report.blocking() ? Main.FINDING : Main.OK;
    }

    private static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CommandFailedException("--ddl: " + file + " is not a readable file");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new CommandFailedException("--ddl: " + file + " is not SQL text (it holds NUL bytes)");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new CommandFailedException("--ddl: " + file + " is not SQL text (not valid UTF-8)");
        } catch (IOException e) {
            throw new CommandFailedException("--ddl: cannot read " + file + ": " + e.getMessage());
        }
    }
}
