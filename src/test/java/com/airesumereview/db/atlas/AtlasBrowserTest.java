package com.airesumereview.db.atlas;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The atlas as a person sees it: written to {@code target/atlas} with a live database that has drifted (a column
 * added) and holds rows, then loaded in headless Chromium. The diagram must show every table and every foreign key,
 * each table's page every column of the snapshot; a screenshot of the index is left in {@code target/atlas} to
 * look at.
 */
class AtlasBrowserTest {
    private static PostgresProvisioner postgres;
    private static SchemaAtlas atlas;
    private static Path site;

    @BeforeAll
    static void writeSite() throws Exception {
        HeadlessChromium.requireTool(Graphviz.dot().isPresent(), "Graphviz's dot (apt-get install graphviz)");
        postgres = PostgresProvisioner.start();
        atlas = SchemaAtlas.ofBundledSnapshot(postgres);
        try (ProvisionedDatabase live = postgres.createSnapshotDatabase()) {
            try (Connection c = live.ownerDataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE prompts ADD COLUMN locale character varying(10)");
            }
            atlas = atlas.withLive(LiveView.read(live.ownerUrl(), atlas.model()));
        }
        site = ProjectLayout.projectDir().resolve("target/atlas");
        atlas.writeTo(site);
    }

    @AfterAll
    static void release() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theDiagramShowsEveryTableAndEveryForeignKey() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.requireInstalled();

        String dom = chromium.dumpDom(site.resolve("index.html"));
        chromium.screenshot(site.resolve("index.html"), site.resolve("screenshot.png"), 1600, 1100);

        SchemaModel model = atlas.model();
        assertThat(model.tables()).hasSize(8);
        SoftAssertions softly = new SoftAssertions();
        for (SchemaModel.Table t : model.tables()) {
            softly.assertThat(dom).as("diagram node of %s", t.name())
                    .containsPattern("<g id=\"table-" + t.name() + "\" class=\"node\">\\s*<title>" + t.name() + "</title>");
        }
        List<SchemaModel.Constraint> fks = model.constraints().stream()
                .filter(c -> c.type() == SchemaModel.ConstraintType.FOREIGN_KEY).toList();
        assertThat(fks).isNotEmpty();
        for (SchemaModel.Constraint fk : fks) {
            String target = SchemaAtlas.referencedTable(fk).orElseThrow();
            softly.assertThat(dom).as("diagram edge of %s", fk.name())
                    .containsPattern("<g id=\"fk\\." + fk.table() + "\\." + fk.name() + "\" class=\"edge\">\\s*<title>"
                            + fk.table() + "(:\\w+)?(-|&#45;)&gt;" + target + "(:\\w+)?</title>");
        }
        softly.assertAll();
        assertThat(site.resolve("screenshot.png")).isNotEmptyFile();
        assertThat(Files.readAllBytes(site.resolve("screenshot.png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void everySnapshotColumnAppearsOnItsTablesPageWithLiveDriftAndRows() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.requireInstalled();
        SoftAssertions softly = new SoftAssertions();

        for (SchemaModel.Table t : atlas.model().tables()) {
            String dom = chromium.dumpDom(site.resolve("tables").resolve(t.name() + ".html"));
            softly.assertThat(dom).as("heading of %s", t.name()).contains("<h1 id=\"table-name\">" + t.name() + "</h1>");
            for (SchemaModel.Column c : t.columns()) {
                softly.assertThat(dom).as("%s.%s on its page", t.name(), c.name())
                        .contains("<tr id=\"column-" + c.name() + "\"><td class=\"column\"><code>" + c.name() + "</code>");
            }
            softly.assertThat(dom).as("row count of %s", t.name()).containsPattern("<p id=\"rows\">\\d+ rows?</p>");
        }
        String prompts = chromium.dumpDom(site.resolve("tables/prompts.html"));
        softly.assertThat(prompts).as("the live column the snapshot lacks").contains("prompts.locale added");
        String users = chromium.dumpDom(site.resolve("tables/users.html"));
        softly.assertThat(users).contains("com.airesumereview.db.generated.vocabulary.UserRole",
                "<code>User.role</code> direct: enum UserRole from users_role_check", "users.changeRole",
                "no drift: this table matches the snapshot");
        softly.assertThat(users).as("the email index and the queries that search it")
                .containsPattern("<tr id=\"index-idx_users_email\">.*users\\.findByEmail");
        softly.assertAll();
    }
}
