package com.airesumereview.db.cli;

import com.airesumereview.db.atlas.LiveView;
import com.airesumereview.db.atlas.SchemaAtlas;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code atlas}: the schema as a picture and a reference. */
@Command(name = "atlas",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Write the schema atlas: a static HTML site with the ER diagram and one page per table.",
        description = "Builds the bundled snapshot into a throwaway database and writes DIR/index.html (the"
                + " entity-relationship diagram of the tables, laid out by Graphviz's dot, foreign keys as edges) and"
                + " DIR/tables/<table>.html (each column's type, nullability, default, CHECK vocabulary and generated"
                + " enum, field-mapping.csv row, the repository methods that read and write it; indexes and the"
                + " methods whose queries search them). Opens from disk, no server. With --url, each page also shows"
                + " the live database's drift against the snapshot and its row count (read-only).",
        footerHeading = "%nExit codes:%n",
        footer = {"  0   the site was written",
                "  2   usage error, Graphviz (dot) is missing, or a database cannot be reached",
                "",
                "Example:",
                "  resume-review-db atlas --out target/atlas --url postgresql://readonly@db:5432/ai_resume_review"})
final class AtlasCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the site into.")
    private Path out;

    @Option(names = "--url", paramLabel = "URL",
            description = "Live database to show drift and row counts for (read-only). Password from the URL or"
                    + " PGPASSWORD.")
    private String url;

    @Option(names = "--server", paramLabel = "URL",
            description = "Create the throwaway snapshot database on this server (the user needs CREATEDB) instead of"
                    + " an embedded PostgreSQL 15.")
    private String server;

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Progress progress = new Progress(spec.commandLine().getErr());
        progress.step("building the bundled snapshot into a throwaway database");
        SchemaAtlas atlas;
        try (PostgresProvisioner provisioner = ConnectionOptions.throwawayServer(server,
                main.environment())) {
            atlas = SchemaAtlas.ofBundledSnapshot(provisioner);
        }
        if (url != null) {
            progress.step("reading the live database (read-only): drift and row counts");
            atlas = atlas.withLive(LiveView.read(ConnectionOptions.withEnvironmentPassword(url, main.environment()), atlas.model()));
        }
        progress.step("laying out the diagram with Graphviz and writing the pages");
        List<Path> files = atlas.writeTo(out);
        spec.commandLine().getOut().println("wrote " + files.size() + " files to " + out.toAbsolutePath().normalize()
                + "; open " + files.get(0).toAbsolutePath().normalize() + " in a browser");
        return Main.OK;
    }
}
