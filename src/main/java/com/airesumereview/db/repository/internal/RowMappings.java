package com.airesumereview.db.repository.internal;

import static com.airesumereview.db.generated.Tables.ANALYSIS_REQUESTS;
import static com.airesumereview.db.generated.Tables.ANALYSIS_RESULTS;
import static com.airesumereview.db.generated.Tables.FILE_UPLOADS;
import static com.airesumereview.db.generated.Tables.PROMPTS;
import static com.airesumereview.db.generated.Tables.PROMPT_HISTORY;
import static com.airesumereview.db.generated.Tables.REFRESH_TOKENS;
import static com.airesumereview.db.generated.Tables.SCHEMA_MIGRATIONS;
import static com.airesumereview.db.generated.Tables.USERS;

import java.util.List;
import java.util.Objects;
import com.airesumereview.db.internal.RowReader;
import org.jooq.Field;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.conf.Settings;

/**
 * How the repositories turn a row of each mapped table into a domain record: the select list they use and
 * the row function they call, exposed (read-only) so that the audit ({@code com.airesumereview.db.audit})
 * reads every production row through exactly the same mapping rather than a second copy of it. Services
 * use the repositories, not this class.
 */
public final class RowMappings {
    private RowMappings() {
    }

    /**
     * One table's mapping.
     *
     * @param table         the table's name, e.g. {@code users}
     * @param from          the generated table
     * @param columns       the select list the repositories use; the primary key comes first
     * @param primaryKey    the primary key column (one column on every mapped table)
     * @param secretColumns columns whose values must never be printed (password and token hashes)
     * @param reader        the repositories' row reader (reads the columns of {@code columns} by column)
     */
    public record TableMapping(String table, Table<?> from, List<SelectField<?>> columns, Field<?> primaryKey,
                               List<Field<String>> secretColumns, RowReader<?> reader) {
        public TableMapping {
            Objects.requireNonNull(table, "table");
            columns = List.copyOf(columns);
            secretColumns = List.copyOf(secretColumns);
            if (!columns.get(0).getName().equals(primaryKey.getName())) {
                throw new IllegalArgumentException(table + ": the select list must start with the primary key");
            }
        }
    }

    /** The eight tables, parents before children, with the repositories' mappings. */
    public static List<TableMapping> all() {
        return List.of(
                new TableMapping("users", USERS, PostgresUserRepository.COLUMNS, USERS.ID,
                        List.of(USERS.PASSWORD_HASH), PostgresUserRepository.USER_ROW),
                new TableMapping("refresh_tokens", REFRESH_TOKENS, PostgresRefreshTokenRepository.COLUMNS,
                        REFRESH_TOKENS.ID, List.of(REFRESH_TOKENS.TOKEN_HASH), PostgresRefreshTokenRepository.TOKEN_ROW),
                new TableMapping("file_uploads", FILE_UPLOADS, PostgresFileUploadRepository.COLUMNS, FILE_UPLOADS.ID,
                        List.of(), PostgresFileUploadRepository.ROW),
                new TableMapping("analysis_requests", ANALYSIS_REQUESTS, PostgresAnalysisRepository.REQUEST,
                        ANALYSIS_REQUESTS.ID, List.of(), PostgresAnalysisRepository.REQUEST_ROW),
                new TableMapping("analysis_results", ANALYSIS_RESULTS, PostgresAnalysisRepository.RESULT,
                        ANALYSIS_RESULTS.ID, List.of(), PostgresAnalysisRepository.RESULT_ROW),
                new TableMapping("prompts", PROMPTS, PostgresPromptRepository.PROMPT, PROMPTS.ID, List.of(), PostgresPromptRepository.PROMPT_ROW),
                new TableMapping("prompt_history", PROMPT_HISTORY, PostgresPromptRepository.USE, PROMPT_HISTORY.ID,
                        List.of(), PostgresPromptRepository.USE_ROW),
                new TableMapping("schema_migrations", SCHEMA_MIGRATIONS, PostgresSchemaMigrationRepository.COLUMNS,
                        SCHEMA_MIGRATIONS.VERSION, List.of(), PostgresSchemaMigrationRepository.ROW));
    }

    /**
     * The jOOQ settings the mappings are written for (and {@code ResumeReviewDb} runs with):
     * {@code bindOffsetDateTimeType} lets pgJDBC read timestamptz, so production's 'infinity' values read back
     * (as OffsetDateTime.MAX/MIN) instead of failing jOOQ's own parser; schema-qualified SQL; no execute logging
     * (bind values hold emails and hashes).
     */
    public static Settings settings() {
        return new Settings().withExecuteLogging(false).withRenderSchema(true).withBindOffsetDateTimeType(true);
    }
}
