package com.airesumereview.db.schema;

import static com.airesumereview.db.schema.ConstraintViolation.CHECK;
import static com.airesumereview.db.schema.ConstraintViolation.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every named CHECK constraint of production: the values it lets through and values it turns away.
 * The accepted lists are the full vocabularies (the library's enums must match them); the rejected
 * lists show that checks are case-sensitive and that the two experience-level vocabularies differ.
 * NULL passes a CHECK in PostgreSQL, so nullable columns list it as accepted: such rows can exist.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class CheckConstraintsTest {

    record CheckCase(String constraint, String table, String column, List<Object> accepted, List<Object> rejected) {
    }

    static Stream<Named<CheckCase>> constraints() {
        return Stream.of(
                check("users_role_check", "users", "role",
                        values("consultant", "admin"), values("Admin", "superuser")),
                check("chk_refresh_tokens_status", "refresh_tokens", "status",
                        values("active", "expired", "revoked"), values("ACTIVE", "used")),
                check("chk_file_uploads_status_values", "file_uploads", "status",
                        values("pending", "validating", "extracting", "completed", "error"),
                        values("failed", "processing")),
                check("chk_file_uploads_experience_level", "file_uploads", "experience_level",
                        values("junior", "mid", "senior", null), values("entry", "executive")),
                check("chk_file_uploads_file_size_positive", "file_uploads", "file_size",
                        values(1, Integer.MAX_VALUE), values(0, -1)),
                check("chk_file_uploads_progress_range", "file_uploads", "progress",
                        values(0, 50, 100, null), values(-1, 101)),
                check("analysis_requests_status_check", "analysis_requests", "status",
                        values("pending", "processing", "completed", "failed"), values("error", "Pending")),
                check("analysis_requests_experience_level_check", "analysis_requests", "experience_level",
                        values("entry", "mid", "senior", "executive", null), values("junior", "lead")),
                check("analysis_results_overall_score_check", "analysis_results", "overall_score",
                        values(0, 100, null), values(-1, 101)),
                check("analysis_results_formatting_score_check", "analysis_results", "formatting_score",
                        values(0, 100, null), values(-1, 101)),
                check("analysis_results_content_score_check", "analysis_results", "content_score",
                        values(0, 100, null), values(-1, 101)),
                check("analysis_results_keyword_optimization_score_check", "analysis_results",
                        "keyword_optimization_score", values(0, 100, null), values(-1, 101)),
                check("prompts_prompt_type_check", "prompts", "prompt_type",
                        values("system", "analysis", "formatting", "content"), values("user", "System")));
    }

    @ParameterizedTest(name = "{0} accepts its allowed values")
    @MethodSource("constraints")
    void acceptsEveryAllowedValue(CheckCase c, DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        for (Object value : c.accepted()) {
            UUID id = insertWith(rows, c.table(), c.column(), value);
            assertThat(rows.queryForObject("SELECT " + c.column() + " FROM " + c.table() + " WHERE id = ?",
                    Object.class, id))
                    .as("%s.%s stored as given", c.table(), c.column())
                    .isEqualTo(value);
        }
    }

    @ParameterizedTest(name = "{0} rejects values outside it")
    @MethodSource("constraints")
    void rejectsValuesOutsideTheConstraint(CheckCase c, DataSource dataSource) throws SQLException {
        SchemaRows rows = new SchemaRows(dataSource);
        long before = rows.count(c.table());
        for (Object value : c.rejected()) {
            assertRejected(() -> insertWith(rows, c.table(), c.column(), value), CHECK, c.constraint());
        }
        assertThat(rows.count(c.table())).as("rows in %s after rejected inserts", c.table()).isEqualTo(before);
    }

    /** Inserts an otherwise valid row of {@code table} (with any parent rows it needs) with one column set. */
    private static UUID insertWith(SchemaRows rows, String table, String column, Object value) throws SQLException {
        Map<String, Object> override = Collections.singletonMap(column, value);
        return switch (table) {
            case "users" -> rows.user(override);
            case "refresh_tokens" -> rows.refreshToken(rows.user(), override);
            case "file_uploads" -> rows.fileUpload(rows.user(), override);
            case "analysis_requests" -> rows.analysisRequest(rows.user(), override);
            case "analysis_results" -> rows.analysisResult(rows.analysisRequest(rows.user()), override);
            case "prompts" -> rows.prompt(override);
            default -> throw new IllegalArgumentException("no row helper for " + table);
        };
    }

    private static Named<CheckCase> check(String constraint, String table, String column, List<Object> accepted,
            List<Object> rejected) {
        return Named.of(constraint, new CheckCase(constraint, table, column, accepted, rejected));
    }

    private static List<Object> values(Object... values) {
        return Arrays.asList(values);
    }
}
