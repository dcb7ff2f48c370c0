package com.airesumereview.db.repository;

import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.DuplicateException;
import java.sql.SQLException;
import java.util.Map;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns PostgreSQL's integrity errors into this library's exceptions, naming the constraint and the
 * domain field it guards. Installed on every jOOQ configuration the library builds.
 */
public final class ConstraintTranslator implements ExecuteListener {
    private static final long serialVersionUID = 1L;

    /** Production constraint names and the domain field each guards. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("users_email_key", "user.email"),
            Map.entry("users_role_check", "user.role"),
            Map.entry("refresh_tokens_token_hash_key", "refreshToken.tokenHash"),
            Map.entry("chk_refresh_tokens_status", "refreshToken.status"),
            Map.entry("refresh_tokens_user_id_fkey", "refreshToken.userId"),
            Map.entry("file_uploads_user_id_fkey", "fileUpload.userId"),
            Map.entry("chk_file_uploads_status_values", "fileUpload.status"),
            Map.entry("chk_file_uploads_experience_level", "fileUpload.experienceLevel"),
            Map.entry("chk_file_uploads_file_size_positive", "fileUpload.fileSize"),
            Map.entry("chk_file_uploads_progress_range", "fileUpload.progress"),
            Map.entry("analysis_requests_user_id_fkey", "analysisRequest.userId"),
            Map.entry("analysis_requests_status_check", "analysisRequest.status"),
            Map.entry("analysis_requests_experience_level_check", "analysisRequest.experienceLevel"),
            Map.entry("analysis_results_request_id_fkey", "analysisResult.requestId"),
            Map.entry("analysis_results_overall_score_check", "analysisResult.overallScore"),
            Map.entry("analysis_results_formatting_score_check", "analysisResult.formattingScore"),
            Map.entry("analysis_results_content_score_check", "analysisResult.contentScore"),
            Map.entry("analysis_results_keyword_optimization_score_check", "analysisResult.keywordOptimizationScore"),
            Map.entry("prompts_name_key", "prompt.name"),
            Map.entry("prompts_prompt_type_check", "prompt.promptType"),
            Map.entry("prompts_created_by_fkey", "prompt.createdBy"),
            Map.entry("prompt_history_prompt_id_fkey", "promptHistory.promptId"),
            Map.entry("prompt_history_request_id_fkey", "promptHistory.requestId"),
            Map.entry("schema_migrations_pkey", "schemaMigration.version"));

    @Override
    public void exception(ExecuteContext ctx) {
        RuntimeException translated = translate(ctx.sqlException());
        if (translated != null) {
            ctx.exception(translated);
        }
    }

    /**
     * Connection exceptions (class 08), the server shutting down or refusing connections (57P01..57P03),
     * and the pool giving up waiting for a connection (08001 from HikariCP's timeout).
     */
    static boolean isUnavailable(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    /** The library exception for an integrity or connection error, or null when it is neither. */
    public static RuntimeException translate(SQLException e) {
        if (e == null || e.getSQLState() == null) {
            return null;
        }
        String state = e.getSQLState();
        if (isUnavailable(state)) {
            return new DatabaseUnavailableException("the database connection failed (SQLSTATE " + state
                    + "); the pool reconnects when the server answers, retry the unit of work", state, e);
        }
        String constraint = null;
        String detailColumn = null;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            constraint = m.getConstraint();
            detailColumn = m.getColumn();
        }
        String field = constraint != null ? FIELDS.get(constraint) : null;
        String name = constraint != null ? constraint : (detailColumn != null ? detailColumn : "unknown");
        switch (state) {
            case "23505":
                return new DuplicateException(constraint, field,
                        (field != null ? field + ": " : "") + "already exists (unique constraint " + name + ")", e);
            case "23503":
                return new ConstraintViolationException(ConstraintViolationException.Kind.FOREIGN_KEY, constraint, field,
                        (field != null ? field + ": " : "") + "refers to a row that does not exist, or is still referred to"
                                + " (foreign key " + name + ")", e);
            case "23514":
                return new ConstraintViolationException(ConstraintViolationException.Kind.CHECK, constraint, field,
                        (field != null ? field + ": " : "") + "breaks CHECK constraint " + name, e);
            case "23502":
                return new ConstraintViolationException(ConstraintViolationException.Kind.NOT_NULL, constraint, field,
                        "column " + name + " is required (NOT NULL)", e);
            case "23P01":
                return new ConstraintViolationException(ConstraintViolationException.Kind.EXCLUSION, constraint, field,
                        "exclusion constraint " + name + " refused the write", e);
            default:
                return null;
        }
    }
}
