package com.airesumereview.db.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airesumereview.db.ResumeReviewDb;
import com.airesumereview.db.domain.FileUpload;
import com.airesumereview.db.domain.RotationResult;
import com.airesumereview.db.generated.vocabulary.UploadStatus;
import com.airesumereview.db.provisioning.DatabaseSource;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.testing.TestAnalyses;
import com.airesumereview.db.testing.TestRefreshTokens;
import com.airesumereview.db.testing.TestUploads;
import com.airesumereview.db.testing.TestUsers;
import com.airesumereview.db.verification.Verdict;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The least-privilege test role ({@link TestRole#LEAST_PRIVILEGE}) really is least privilege: it may read and
 * write rows and execute functions, nothing else, so the repository suite passing as this role
 * ({@code -Dresume-review-db.test-role=least-privilege}, a step of {@code .ci/run}) proves the library issues no DDL.
 */
class LeastPrivilegeTest {
    private static PostgresProvisioner provisioner;
    private static ProvisionedDatabase db;

    @BeforeAll
    static void provision() {
        provisioner = PostgresProvisioner.start();
        db = provisioner.createSnapshotDatabase(TestRole.LEAST_PRIVILEGE);
    }

    @AfterAll
    static void drop() {
        if (provisioner != null) {
            provisioner.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE intruder (id int)",
            "CREATE TEMPORARY TABLE intruder (id int)",
            "CREATE SCHEMA intruder",
            "CREATE INDEX intruder ON users (first_name)",
            "ALTER TABLE users ADD COLUMN intruder text",
            "DROP TABLE prompt_history",
            "TRUNCATE refresh_tokens",
            "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "CREATE TRIGGER intruder BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()",
            "COMMENT ON TABLE users IS 'intruder'",
            "ANALYZE users"})
    void roleCannotChangeTheSchema(String ddl) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (ddl.startsWith("ANALYZE")) {
                // PostgreSQL only warns and skips a table the role does not own.
                s.execute(ddl);
                java.sql.SQLWarning warning = s.getWarnings();
                assertThat((Object) warning).as("warning for " + ddl).isNotNull();
                assertThat(warning.getMessage()).contains("skipping");
                return;
            }
            assertThatThrownBy(() -> s.execute(ddl))
                    .as(ddl)
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).as("SQLSTATE of " + ddl + ": " + e.getMessage())
                                    .isIn("42501"));
        }
    }

    @Test
    void roleHoldsExactlyRowPrivilegesAndOwnsNothing() throws SQLException {
        String role = provisioner.leastPrivilegeRole().orElseThrow();
        assertThat(db.role()).isEqualTo(TestRole.LEAST_PRIVILEGE);
        assertThat(db.url().user()).isEqualTo(role);
        assertThat(one(db.dataSource(), "SELECT current_user")).isEqualTo(role);
        assertThat(one(db.ownerDataSource(), "SELECT current_user")).isNotEqualTo(role);
        assertThat(one(db.ownerDataSource(), "SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication"
                + " OR rolbypassrls FROM pg_roles WHERE rolname = '" + role + "'")).isEqualTo("f");
        assertThat(one(db.ownerDataSource(), "SELECT has_schema_privilege('" + role + "', 'public', 'CREATE')"))
                .isEqualTo("f");
        assertThat(one(db.ownerDataSource(), "SELECT has_schema_privilege('" + role + "', 'public', 'USAGE')"))
                .isEqualTo("t");
        assertThat(one(db.ownerDataSource(), "SELECT has_database_privilege('" + role + "', current_database(),"
                + " 'CREATE') OR has_database_privilege('" + role + "', current_database(), 'TEMPORARY')")).isEqualTo("f");
        // Per table: exactly the four row privileges.
        List<String> tables = all(db.ownerDataSource(), "SELECT c.relname || ':' || "
                + "concat_ws(',', CASE WHEN has_table_privilege('" + role + "', c.oid, 'SELECT') THEN 'SELECT' END,"
                + " CASE WHEN has_table_privilege('" + role + "', c.oid, 'INSERT') THEN 'INSERT' END,"
                + " CASE WHEN has_table_privilege('" + role + "', c.oid, 'UPDATE') THEN 'UPDATE' END,"
                + " CASE WHEN has_table_privilege('" + role + "', c.oid, 'DELETE') THEN 'DELETE' END,"
                + " CASE WHEN has_table_privilege('" + role + "', c.oid, 'TRUNCATE') THEN 'TRUNCATE' END,"
                + " CASE WHEN has_table_privilege('" + role + "', c.oid, 'REFERENCES') THEN 'REFERENCES' END,"
                + " CASE WHEN has_table_privilege('" + role + "', c.oid, 'TRIGGER') THEN 'TRIGGER' END)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname");
        assertThat(tables).hasSize(8).allSatisfy(t -> assertThat(t).endsWith(":SELECT,INSERT,UPDATE,DELETE"));
        assertThat(one(db.ownerDataSource(), "SELECT bool_and(has_function_privilege('" + role + "', p.oid, 'EXECUTE'))"
                + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"))
                .isEqualTo("t");
        assertThat(one(db.ownerDataSource(), "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
                + " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
                + " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
                + " + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)"
                + " FROM pg_roles r WHERE r.rolname = '" + role + "'")).isEqualTo("0");
        // Flyway's history is not the library's business.
        assertThat(one(db.ownerDataSource(), "SELECT has_schema_privilege('" + role + "', 'flyway', 'USAGE')"))
                .isEqualTo("f");
    }

    @Test
    void everyRepositoryWorksAsTheRole() {
        ResumeReviewDb lib = ResumeReviewDb.create(db.dataSource());
        var user = lib.users().create(TestUsers.newUser());
        lib.users().recordFailedLogin(user.id());
        FileUpload upload = lib.fileUploads().create(TestUploads.pdf(user.id()));
        lib.fileUploads().startValidating(upload.id());
        lib.fileUploads().startExtracting(upload.id());
        assertThat(lib.fileUploads().complete(upload.id(), TestUploads.extractionResult()).status())
                .isEqualTo(UploadStatus.COMPLETED);
        assertThat(lib.fileUploads().createAll(TestUploads.many(user.id(), 5))).isEqualTo(5); // COPY FROM STDIN
        lib.fileUploads().statistics(user.id());
        lib.fileUploads().cleanupOldUploads();
        var token = TestRefreshTokens.newToken(user.id());
        lib.refreshTokens().issue(token);
        assertThat(lib.refreshTokens().rotate(token.rawToken(), TestRefreshTokens.rawToken()))
                .isInstanceOf(RotationResult.Rotated.class);
        lib.refreshTokens().markOverdueExpired();
        lib.refreshTokens().deleteStaleTokens();
        var request = lib.analyses().create(TestAnalyses.newRequest(user.id()));
        lib.analyses().claimNextPending().orElseThrow();
        lib.analyses().complete(request.id(), TestAnalyses.newResult());
        lib.prompts().recordUse(request.id(), lib.prompts().findActiveByName("content_analysis").orElseThrow());
        lib.schemaMigrations();
        // The start-up schema check reads the catalog only, so a service's runtime role can run it.
        assertThat(lib.verifySchema().verdict()).isEqualTo(Verdict.MATCHES);
    }

    @Test
    void ownerModeHandsOutTheOwnerAndCloseDropsTheRole() throws SQLException {
        try (PostgresProvisioner own = PostgresProvisioner.start()) {
            ProvisionedDatabase asOwner = own.createSnapshotDatabase(TestRole.OWNER);
            assertThat(asOwner.role()).isEqualTo(TestRole.OWNER);
            assertThat(asOwner.dataSource()).isSameAs(asOwner.ownerDataSource());
            assertThat(own.leastPrivilegeRole()).isEmpty();
            ProvisionedDatabase restricted = own.createSnapshotDatabase(TestRole.LEAST_PRIVILEGE);
            String role = own.leastPrivilegeRole().orElseThrow();
            assertThat(role).startsWith("rrdb_app_").isNotEqualTo(provisioner.leastPrivilegeRole().orElseThrow());
            assertThat(one(restricted.dataSource(), "SELECT current_user")).isEqualTo(role);
            // Databases made before the role existed keep their owner connection.
            assertThat(one(asOwner.dataSource(), "SELECT current_user")).isNotEqualTo(role);
            if (own.source() == DatabaseSource.SERVER && provisioner.source() == DatabaseSource.SERVER) {
                own.close();
                assertThat(one(db.ownerDataSource(), "SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'"))
                        .as("role dropped on close").isEqualTo("0");
            }
        }
    }

    @Test
    void parsesTheSetting() {
        assertThat(TestRole.parse(null)).isEqualTo(TestRole.OWNER);
        assertThat(TestRole.parse("Least-Privilege")).isEqualTo(TestRole.LEAST_PRIVILEGE);
        assertThat(TestRole.parse("owner")).isEqualTo(TestRole.OWNER);
        assertThatThrownBy(() -> TestRole.parse("root")).hasMessageContaining(TestRole.PROPERTY)
                .hasMessageContaining("owner or least-privilege");
    }

    static String one(DataSource ds, String sql) throws SQLException {
        List<String> rows = all(ds, sql);
        assertThat(rows).as(sql).hasSize(1);
        return rows.get(0);
    }

    static List<String> all(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
