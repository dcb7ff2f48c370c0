package com.airesumereview.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.inspection.SchemaInspector;
import com.airesumereview.db.inspection.SchemaModel;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SnapshotDatabaseExtension.class)
class BundledSchemaModelTest {

    @Test
    void bundledModelEqualsTheStructureTheBundledFlywaySnapshotBuilds(ProvisionedDatabase db) {
        SchemaModel built = SchemaInspector.forPublicSchema().inspect(db.dataSource());

        assertThat(BundledSchemaModel.model()).isEqualTo(built);
    }

    @Test
    void bundledModelHoldsTheProductionTables() {
        assertThat(BundledSchemaModel.model().tables()).extracting(SchemaModel.Table::name).containsExactly(
                "analysis_requests", "analysis_results", "file_uploads", "prompt_history", "prompts",
                "refresh_tokens", "schema_migrations", "users");
    }

    @Test
    void jsonIsByteIdenticalWhenWrittenTwiceAndReadsBackEqual() {
        SchemaModel model = BundledSchemaModel.model();
        String json = StableJson.write(model);

        assertThat(StableJson.write(model)).isEqualTo(json);
        assertThat(json).doesNotContain("\r").endsWith("}\n");
        assertThat(StableJson.readModel(new java.io.ByteArrayInputStream(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "test")).isEqualTo(model);
    }
}
