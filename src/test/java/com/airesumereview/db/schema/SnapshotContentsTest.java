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

    /** Ids, texts and timestamps exactly as production's v1.0 dump holds them (v1.0-reference-prompts.sql). */
    @Test
    void holdsProductionsReferencePromptTextsIdsAndTimestamps(DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);

        assertThat(rows.queryForList("SELECT id || ' ' || name || ' | ' || description || ' | ' || template || ' | '"
                + " || to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || ' | '"
                + " || to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM prompts ORDER BY name",
                String.class))
                .containsExactly(
                        "5a710692-d40d-4543-976a-96ed2b5dca4b content_analysis | Prompt for analyzing resume content quality"
                                + " | Analyze the content of this resume for clarity, relevance, and impact. Focus on"
                                + " achievements, skills presentation, and overall narrative."
                                + " | 2025-08-30 10:13:08.584414 | 2025-08-30 10:13:08.584414",
                        "b1e92597-c235-4a2d-9707-bab4fc386e9f formatting_analysis | Prompt for analyzing resume formatting"
                                + " and structure | Evaluate the visual presentation, structure, and readability of this"
                                + " resume. Consider layout, typography, and professional appearance."
                                + " | 2025-08-30 10:13:08.584414 | 2025-08-30 10:13:08.584414",
                        "de631357-25d6-48bc-84a8-c333abc0644e resume_analysis_system | Main system prompt for resume"
                                + " analysis | You are an expert resume reviewer and career consultant. Analyze resumes"
                                + " comprehensively and provide constructive feedback."
                                + " | 2025-08-30 10:13:08.584414 | 2025-08-30 10:13:08.584414");
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
