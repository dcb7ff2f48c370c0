package com.airesumereview.db.internal;

import com.airesumereview.db.ConfigurationException;
import com.airesumereview.db.ConstraintViolationException;
import com.airesumereview.db.DatabaseOperationException;
import com.airesumereview.db.DatabaseUnavailableException;
import com.airesumereview.db.DuplicateException;
import com.airesumereview.db.ResumeReviewDbException;
import com.airesumereview.db.MissingSchemaObjectException;
import java.sql.SQLException;
import java.util.Map;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one SQLSTATE classifier: every {@link SQLException} the library meets becomes one of its own exceptions
 * here, naming the constraint and the domain field it guards where there is one. Messages never carry row
 * values (the pool runs with {@code logServerErrorDetail=false}, so the server's DETAIL is not in them either).
 */
public final class SqlFailures {
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

    private SqlFailures() {
    }

    /**
     * Connection exceptions (class 08, which includes HikariCP's "no connection within the timeout"), and the
     * server shutting down, crashing or refusing connections (57P01..57P03).
     */
    public static boolean isUnavailable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01")
                || sqlState.equals("57P02") || sqlState.equals("57P03"));
    }

    /** True when {@code e} or one of its causes is a connection failure. */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && isUnavailable(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** What the operator sets to fix a pooler mismatch, in every message about one. */
    private static final String POOLER_FIX = "set pooler(Pooler.TRANSACTION) (environment DATABASE_POOLER=transaction,"
            + " Spring property resume-review-db.pooler=transaction) for a transaction-pooling PgBouncer, or"
            + " Pooler.SESSION for session pooling";

    /**
     * The {@link ConfigurationException} (setting {@code pooler}) when {@code e} shows a connection pooler the library
     * is not configured for, else null: PgBouncer refusing a startup parameter ({@code unsupported startup parameter:
     * options}, SQLSTATE 08P01, which must not read as an outage worth retrying), or a server-side prepared statement
     * of the driver that is missing, already exists or takes other binds, which happens only when transactions of one
     * client connection run on several server connections (transaction pooling with {@code prepareThreshold > 0}).
     */
    public static ConfigurationException poolerMismatch(Throwable e, String operation) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!(t instanceof SQLException sql) || sql.getMessage() == null) {
                continue;
            }
            String message = sql.getMessage();
            String state = sql.getSQLState() == null ? "" : sql.getSQLState();
            if (message.contains("unsupported startup parameter")) {
                String parameter = message.substring(message.indexOf("unsupported startup parameter")).strip();
                return new ConfigurationException("pooler", "pooler: the server (a connection pooler such as PgBouncer)"
                        + " refused the connection: " + parameter + " (SQLSTATE " + state + "); " + POOLER_FIX, e);
            }
            boolean driverStatement = message.matches("(?s).*prepared statement \"S_\\d+\".*");
            if (driverStatement && (state.equals("26000") || state.equals("42P05") || state.equals("08P01"))
                    || state.equals("08P01") && message.contains("bind message supplies")) {
                return new ConfigurationException("pooler", "pooler: " + operation + " failed because the driver's"
                        + " server-side prepared statement was not on this server connection (SQLSTATE " + state + "):"
                        + " the connection goes through a transaction-pooling pooler the library is not configured"
                        + " for; " + POOLER_FIX, e);
            }
        }
        return null;
    }

    /**
     * The library exception for {@code e}; never null, never the hierarchy's root type.
     *
     * @param operation what was running, e.g. {@code users.create}, named in messages
     */
    public static ResumeReviewDbException translate(SQLException e, String operation) {
        ConfigurationException pooler = poolerMismatch(e, operation);
        if (pooler != null) {
            return pooler;
        }
        String state = e.getSQLState();
        if (state == null) {
            return new DatabaseOperationException(operation + ": the statement failed without a SQLSTATE", null, e);
        }
        if (isUnavailable(state)) {
            return new DatabaseUnavailableException(operation + ": the database connection failed (SQLSTATE " + state
                    + "); the pool reconnects when the server answers, retry the unit of work", state, e);
        }
        String constraint = null;
        String column = null;
        String serverMessage = null;
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            constraint = m.getConstraint();
            column = m.getColumn();
            serverMessage = m.getMessage();
        }
        String field = constraint != null ? FIELDS.get(constraint) : null;
        String name = constraint != null ? constraint : (column != null ? column : "unknown");
        String prefix = field != null ? field + ": " : operation + ": ";
        switch (state) {
            case "23505":
                return new DuplicateException(constraint, field, prefix + "already exists (unique constraint " + name + ")", e);
            case "23503":
                return new ConstraintViolationException(ConstraintViolationException.Kind.FOREIGN_KEY, constraint, field,
                        prefix + "refers to a row that does not exist, or is still referred to (foreign key " + name + ")", e);
            case "23514":
                return new ConstraintViolationException(ConstraintViolationException.Kind.CHECK, constraint, field,
                        prefix + "breaks CHECK constraint " + name, e);
            case "23502":
                return new ConstraintViolationException(ConstraintViolationException.Kind.NOT_NULL, constraint, field,
                        prefix + "column " + name + " is required (NOT NULL)", e);
            case "23P01":
                return new ConstraintViolationException(ConstraintViolationException.Kind.EXCLUSION, constraint, field,
                        prefix + "exclusion constraint " + name + " refused the write", e);
            default:
                break;
        }
        if (state.startsWith("42")) {
            // Class 42 messages name objects ("relation \"users\" does not exist"), never row values.
            return new MissingSchemaObjectException(operation + ": the database does not match the schema the code was"
                    + " generated from (SQLSTATE " + state + (serverMessage != null ? ": " + serverMessage : "")
                    + "); compare it with the snapshot: resume-review-db verify", state, e);
        }
        if (state.equals("57014")) {
            return new DatabaseOperationException(operation + ": the statement was cancelled or ran past"
                    + " statement_timeout (SQLSTATE 57014)", state, e);
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return new DatabaseOperationException(operation + ": the transaction lost a serialization conflict or a"
                    + " deadlock (SQLSTATE " + state + "); retry the unit of work", state, e);
        }
        return new DatabaseOperationException(operation + ": the statement failed (SQLSTATE " + state + ")", state, e);
    }
}
