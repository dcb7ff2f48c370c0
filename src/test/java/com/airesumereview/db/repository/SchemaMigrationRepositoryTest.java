package com.airesumereview.db.repository;

import com.airesumereview.db.ProductionInvariantsExtension;
import static com.airesumereview.db.repository.AnalysisTestRows.execute;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.SchemaMigration;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({SnapshotDatabaseExtension.class, ProductionInvariantsExtension.class})
class SchemaMigrationRepositoryTest {

    @Test
    void listsNothingWhenTheLogIsEmpty(DataSource ds) {
        assertThat(ResumeReviewDb.create(ds).schemaMigrations().list()).isEmpty();
    }

    @Test
    void listsProductionsMigrationLogOrderedByVersion(DataSource ds) {
        // As production holds them, inserted out of order; plus a row applied at 'infinity'.
        execute(ds, "INSERT INTO schema_migrations (version, applied_at) VALUES"
                + " ('002_add_password_security_columns', '2025-08-02 10:00:00+00'),"
                + " ('001_initial_schema', '2025-08-01 09:30:00.123456+00'),"
                + " ('003_never_finished', 'infinity')");

        assertThat(ResumeReviewDb.create(ds).schemaMigrations().list()).containsExactly(
                new SchemaMigration("001_initial_schema", Instant.parse("2025-08-01T09:30:00.123456Z")),
                new SchemaMigration("002_add_password_security_columns", Instant.parse("2025-08-02T10:00:00Z")),
                new SchemaMigration("003_never_finished", Instant.MAX));
    }
}
