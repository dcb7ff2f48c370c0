package com.airesumereview.db.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.inspection.SchemaModel.Column;
import com.airesumereview.db.inspection.SchemaModel.Constraint;
import com.airesumereview.db.inspection.SchemaModel.ConstraintType;
import com.airesumereview.db.inspection.SchemaModel.Extension;
import com.airesumereview.db.inspection.SchemaModel.Function;
import com.airesumereview.db.inspection.SchemaModel.Index;
import com.airesumereview.db.inspection.SchemaModel.Table;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaInspectorTest {
    private static PostgresProvisioner postgres;
    private static ProvisionedDatabase restoredDump;
    private static ProvisionedDatabase flywaySnapshot;

    @BeforeAll
    static void provision() throws SQLException {
        postgres = PostgresProvisioner.start();
        restoredDump = postgres.createDatabase();
        ProductionDump.restoreInto(restoredDump.dataSource());
        flywaySnapshot = postgres.createSnapshotDatabase();
    }

    @AfterAll
    static void release() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void flywaySnapshotHasExactlyTheStructureOfTheRestoredProductionDump() {
        SchemaModel production = SchemaInspector.forPublicSchema().inspect(restoredDump.dataSource());
        SchemaModel snapshot = SchemaInspector.forPublicSchema().inspect(flywaySnapshot.dataSource());

        SchemaDifferences differences = SchemaComparison.compare(production, snapshot);

        assertThat(differences.differences()).as(differences.render()).isEmpty();
        assertThat(differences.isEmpty()).isTrue();
        assertThat(snapshot).isEqualTo(production);
        // Sanity: the comparison above compared something (README: 8 tables, 23 secondary indexes, ...).
        assertThat(production.tables()).extracting(Table::name).containsExactly("analysis_requests",
                "analysis_results", "file_uploads", "prompt_history", "prompts", "refresh_tokens",
                "schema_migrations", "users");
        assertThat(production.secondaryIndexes()).hasSize(23);
        assertThat(production.triggers()).hasSize(5);
        assertThat(production.functions()).hasSize(7);
        assertThat(production.extensions()).extracting(Extension::name).containsExactly("uuid-ossp");
    }

    @Test
    void readsColumnsConstraintsIndexesFunctionsAndCommentsAsPostgresPrintsThem() {
        SchemaModel model = SchemaInspector.forPublicSchema().inspect(restoredDump.dataSource());

        Table users = model.table("users").orElseThrow();
        assertThat(users.column("email")).contains(
                new Column("email", 2, "character varying(255)", true, null, null, null, null));
        assertThat(users.column("id").orElseThrow().defaultExpression()).isEqualTo("public.uuid_generate_v4()");
        assertThat(users.column("failed_login_attempts")).contains(
                new Column("failed_login_attempts", 13, "integer", false, "0", null, null, null));
        assertThat(model.table("file_uploads").orElseThrow().comment())
                .isEqualTo("Stores file upload records for resume processing with async pipeline");
        assertThat(model.table("file_uploads").orElseThrow().column("id").orElseThrow())
                .extracting(Column::defaultExpression, Column::comment)
                .containsExactly("gen_random_uuid()", "Primary key for file upload record");
        assertThat(model.table("analysis_results").orElseThrow().column("strengths").orElseThrow().type())
                .isEqualTo("text[]");

        assertThat(model.constraints()).contains(
                new Constraint("users", "users_email_key", ConstraintType.UNIQUE, "UNIQUE (email)"),
                new Constraint("refresh_tokens", "refresh_tokens_user_id_fkey", ConstraintType.FOREIGN_KEY,
                        "FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE"));
        assertThat(model.constraints()).filteredOn(c -> c.name().equals("users_role_check")).singleElement()
                .extracting(Constraint::type).isEqualTo(ConstraintType.CHECK);
        assertThat(model.indexes()).contains(
                new Index("users", "users_pkey", "CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)",
                        "users_pkey"),
                new Index("users", "idx_users_email", "CREATE INDEX idx_users_email ON public.users USING btree (email)",
                        null));
        assertThat(model.functions()).extracting(Function::signature).contains(
                "get_upload_statistics(user_id_param uuid)", "expire_refresh_tokens()");
        assertThat(model.functions()).filteredOn(f -> f.name().equals("get_upload_statistics")).singleElement()
                .satisfies(f -> {
                    assertThat(f.definition()).startsWith("CREATE OR REPLACE FUNCTION public.get_upload_statistics("
                            + "user_id_param uuid DEFAULT NULL::uuid)");
                    assertThat(f.language()).isEqualTo("plpgsql");
                    assertThat(f.result()).startsWith("TABLE(total_uploads bigint");
                });
        assertThat(model.extensions()).containsExactly(new Extension("uuid-ossp", "public", "1.1",
                "generate universally unique identifiers (UUIDs)"));
        assertThat(model.sequences()).isEmpty();
        assertThat(model.views()).isEmpty();
    }

    @Test
    void leavesOutExtensionObjectsAndFlywayHistory() {
        SchemaModel model = SchemaInspector.forPublicSchema().inspect(flywaySnapshot.dataSource());

        assertThat(model.functions()).extracting(Function::name).doesNotContain("uuid_generate_v4", "uuid_nil");
        assertThat(model.tables()).extracting(Table::name).doesNotContain("flyway_schema_history");
        assertThatThrownBy(() -> SchemaInspector.forSchema("flyway"))
                .isInstanceOf(InspectionException.class).hasMessageContaining("Flyway");
    }

    @Test
    void inspectsInsideReadOnlyTransactionAndRestoresTheCallersSearchPath() throws SQLException {
        SchemaModel viaDataSource = SchemaInspector.forPublicSchema().inspect(restoredDump.dataSource());
        try (Connection connection = restoredDump.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION READ ONLY");
                statement.execute("SET search_path = public, pg_temp");
            }

            SchemaModel model = SchemaInspector.forPublicSchema().inspect(connection);

            assertThat(single(connection, "SHOW transaction_read_only")).isEqualTo("on");
            assertThat(single(connection, "SHOW search_path")).isEqualTo("public, pg_temp");
            // Names are still qualified: the model does not depend on the caller's search_path.
            assertThat(model).isEqualTo(viaDataSource);
            connection.rollback();
        }
    }

    @Test
    void inspectsThroughAnAutocommitConnectionToo() throws SQLException {
        try (Connection connection = restoredDump.dataSource().getConnection()) {
            connection.setAutoCommit(true);
            connection.setReadOnly(true);

            SchemaModel model = SchemaInspector.forPublicSchema().inspect(connection);

            assertThat(model).isEqualTo(SchemaInspector.forPublicSchema().inspect(restoredDump.dataSource()));
            assertThat(single(connection, "SHOW search_path")).isEqualTo("\"$user\", public");
        }
    }

    @Test
    void rejectsUnknownSchemaNamingSchemaAndDatabase() {
        assertThatThrownBy(() -> SchemaInspector.forSchema("no_such_schema").inspect(restoredDump.dataSource()))
                .isInstanceOf(InspectionException.class)
                .hasMessageContaining("no_such_schema")
                .hasMessageContaining(restoredDump.name());
    }

    @Test
    void modelSurvivesJsonRoundTrip() throws Exception {
        SchemaModel model = SchemaInspector.forPublicSchema().inspect(restoredDump.dataSource());
        ObjectMapper json = new ObjectMapper();

        SchemaModel read = json.readValue(json.writeValueAsString(model), SchemaModel.class);

        assertThat(read).isEqualTo(model);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
