package com.airesumereview.db.testing;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.TestRole;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A snapshot database for a Spring Boot test, in one line: the application's own beans (Boot's pool, the
 * {@code ResumeReviewDb} bean, a {@code JdbcTemplate}) use it.
 * <pre>{@code
 * @SpringBootTest
 * class RegistrationTest {
 *     @DynamicPropertySource
 *     static void database(DynamicPropertyRegistry registry) {
 *         SnapshotDatabaseProperties.register(registry);
 *     }
 * }
 * }</pre>
 * Sets {@code spring.datasource.url}, {@code username} and {@code password} to a fresh database built from the
 * bundled production snapshot, and {@code spring.flyway.enabled=false}: the snapshot already is the schema, and
 * Boot's Flyway auto-configuration would otherwise try to migrate it with the service's own scripts. The server
 * is chosen as for {@link SnapshotDatabaseExtension} ({@code RESUME_REVIEW_DB_SERVER_URL}, else Docker, else
 * embedded PostgreSQL 15), with the same test dependencies.
 *
 * <p>Spring calls the method once per application context it builds, and caches that context for the rest of the
 * run, so the database lives as long as the JVM: one provisioner serves every context of the run and drops its
 * databases when the JVM exits. Test classes sharing a context share its database; clean up rows in the test
 * (or use {@code @Transactional} tests) when order matters.
 */
public final class SnapshotDatabaseProperties {
    private SnapshotDatabaseProperties() {
    }

    /**
     * Creates a snapshot database and points Boot's data source at it (see the class comment).
     *
     * @param registry the test class's {@code @DynamicPropertySource} registry
     * @return the database, for a test's own set-up through {@link ProvisionedDatabase#ownerDataSource()}
     */
    public static ProvisionedDatabase register(DynamicPropertyRegistry registry) {
        ProvisionedDatabase database = RunProvisioner.INSTANCE.createSnapshotDatabase(TestRole.fromSettings());
        DatabaseUrl url = database.url();
        registry.add("spring.datasource.url", url::jdbcUrl);
        if (url.user() != null) {
            registry.add("spring.datasource.username", url::user);
        }
        if (url.password() != null) {
            registry.add("spring.datasource.password", url::password);
        }
        registry.add("spring.flyway.enabled", () -> "false");
        return database;
    }

    /**
     * The run's provisioner. A JVM-wide instance because Spring's context cache is JVM-wide (JUnit's stores end
     * before cached contexts close); started on first use, closed (its databases dropped) at JVM exit.
     */
    private static final class RunProvisioner {
        static final PostgresProvisioner INSTANCE = start();

        private static PostgresProvisioner start() {
            PostgresProvisioner provisioner = PostgresProvisioner.start();
            Runtime.getRuntime().addShutdownHook(new Thread(provisioner::close, "resume-review-db-test-databases"));
            return provisioner;
        }
    }
}
