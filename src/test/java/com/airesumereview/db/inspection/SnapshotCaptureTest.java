package com.airesumereview.db.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The snapshot engine itself, without the command line in front of it. */
@ExtendWith(SnapshotDatabaseExtension.class)
class SnapshotCaptureTest {

    @Test
    void capturesTheEightProductionTablesAsSqlThatNamesItsSource(DataSource dataSource) {
        SnapshotCapture.Snapshot snapshot = SnapshotCapture.capture(dataSource);

        assertThat(snapshot.model().tables()).extracting(SchemaModel.Table::name).contains("users", "refresh_tokens",
                "file_uploads", "analysis_requests", "analysis_results", "prompts", "prompt_history",
                "schema_migrations");
        assertThat(snapshot.sql()).startsWith("-- Captured by `resume-review-db snapshot` from database "
                + snapshot.database() + " (read-only).\n").isEqualTo(snapshot.sql().substring(0,
                snapshot.sql().indexOf('\n') + 1) + SnapshotSql.render(snapshot.model()));
    }
}
