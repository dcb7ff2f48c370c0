package com.airesumereview.db.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.inspection.SchemaComparison;
import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.SchemaSnapshot;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotCommandTest {
    private static PostgresProvisioner postgres;
    private ProvisionedDatabase db;

    @BeforeAll
    static void provision() {
        postgres = PostgresProvisioner.start();
    }

    @AfterAll
    static void release() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void snapshotCopy() {
        db = postgres.createSnapshotDatabase();
    }

    @AfterEach
    void dropCopy() {
        db.close();
    }

    @Test
    void capturingTwiceGivesByteIdenticalFilesWithoutTimestamps(@TempDir Path dir)
            throws IOException {
        Cli.Run first = Cli.run("snapshot", "--url", Cli.url(db), "--out", dir.resolve("a.sql").toString());
        Cli.Run second = Cli.run("snapshot", "--url", Cli.url(db), "--out", dir.resolve("b.sql").toString());

        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(Files.readAllBytes(dir.resolve("b.sql"))).isEqualTo(Files.readAllBytes(dir.resolve("a.sql")));
        assertThat(Files.readString(dir.resolve("a.sql")))
                .startsWith("-- Captured by `resume-review-db snapshot` from database " + db.name())
                .doesNotContainPattern("20\\d\\d-\\d\\d-\\d\\d")
                .contains("CREATE TABLE public.users (");
        assertThat(first.out()).startsWith("wrote " + dir.resolve("a.sql"));
    }

    @Test
    void appliedToAnEmptyDatabaseTheFileRebuildsTheSourceStructure(@TempDir Path dir) throws SQLException {
        ProvisionedDatabase source = db;
        VerifyCommandTest.execute(source, "ALTER TABLE public.prompts ADD COLUMN locale varchar(10)",
                "CREATE TABLE public.review_notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                        + " user_id uuid NOT NULL REFERENCES public.users(id), note text)");
        Cli.Run run = Cli.run("snapshot", "--url", Cli.url(source), "--out", dir.resolve("V1__snapshot.sql").toString());
        assertThat(run.exitCode()).as("%s", run).isZero();

        try (ProvisionedDatabase rebuilt = postgres.createDatabase()) {
            rebuilt.applySnapshot(SchemaSnapshot.directory(dir));
            SchemaModel expected = SchemaInspector.forPublicSchema().inspect(source.dataSource());

            assertThat(SchemaComparison.compare(expected, SchemaInspector.forPublicSchema()
                    .inspect(rebuilt.dataSource())).differences()).isEmpty();
        }
    }

    @Test
    void refusesToOverwriteAnExistingFileUnlessForced(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("V3__snapshot.sql");
        Files.writeString(file, "-- keep me\n");

        Cli.Run refused = Cli.run("snapshot", "--url", Cli.url(db), "--out", file.toString());

        assertThat(refused.exitCode()).isEqualTo(Main.ERROR);
        assertThat(refused.err()).isEqualTo("error: " + file + " exists; pass --force to overwrite it\n");
        assertThat(Files.readString(file)).isEqualTo("-- keep me\n");

        Cli.Run forced = Cli.run("snapshot", "--url", Cli.url(db), "--out", file.toString(), "--force");

        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(Files.readString(file)).contains("CREATE TABLE public.users (");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void unreachableServerLeavesNoFile(@TempDir Path dir) throws IOException {
        Cli.Run run = Cli.run("snapshot", "--url", "postgresql://app:pw-123@127.0.0.1:1/prod",
                "--out", dir.resolve("V1__x.sql").toString());

        assertThat(run.exitCode()).isEqualTo(Main.ERROR);
        assertThat(run.err()).isEqualTo("error: cannot connect to jdbc:postgresql://127.0.0.1:1/prod: Connection refused\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void missingDirectoryIsAnErrorNamingIt(@TempDir Path dir) {
        Path file = dir.resolve("no/such/dir/V1__x.sql");

        Cli.Run run = Cli.run("snapshot", "--url", Cli.url(db), "--out", file.toString());

        assertThat(run.exitCode()).isEqualTo(Main.ERROR);
        assertThat(run.err()).isEqualTo("error: directory " + file.getParent() + " does not exist\n");
    }
}
