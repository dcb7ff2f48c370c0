package com.airesumereview.db.schema;

import static com.airesumereview.db.schema.SchemaRows.LONG_AGO;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The BEFORE UPDATE triggers on users, analysis_requests, prompts and file_uploads set
 * {@code updated_at} to the update's transaction start. Rows start with updated_at = 2020-01-01, and
 * "before" is read in an earlier transaction than the UPDATE, so no sleeping is needed.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class UpdatedAtTriggersTest {

    /** A table with an updated_at trigger, how to insert a row there, and an UPDATE that leaves updated_at alone. */
    record TriggerCase(String table, RowFactory insert, String setClause, Object newValue) {
    }

    @FunctionalInterface
    interface RowFactory {
        UUID insert(SchemaRows rows, Map<String, ?> overrides) throws SQLException;
    }

    static Stream<Named<TriggerCase>> tablesWithUpdatedAtTrigger() {
        return Stream.of(
                Named.of("users", new TriggerCase("users", SchemaRows::user, "first_name = ?", "Grace")),
                Named.of("analysis_requests", new TriggerCase("analysis_requests",
                        (rows, o) -> rows.analysisRequest(rows.user(), o), "status = ?", "processing")),
                Named.of("prompts", new TriggerCase("prompts", SchemaRows::prompt, "description = ?", "changed")),
                Named.of("file_uploads", new TriggerCase("file_uploads",
                        (rows, o) -> rows.fileUpload(rows.user(), o), "progress = ?", 50)));
    }

    @ParameterizedTest(name = "{0}: UPDATE without updated_at moves it forward")
    @MethodSource("tablesWithUpdatedAtTrigger")
    void updateMovesUpdatedAtForwardWithoutTheStatementSettingIt(TriggerCase c, DataSource dataSource)
            throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID id = c.insert().insert(rows, Map.of("updated_at", LONG_AGO));
        assertThat(updatedAt(rows, c.table(), id)).as("updated_at as inserted (no trigger on INSERT)")
                .isEqualTo(LONG_AGO);
        OffsetDateTime before = rows.databaseNow();

        assertThat(rows.execute("UPDATE " + c.table() + " SET " + c.setClause() + " WHERE id = ?", c.newValue(), id))
                .isEqualTo(1);

        assertThat(updatedAt(rows, c.table(), id).toInstant())
                .as("%s.updated_at after UPDATE", c.table())
                .isAfterOrEqualTo(before.toInstant());
    }

    /** The trigger overwrites updated_at unconditionally: an application cannot set it, not even backwards. */
    @ParameterizedTest(name = "{0}: an explicit updated_at in UPDATE is overridden")
    @MethodSource("tablesWithUpdatedAtTrigger")
    void updateOverridesAnExplicitlySetUpdatedAt(TriggerCase c, DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        UUID id = c.insert().insert(rows, Map.of());
        OffsetDateTime before = rows.databaseNow();

        rows.execute("UPDATE " + c.table() + " SET updated_at = ? WHERE id = ?", LONG_AGO, id);

        assertThat(updatedAt(rows, c.table(), id).toInstant())
                .as("%s.updated_at after UPDATE ... SET updated_at = 2020-01-01", c.table())
                .isAfterOrEqualTo(before.toInstant());
    }

    private static OffsetDateTime updatedAt(SchemaRows rows, String table, UUID id) throws SQLException {
        return rows.queryForObject("SELECT updated_at FROM " + table + " WHERE id = ?", OffsetDateTime.class, id);
    }
}
