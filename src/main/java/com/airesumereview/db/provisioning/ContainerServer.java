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
    static final String IMAGE = "postgres:";

    private final PostgreSQLContainer<?> container;
    private final String image;

    private ContainerServer(PostgreSQLContainer<?> container, String image) {
        this.container = container;
        this.image = image;
    }

    /** True when Testcontainers is on the classpath and a Docker engine answers. */
    static boolean dockerAnswers() {
        if (!dockerConfigured()) {
            // Testcontainers would log an ERROR with a stack of strategies; there is nothing to find.
            return false;
        }
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Cheap look for any sign of a Docker engine before asking Testcontainers to probe for one. */
    private static boolean dockerConfigured() {
        if (System.getenv("DOCKER_HOST") != null || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null) {
            return true;
        }
        String home = System.getProperty("user.home", "");
        return java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".testcontainers.properties"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker", "run", "docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".rd", "docker.sock"))
                || System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
    }

    @SuppressWarnings("resource") // closed in close()
    static ContainerServer start(int major) {
        String image = IMAGE + major;
        PostgreSQLContainer<?> c = new PostgreSQLContainer<>(image).withCommand("postgres", "-c", "timezone=UTC",
                "-c", "fsync=off", "-c", "max_connections=200");
        c.start();
        return new ContainerServer(c, image);
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
        return "Testcontainers " + image + " at " + container.getHost();
    }

    @Override
    public void close() {
        container.stop();
    }
}
