package com.airesumereview.db.production;

import com.airesumereview.db.DatabaseUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PgBouncer (Debian's {@code /usr/sbin/pgbouncer}, 1.18 on the CI image) started by the test in front of a
 * PostgreSQL server, as production runs it: {@code pool_mode = transaction} (unless told otherwise), every database
 * name passed through to the server, trust authentication for the users given. Its ini, user list, log and pid file
 * live in a temp directory the {@code postgres} OS user owns (PgBouncer refuses to run as root; when the JVM is not
 * root it runs as the JVM's user). Listens on a free port of 127.0.0.1.
 *
 * <p>{@link #start} skips the calling test (JUnit assumption) only when the binary is absent; any other failure fails
 * the test with PgBouncer's log. {@link #close()} stops it and deletes the directory; a shutdown hook does the same
 * if the JVM ends first.
 */
public final class PgBouncer implements AutoCloseable {
    /** Where Debian's package installs it; {@code .ci/run} installs the package when missing. */
    public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?/");

    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final Thread shutdownHook;
    private long pid;
    private boolean closed;

    private PgBouncer(Path dir, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "pgbouncer-stop");
    }

    /** A transaction-pooling PgBouncer in front of {@code url}'s server, letting in {@code url}'s user. */
    public static PgBouncer transactionPooling(DatabaseUrl url) {
        return start(url, "transaction", List.of());
    }

    /**
     * Starts PgBouncer in front of the server of {@code server} (its host and port; every database name is passed
     * through), admitting {@code server}'s user and {@code moreUsers}.
     *
     * @param poolMode     {@code transaction}, {@code session} or {@code statement}
     * @param extraSettings more {@code [pgbouncer]} lines, e.g. {@code ignore_startup_parameters = options}
     */
    public static PgBouncer start(DatabaseUrl server, String poolMode, Collection<String> extraSettings,
                                  String... moreUsers) {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "PgBouncer is not installed (" + BINARY
                + "); install Debian's pgbouncer package (.ci/run does) to run the pooler tests");
        Matcher m = HOST_PORT.matcher(server.jdbcUrl());
        if (!m.find()) {
            throw new IllegalArgumentException("not a single-host jdbc:postgresql URL: " + server.jdbcUrl());
        }
        String host = m.group(1);
        int serverPort = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        Set<String> users = new LinkedHashSet<>();
        users.add(server.user() == null ? System.getProperty("user.name") : server.user());
        users.add("postgres");
        users.addAll(List.of(moreUsers));
        boolean root = "root".equals(System.getProperty("user.name"));
        PgBouncer bouncer;
        try {
            Path dir = Files.createTempDirectory("rrdb-pgbouncer-");
            StringBuilder userlist = new StringBuilder();
            for (String user : users) {
                userlist.append('"').append(user).append("\" \"\"\n");
            }
            Files.writeString(dir.resolve("userlist.txt"), userlist, StandardCharsets.UTF_8);
            bouncer = new PgBouncer(dir, freePort(), root);
            List<String> ini = new ArrayList<>(List.of(
                    "[databases]",
                    "* = host=" + host + " port=" + serverPort,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + bouncer.port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + dir.resolve("userlist.txt"),
                    "pool_mode = " + poolMode,
                    "max_client_conn = 1000",
                    "default_pool_size = 20",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    "pidfile = " + dir.resolve("pgbouncer.pid"),
                    "admin_users = postgres"));
            ini.addAll(extraSettings);
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n", ini) + "\n", StandardCharsets.UTF_8);
            if (root) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PgBouncer's configuration", e);
        }
        Runtime.getRuntime().addShutdownHook(bouncer.shutdownHook);
        try {
            bouncer.launch();
            return bouncer;
        } catch (RuntimeException e) {
            bouncer.close();
            throw e;
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(BINARY.toString(), "-d", dir.resolve("pgbouncer.ini").toString()));
        run(command);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                pid = Long.parseLong(Files.readString(dir.resolve("pgbouncer.pid")).trim());
                return;
            } catch (IOException | NumberFormatException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PgBouncer did not listen on " + port + ":\n" + log());
                }
                sleep(20);
            }
        }
    }

    /** The port PgBouncer listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code url} (a database on the server PgBouncer fronts) through PgBouncer instead: same database and user. */
    public DatabaseUrl through(DatabaseUrl url) {
        Matcher m = HOST_PORT.matcher(url.jdbcUrl());
        if (!m.find()) {
            throw new IllegalArgumentException("not a single-host jdbc:postgresql URL: " + url.jdbcUrl());
        }
        String rewritten = "jdbc:postgresql://127.0.0.1:" + port + "/" + url.jdbcUrl().substring(m.end());
        return DatabaseUrl.of(rewritten, url.user(), url.password());
    }

    /** The last lines of PgBouncer's log, for failure messages. */
    public String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("pgbouncer.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no pgbouncer.log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n"
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void stopQuietly() {
        if (pid > 0) {
            // The one process this object started (its pid file's), never one found by name.
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
        try {
            run(List.of("rm", "-rf", dir.toString()));
        } catch (RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Stops PgBouncer (its clients' connections end) and deletes its directory. */
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
            // the JVM is already shutting down: the hook is running or has run
        }
    }
}
