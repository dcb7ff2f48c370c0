package com.airesumereview.db.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.airesumereview.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class ProvisioningTest {

    @Test
    void embeddedSourceGivesEmptyDatabaseAndAppliesSnapshot() throws SQLException {
        try (PostgresProvisioner pg = PostgresProvisioner.start(DatabaseSource.EMBEDDED)) {
            assertThat(pg.source()).isEqualTo(DatabaseSource.EMBEDDED);
            assertProvisionsEmptyAndSnapshotDatabases(pg);
        }
    }

    @Test
    void serverSourceGivesEmptyDatabaseAndAppliesSnapshot() throws SQLException {
        String url = System.getenv(PostgresProvisioner.SERVER_URL_ENV);
        assumeTrue(url != null && !url.isBlank(), PostgresProvisioner.SERVER_URL_ENV + " not set: server path not exercised here");
        try (PostgresProvisioner pg = PostgresProvisioner.start(DatabaseSource.SERVER)) {
            assertThat(pg.source()).isEqualTo(DatabaseSource.SERVER);
            assertProvisionsEmptyAndSnapshotDatabases(pg);
        }
    }

    @Test
    void closingDatabaseDropsIt() throws SQLException {
        try (PostgresProvisioner pg = PostgresProvisioner.start()) {
            ProvisionedDatabase db = pg.createDatabase();
            String name = db.name();
            DataSource admin = pg.createDatabase().dataSource();
            db.close();
            assertThat(query(admin, "SELECT datname FROM pg_database WHERE datname = '" + name + "'")).isEmpty();
        }
    }

    @Test
    void unknownForcedSourceIsRejectedWithTheSettingName() {
        String previous = System.getProperty(PostgresProvisioner.SOURCE_PROPERTY);
        System.setProperty(PostgresProvisioner.SOURCE_PROPERTY, "cloud");
        try {
            assertThatThrownBy(PostgresProvisioner::start)
                    .isInstanceOf(ProvisioningException.class)
                    .hasMessageContaining(PostgresProvisioner.SOURCE_ENV)
                    .hasMessageContaining("cloud")
                    .hasMessageContaining("auto, server, container, embedded");
        } finally {
            if (previous == null) {
                System.clearProperty(PostgresProvisioner.SOURCE_PROPERTY);
            } else {
                System.setProperty(PostgresProvisioner.SOURCE_PROPERTY, previous);
            }
        }
    }

    @Test
    void unreachableServerFailsNamingTheServerButNotThePassword() {
        // Fails at once: the server's version is checked before any database is handed out.
        assertThatThrownBy(() -> PostgresProvisioner.onServer(
                DatabaseUrl.parse("postgresql://someone:s3cr3t-pw@127.0.0.1:1/postgres?connectTimeout=2")))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageNotContaining("s3cr3t-pw");
    }

    private static void assertProvisionsEmptyAndSnapshotDatabases(PostgresProvisioner pg) throws SQLException {
        try (ProvisionedDatabase empty = pg.createDatabase();
             ProvisionedDatabase snap = pg.createSnapshotDatabase();
             ProvisionedDatabase snap2 = pg.createSnapshotDatabase()) {
            assertThat(query(empty.dataSource(), "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'public'")).isEmpty();
            assertThat(query(empty.dataSource(), "SHOW server_version")).singleElement().asString().startsWith("15.");
            List<String> tables = query(snap.dataSource(), "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' ORDER BY 1");
            assertThat(tables).containsExactly("analysis_requests", "analysis_results", "file_uploads", "prompt_history",
                    "prompts", "refresh_tokens", "schema_migrations", "users");
            assertThat(query(snap2.dataSource(), "SELECT name FROM public.prompts ORDER BY name"))
                    .containsExactly("content_analysis", "formatting_analysis", "resume_analysis_system");
            assertThat(snap.name()).isNotEqualTo(snap2.name());
            // Flyway's bookkeeping stays out of public.
            assertThat(query(snap.dataSource(), "SELECT table_schema FROM information_schema.tables"
                    + " WHERE table_name = 'flyway_schema_history'")).containsExactly(SchemaSnapshot.HISTORY_SCHEMA);
        }
    }

    static List<String> query(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
