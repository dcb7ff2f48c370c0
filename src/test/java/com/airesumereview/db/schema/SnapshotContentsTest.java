package com.airesumereview.db.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rows a fresh snapshot database holds: production's reference prompts, and nothing else. */
@ExtendWith(SnapshotDatabaseExtension.class)
class SnapshotContentsTest {

    @Test
    void holdsTheThreeReferencePromptsAsVersionOneActiveAndWithoutAuthor(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);

        assertThat(rows.queryForList("SELECT name || ' type=' || prompt_type || ' version=' || version"
                + " || ' active=' || is_active || ' created_by=' || coalesce(created_by::text, 'NULL')"
                + " FROM prompts ORDER BY name", String.class))
                .containsExactly(
                        "content_analysis type=content version=1 active=true created_by=NULL",
                        "formatting_analysis type=formatting version=1 active=true created_by=NULL",
                        "resume_analysis_system type=system version=1 active=true created_by=NULL");
    }

    @Test
    void holdsNoOtherRows(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);

        for (String table : new String[] {"users", "refresh_tokens", "file_uploads", "analysis_requests",
                "analysis_results", "prompt_history", "schema_migrations"}) {
            assertThat(rows.count(table)).as("rows in %s", table).isZero();
        }
    }

    /**
     * Production's schema_migrations rows are data, not structure, so the snapshot has the table (the
     * Python service may read it) but not its rows.
     */
    @Test
    void hasAnEmptySchemaMigrationsTableWithProductionColumns(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);

        assertThat(rows.queryForList("SELECT column_name || ' ' || data_type"
                + " || coalesce('(' || character_maximum_length || ')', '')"
                + " || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '-')"
                + " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'schema_migrations'"
                + " ORDER BY ordinal_position", String.class))
                .containsExactly(
                        "version character varying(255) nullable=NO default=-",
                        "applied_at timestamp with time zone nullable=NO default=now()");
        assertThat(rows.queryForList("SELECT a.attname FROM pg_index i"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                + " WHERE i.indrelid = 'public.schema_migrations'::regclass AND i.indisprimary", String.class))
                .as("primary key columns").containsExactly("version");
        assertThat(rows.count("schema_migrations")).isZero();
    }
}
