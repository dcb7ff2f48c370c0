package com.airesumereview.db.cli;

import com.airesumereview.db.internal.Secrets;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line: {@code java -jar resume-review-db-cli.jar <command> ...}. Each command is a thin front end
 * on an engine the library also offers as Java API ({@code verify} and {@code snapshot} on
 * {@link com.airesumereview.db.verification}, {@code audit} on {@link com.airesumereview.db.audit.AuditEngine},
 * {@code codegen} on {@link com.airesumereview.db.codegen.CodeGenerator}; {@code demo} uses only the public
 * {@link com.airesumereview.db.ResumeReviewDb} API).
 *
 * <p>Errors are one line on stderr ({@code error: ...}), never a stack trace and never a password; results go to
 * stdout and progress to stderr, so {@code verify --format json > report.json} holds only JSON.
 */
@Command(name = "resume-review-db",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {VerifyCommand.class, AuditCommand.class, SnapshotCommand.class, CodegenCommand.class,
                DemoCommand.class, ReviewCommand.class, AtlasCommand.class},
        description = "Tools for the resume review database: verify a live database against the snapshot the"
                + " code was generated from, audit that every row reads into the domain model, capture a new"
                + " snapshot, regenerate the code, or watch a demo on an embedded database. Run"
                + " 'resume-review-db COMMAND --help' for a command's options.",
        footerHeading = "%nExit codes (every command):%n",
        footer = {"  0   success, nothing to report",
                "  1   a finding (verify: the database differs from the snapshot; audit: a row cannot be",
                "      mapped; demo: a step failed)",
                "  2   usage error, or the database cannot be reached or read"},
        synopsisSubcommandLabel = "COMMAND")
public final class Main implements Callable<Integer> {
    /** Success, nothing to report. */
    public static final int OK = 0;
    /** The command ran and found something (verify: differences). */
    public static final int FINDING = 1;
    /** Wrong arguments, or the database or a file could not be reached, read or written. */
    public static final int ERROR = 2;

    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    // Read by main() before parsing (log levels are fixed before the first logger); declared so that every command
    // accepts it and --help lists it.
    @Option(names = LogLevels.VERBOSE, scope = ScopeType.INHERIT,
            description = "Also show the INFO logs of the libraries underneath (embedded PostgreSQL, Flyway, jOOQ)"
                    + " on stderr. Only when started through java -jar (main).")
    private boolean verbose;

    Main(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The process environment the commands see (PGPASSWORD). */
    Map<String, String> environment() {
        return environment;
    }

    /** Without a command: the usage, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: name a command (see resume-review-db --help)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ERROR;
    }

    /**
     * The command line's entry point: runs one command and exits the JVM with its exit code.
     *
     * @param args the command and its options, as typed
     */
    public static void main(String[] args) {
        // Before any logger exists: stderr is for this command's progress and errors (--verbose adds the libraries').
        LogLevels.configure(List.of(args));
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command in this process and returns its exit code; never calls {@code System.exit}.
     *
     * @param args the command and its options, as typed; not null
     * @param out results (text or JSON)
     * @param err progress lines and errors
     * @return {@link #OK}, {@link #FINDING} or {@link #ERROR}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /** Like {@link #run(String[], PrintStream, PrintStream)} with a given environment (tests). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        Objects.requireNonNull(args, "args");
        List<String> secrets = CommandSecrets.find(args, environment);
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine commandLine = new CommandLine(new Main(environment))
                .setOut(outWriter)
                .setErr(errWriter)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler((e, arguments) -> usageError(e, secrets))
                .setExecutionExceptionHandler((e, cl, parseResult) -> failure(e, cl, parseResult, secrets));
        try {
            return commandLine.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static int usageError(ParameterException e, List<String> secrets) {
        CommandLine command = e.getCommandLine();
        command.getErr().println(Secrets.scrub("error: " + describe(e) + " (see "
                + command.getCommandSpec().qualifiedName() + " --help)", secrets));
        return ERROR;
    }

    // Picocli repeats unmatched arguments; one of them may be a password typed after a misspelt option.
    private static String describe(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> options = unmatched.getUnmatched().stream().filter(a -> a.startsWith("-"))
                    .map(a -> "'" + (a.contains("=") ? a.substring(0, a.indexOf('=')) : a) + "'").toList();
            return options.isEmpty() ? "unexpected argument (not repeated here, it may be a secret)"
                    : "unknown option " + String.join(", ", options);
        }
        return e.getMessage();
    }

    private static int failure(Exception e, CommandLine command, ParseResult parseResult, List<String> secrets) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // Reports embedded in messages (SchemaCheckFailedException) span lines; an error stays one line.
        String firstLine = message.lines().findFirst().orElse(message);
        command.getErr().println(Secrets.scrub("error: " + firstLine, secrets));
        return ERROR;
    }
}
