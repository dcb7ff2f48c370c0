package com.airesumereview.db.cli;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.audit.AuditEngine;
import com.airesumereview.db.audit.AuditProgress;
import com.airesumereview.db.audit.AuditReport;
import com.airesumereview.db.internal.StableJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit}: reads every row through the library's mapping and lists the rows it cannot read. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Read every row of the eight mapped tables through the library's mapping; list the rows it cannot read.",
        description = "Reads users, refresh_tokens, file_uploads, analysis_requests, analysis_results, prompts,"
                + " prompt_history and schema_migrations row by row through the same row mapping the repositories"
                + " use, read-only (one connection, a REPEATABLE READ, READ ONLY transaction that is rolled back),"
                + " streamed with a cursor so large tables need little memory. Prints per table the rows read and"
                + " the rows that could not be mapped, each failure with its primary key and reason (password and"
                + " token hashes masked), then a one-line verdict. Progress goes to stderr.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0   every row reads into the domain model",
                "  1   at least one row cannot be mapped",
                "  2   usage error, or the database cannot be reached or read",
                "",
                "Example:",
                "  PGPASSWORD=... resume-review-db audit \\",
                "      --url postgresql://readonly@db:5432/ai_resume_review --format json > audit.json"})
final class AuditCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { TEXT, JSON }

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Report format on stdout (default: ${DEFAULT-VALUE}); progress goes to stderr.")
    private Format format;

    @Option(names = "--list", paramLabel = "N", defaultValue = "20",
            description = "Failed rows listed per table (default: ${DEFAULT-VALUE}); all are counted.")
    private int failuresListed;

    @Option(names = "--progress-every", paramLabel = "ROWS", defaultValue = "100000",
            description = "A progress line every this many rows of a table (default: ${DEFAULT-VALUE}).")
    private long progressEvery;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        DatabaseUrl url = connection.resolve(main.environment());
        Progress progress = new Progress(spec.commandLine().getErr());
        if (failuresListed < 0 || failuresListed > 10_000) {
            throw new ParameterException(spec.commandLine(), "--list must be 0..10000, was " + failuresListed);
        }
        if (progressEvery < 1) {
            throw new ParameterException(spec.commandLine(), "--progress-every must be positive, was " + progressEvery);
        }
        AuditEngine engine = AuditEngine.builder().failuresListed(failuresListed).progressEvery(progressEvery)
                .progress(p -> progress.step(line(p))).build();
        AuditReport report = engine.audit(url);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == Format.JSON ? StableJson.write(report) : report.render());
        out.flush();
        return report.isClean() ? Main.OK : Main.FINDING;
    }

    private static String line(AuditProgress p) {
        return p.table() + ": " + (p.tableDone() ? "done, " : "") + p.rowsRead() + " rows read"
                + (p.failedRows() > 0 ? ", " + p.failedRows() + " failed" : "");
    }
}
