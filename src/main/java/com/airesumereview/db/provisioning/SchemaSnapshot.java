package com.airesumereview.db.provisioning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import com.airesumereview.db.provisioning.internal.QuietTestLogs;
import com.airesumereview.db.provisioning.internal.WarningsOnlyFlywayLog;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The production structure as Flyway-versioned SQL ({@code schema/V1__..., V2__...}).
 *
 * <p>It is only ever applied to databases the library created itself. Flyway's history table lives
 * in its own schema ({@value #HISTORY_SCHEMA}) so that {@code public} stays identical to production.
 */
public final class SchemaSnapshot {
    /** Where the build copies {@code schema/} inside the jar (a hyphenated path, so no Java package can collide with it). */
    public static final String BUNDLED_LOCATION = "classpath:com/airesumereview/db/schema-snapshot";
    /** The schema that holds Flyway's history table in databases the library creates. */
    public static final String HISTORY_SCHEMA = "flyway";

    private final String location;

    private SchemaSnapshot(String location) {
        this.location = location;
    }

    /**
     * The snapshot bundled in this library's jar: the exact files the generated code came from.
     *
     * @return the bundled snapshot ({@value #BUNDLED_LOCATION})
     */
    public static SchemaSnapshot bundled() {
        return new SchemaSnapshot(BUNDLED_LOCATION);
    }

    /**
     * A snapshot directory on disk, such as the project's {@code schema/} while regenerating code.
     *
     * @param dir a directory of Flyway files {@code V1__*.sql}, ...; read when the snapshot is applied
     * @return the snapshot
     * @throws ProvisioningException when {@code dir} is not a directory
     */
    public static SchemaSnapshot directory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ProvisioningException("schema directory " + dir.toAbsolutePath()
                    + " does not exist; expected Flyway files V1__*.sql, V2__*.sql, ...");
        }
        return new SchemaSnapshot("filesystem:" + dir.toAbsolutePath());
    }

    /**
     * The Flyway location, {@code classpath:...} or {@code filesystem:...}.
     *
     * @return the location, as given to Flyway
     */
    public String location() {
        return location;
    }

    /**
     * Applies every migration to {@code dataSource}, which must be a database the caller created.
     *
     * @return the versions applied, in order
     * @param dataSource a database the caller created; Flyway's history goes to schema {@value #HISTORY_SCHEMA}
     */
    public List<String> applyTo(DataSource dataSource) {
        TestDependencies.fromBuild().requireFlyway();
        FluentConfiguration configuration = Flyway.configure();
        if (!QuietTestLogs.verbose()) {
            configuration.loggers(WarningsOnlyFlywayLog.class.getName());
        }
        Flyway flyway = configuration
                .dataSource(dataSource)
                .locations(location)
                .schemas(HISTORY_SCHEMA)
                .createSchemas(true)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .load();
        MigrateResult result = flyway.migrate();
        if (!result.success) {
            throw new ProvisioningException("applying schema snapshot " + location + " failed: " + result.warnings);
        }
        return result.migrations.stream().map(m -> m.version).toList();
    }

    @Override
    public String toString() {
        return location;
    }
}
