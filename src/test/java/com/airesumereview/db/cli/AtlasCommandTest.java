package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atlas} through the command line: it writes the index and one page per table and says where; an unreachable
 * live database is one clear line and exit 2. (What the pages show is checked in a browser by the atlas's own test.)
 */
class AtlasCommandTest {
    private static Cli.Run atlas(String... args) {
        List<String> all = new ArrayList<>(List.of("atlas"));
        all.addAll(List.of(args));
        String server = System.getenv("RESUME_REVIEW_DB_SERVER_URL");
        if (server != null && !server.isBlank()) {
            all.addAll(List.of("--server", server));
        }
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void writesTheIndexAndOnePagePerTableWithTheLiveDatabasesRows(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dot")) || "true".equals(System.getenv("CI")),
                "Graphviz's dot is not installed; skipped (CI=true makes this a failure)");
        try (PostgresProvisioner postgres = PostgresProvisioner.start();
             ProvisionedDatabase live = postgres.createSnapshotDatabase()) {
            Cli.Run run = atlas("--out", dir.toString(), "--url", Cli.url(live));

            assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.OK);
            assertThat(run.out()).contains("wrote 10 files to " + dir.toAbsolutePath().normalize());
            try (var pages = Files.list(dir.resolve("tables"))) {
                assertThat(pages.map(p -> p.getFileName().toString())).hasSize(8).contains("users.html",
                        "refresh_tokens.html", "schema_migrations.html");
            }
            assertThat(Files.readString(dir.resolve("tables/prompts.html"))).contains("<p id=\"rows\">3 rows</p>",
                    "no drift: this table matches the snapshot");
        }
    }

    @Test
    void anUnreachableLiveDatabaseIsOneLineAndExitTwo(@TempDir Path dir) {
        Cli.Run run = atlas("--out", dir.toString(), "--url", "postgresql://nobody@127.0.0.1:1/nowhere");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(Main.ERROR);
        assertThat(run.err()).contains("error: reading the live database").doesNotContain("\tat ");
    }
}
