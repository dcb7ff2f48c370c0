package com.airesumereview.db.provisioning;

import com.airesumereview.db.DatabaseUrl;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A {@code postgres:15} container via Testcontainers. Kept deliberately thin: it cannot run on the
 * project's own CI (no Docker engine there), so everything above the admin URL is shared with the
 * other sources and tested through them.
 */
final class ContainerServer implements PostgresServer {
    static final String IMAGE = "postgres:15";

    private final PostgreSQLContainer<?> container;

    private ContainerServer(PostgreSQLContainer<?> container) {
        this.container = container;
    }

    /** True when Testcontainers is on the classpath and a Docker engine answers. */
    static boolean dockerAnswers() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // closed in close()
    static ContainerServer start() {
        PostgreSQLContainer<?> c = new PostgreSQLContainer<>(IMAGE).withCommand("postgres", "-c", "timezone=UTC",
                "-c", "fsync=off", "-c", "max_connections=200");
        c.start();
        return new ContainerServer(c);
    }

    @Override
    public DatabaseSource source() {
        return DatabaseSource.CONTAINER;
    }

    @Override
    public DatabaseUrl adminUrl() {
        return DatabaseUrl.of("jdbc:postgresql://" + container.getHost() + ":"
                + container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/postgres",
                container.getUsername(), container.getPassword());
    }

    @Override
    public String description() {
        return "Testcontainers " + IMAGE + " at " + container.getHost();
    }

    @Override
    public void close() {
        container.stop();
    }
}
