package com.airesumereview.db.cli;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.inspection.LiveSchema;
import com.airesumereview.db.verification.SchemaVerifier;
import com.airesumereview.db.internal.StableJson;
import com.airesumereview.db.verification.Verdict;
import com.airesumereview.db.verification.VerificationReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code verify}: compares a live database with the bundled snapshot. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Compare a live database with the snapshot the code was generated from.",
        description = "Reads the database's schema public read-only (one connection, a READ ONLY transaction"
                + " that is rolled back) and compares it with the snapshot bundled in this jar. Prints every"
                + " difference grouped by impact (breaking changes, compatible changes, additions: objects the"
                + " snapshot does not know) and by object kind, naming what the snapshot expects and what the"
                + " database has, then a one-line verdict.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0   no differences (with --fail-on breaking: no breaking one)",
                "  1   differences found; with the default --fail-on any, additions",
                "      and compatible changes count too",
                "  2   usage error, or the database cannot be reached or read",
                "",
                "Example:",
                "  PGPASSWORD=... resume-review-db verify \\",
                "      --url postgresql://readonly@db:5432/ai_resume_review"})
final class VerifyCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { TEXT, JSON }

    /** Which differences make the exit code 1. */
    enum FailOn { ANY, BREAKING }

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Report format on stdout (default: ${DEFAULT-VALUE}); progress goes to stderr.")
    private Format format;

    @Option(names = "--fail-on", paramLabel = "any|breaking", defaultValue = "any",
            description = "Which differences give exit code 1 (default: ${DEFAULT-VALUE}): any difference, or"
                    + " only those that break code generated from the snapshot.")
    private FailOn failOn;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        DatabaseUrl url = connection.resolve(main.environment());
        Progress progress = new Progress(spec.commandLine().getErr());
        LiveSchema live = LiveSchema.read(url, progress::step);
        SchemaModel model = live.model();
        progress.step("read " + model.tables().size() + " tables, " + model.constraints().size() + " constraints, "
                + model.indexes().size() + " indexes, " + model.triggers().size() + " triggers, "
                + model.functions().size() + " functions; comparing with the bundled snapshot");
        VerificationReport report = SchemaVerifier.againstBundledSnapshot().compare(live);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == Format.JSON ? StableJson.write(report) : report.render());
        out.flush();
        boolean finding = failOn == FailOn.ANY ? report.verdict() != Verdict.MATCHES
                : report.verdict() == Verdict.BREAKING;
        return finding ? Main.FINDING : Main.OK;
    }
}
