package com.airesumereview.db.production;

import com.airesumereview.db.DatabaseUrl;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of the test's own ({@code initdb} into a temp directory, a free port on 127.0.0.1, trust
 * authentication, fsync off), for tests that stop and start the server under load, which the shared server must
 * never be. Runs as the {@code postgres} OS user when the JVM is root (PostgreSQL refuses root), as
 * {@code replication.ReplicaPair} does. {@link #close()} stops it and deletes the directory; a shutdown hook does the
 * same if the JVM ends first. Skips the test (assumption) only when the binaries are absent.
 */
public final class ThrowawayServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;
    private boolean closed;

    private ThrowawayServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "throwaway-server-stop");
    }

    /** Initialises and starts a server; waits until it accepts connections. */
    public static ThrowawayServer start() {
        Path bin = binDir();
        Assumptions.assumeTrue(bin != null && Files.isExecutable(bin.resolve("initdb"))
                && Files.isExecutable(bin.resolve("pg_ctl")), "PostgreSQL server binaries (initdb, pg_ctl from"
                + " `pg_config --bindir`) are not installed; install postgresql-15 to run the storm tests");
        boolean root = "root".equals(System.getProperty("user.name"));
        ThrowawayServer server;
        try {
            Path dir = Files.createTempDirectory("rrdb-server-");
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), true);
            }
            try (ServerSocket s = new ServerSocket(0)) {
                server = new ThrowawayServer(bin, dir, s.getLocalPort(), root);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the server's directory", e);
        }
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.pg(true, "initdb", "-D", server.data().toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--locale=C");
            Files.writeString(server.data().resolve("postgresql.conf"), "\n" + String.join("\n", List.of(
                    "port = " + server.port,
                    "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = '" + server.dir + "'",
                    "fsync = off",
                    "full_page_writes = off",
                    "shared_buffers = '32MB'",
                    "max_connections = 100")) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            server.startAndWait();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** {@code database} on this server as superuser {@code postgres}. */
    public DatabaseUrl url(String database) {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
    }

    /** Runs one statement as {@code postgres} in database {@code postgres} (test set-up, e.g. CREATE DATABASE). */
    public void sql(String statement) {
        try (Connection c = DriverManager.getConnection(url("postgres").jdbcUrl(), "postgres", null);
                Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server (fast shutdown: every connection is ended) and waits until it is down. */
    public void stop() {
        pg(true, "pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "stop");
    }

    /** Starts the server and returns at once, without waiting; see {@link #awaitAccepting()}. */
    public void startInBackground() {
        pg(true, "pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "start");
    }

    /**
     * Waits until a new connection succeeds, trying every 5 ms, and returns {@link System#nanoTime()} of that
     * first success: the moment the server accepts connections again, as precisely as a client can see it.
     */
    public long awaitAccepting() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = DriverManager.getConnection(url("postgres").jdbcUrl() + "?connectTimeout=1", "postgres", null)) {
                return System.nanoTime();
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the server did not accept connections within 60 s: "
                            + e.getMessage());
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", interrupted);
                }
            }
        }
    }

    private void startAndWait() {
        pg(true, "pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "start");
    }

    private static Path binDir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? Path.of(out) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void pg(boolean check, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command, check);
    }

    private static void run(List<String> command, boolean check) {
        try {
            // pg_ctl start leaves the server holding its output: discard it rather than wait for its end.
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private void stopQuietly() {
        if (Files.exists(data().resolve("postmaster.pid"))) {
            try {
                pg(false, "pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
            } catch (RuntimeException e) {
                System.err.println("could not stop " + data() + ": " + e.getMessage());
            }
        }
        try {
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }
}
