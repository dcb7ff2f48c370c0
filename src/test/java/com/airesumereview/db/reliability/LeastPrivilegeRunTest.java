package com.airesumereview.db.reliability;

import static com.airesumereview.db.reliability.LeastPrivilegeTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.TestRole;
import com.airesumereview.db.testing.SnapshotDatabaseExtension;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs inside the least-privilege step of {@code .ci/run}, in the same JVM and on the same provisioner as the
 * repository suite, and proves that step really ran as the restricted role: {@code current_user} of the data
 * source every repository test gets is the run's {@code rrdb_app_...} role, which may not create anything.
 *
 * <p>The step sets {@value #EXPECT_ENV}{@code =least-privilege} independently of the setting under test, so a
 * setting that never reached the test JVM fails here instead of silently running the suite as the owner. Without
 * {@value #EXPECT_ENV} (the default suite) it checks that {@code current_user} is whatever {@link TestRole} says.
 */
@ExtendWith(SnapshotDatabaseExtension.class)
class LeastPrivilegeRunTest {
    static final String EXPECT_ENV = "RESUME_REVIEW_DB_EXPECT_TEST_ROLE";

    @Test
    void theSuiteRunsAsTheRoleTheRunAskedFor(ProvisionedDatabase db, DataSource dataSource) throws SQLException {
        String expected = System.getenv(EXPECT_ENV);
        TestRole role = expected == null ? TestRole.fromSettings() : TestRole.parse(expected);
        String currentUser = one(dataSource, "SELECT current_user");
        System.out.printf("[reliability] least privilege run: %s=%s, test role %s, current_user %s%n", EXPECT_ENV,
                expected, db.role(), currentUser);
        assertThat(db.role()).as("role of the databases this run hands out").isEqualTo(role);
        assertThat(currentUser).isEqualTo(db.url().user());
        if (role == TestRole.LEAST_PRIVILEGE) {
            assertThat(currentUser).as("current_user of the repository suite's data source").startsWith("rrdb_app_")
                    .isNotEqualTo(one(db.ownerDataSource(), "SELECT current_user"));
            assertThat(one(dataSource, "SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls FROM pg_roles"
                    + " WHERE rolname = current_user")).as("powers of " + currentUser).isEqualTo("f");
            assertThat(one(dataSource, "SELECT has_schema_privilege(current_user, 'public', 'CREATE')"
                    + " OR has_database_privilege(current_user, current_database(), 'CREATE')"
                    + " OR has_database_privilege(current_user, current_database(), 'TEMPORARY')"))
                    .as("may %s create anything", currentUser).isEqualTo("f");
        }
    }
}
