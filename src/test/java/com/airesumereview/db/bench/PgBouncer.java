package com.airesumereview.db.bench;

import com.airesumereview.db.DatabaseUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway transaction-pooling PgBouncer (Debian's {@code /usr/sbin/pgbouncer}) in front of one server, on a
 * free port of 127.0.0.1, run in the foreground as the {@code postgres} OS user when the JVM is root (PgBouncer
 * refuses root). Every database name is forwarded ({@code * =}), so a database created per fork needs no entry;
 * one user (the one the benchmark connects as) is listed in the auth file. pgJDBC's startup parameters
 * {@code extra_float_digits} and {@code options} are ignored, as a production PgBouncer must be told to.
 */
final class PgBouncer implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("bench.pgbouncer", "/usr/sbin/pgbouncer"));

    private final Path dir;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;

    private PgBouncer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.shutdownHook = new Thread(this::stop, "pgbouncer-stop");
    }

    /**
     * Starts PgBouncer in front of {@code server}'s host and port for {@code user}; waits until it accepts
     * connections.
     *
     * @throws IllegalStateException when the binary is missing (install Debian's pgbouncer) or it does not start
     */
    static PgBouncer start(DatabaseUrl server, int poolSize) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is not installed: apt-get install -y pgbouncer (or set"
                    + " -Dbench.pgbouncer=/path/to/pgbouncer)");
        }
        String hostPort = server.hosts().get(0);
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        String serverPort = hostPort.contains(":") ? hostPort.substring(hostPort.lastIndexOf(':') + 1) : "5432";
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("rrdb-pgbouncer-");
            int port = freePort();
            String user = server.user() == null ? "postgres" : server.user();
            String password = server.password() == null ? "" : server.password();
            Files.writeString(dir.resolve("users.txt"), quote(user) + " " + quote(password) + "\n",
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                    "[databases]",
                    "* = host=" + host + " port=" + serverPort,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir = " + dir,
                    "auth_type = trust",
                    "auth_file = " + dir.resolve("users.txt"),
                    "pool_mode = transaction",
                    "default_pool_size = " + poolSize,
                    "max_client_conn = 200",
                    "ignore_startup_parameters = extra_float_digits, options",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    "pidfile = " + dir.resolve("pgbouncer.pid"),
                    "") , StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            if (root) {
                run("chown", "-R", "postgres:postgres", dir.toString());
                command.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            command.add(BINARY.toString());
            command.add(dir.resolve("pgbouncer.ini").toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            PgBouncer b = new PgBouncer(dir, port, p);
            Runtime.getRuntime().addShutdownHook(b.shutdownHook);
            b.awaitListening();
            return b;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PgBouncer: " + e.getMessage(), e);
        }
    }

    /** {@code url} with PgBouncer's address in place of the server's. */
    DatabaseUrl inFrontOf(DatabaseUrl url) {
        return url.onHost("127.0.0.1:" + port);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PgBouncer exited " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("PgBouncer did not listen on 127.0.0.1:" + port + " within 20 s: " + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log")) + Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    private synchronized void stop() {
        // Our own child (runuser, whose child is pgbouncer): terminate it and its descendants, by handle.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a throwaway directory under tmp
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
