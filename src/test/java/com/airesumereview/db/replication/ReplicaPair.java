package com.airesumereview.db.replication;

import com.airesumereview.db.DatabaseUrl;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL 15 primary and one streaming replica, started by the test itself: {@code initdb}, then
 * {@code pg_basebackup -R} into a second data directory, each on its own free port on 127.0.0.1, in a temp
 * directory the unprivileged {@code postgres} OS user owns (PostgreSQL refuses to run as root; when the JVM
 * is not root the binaries run as the JVM's own user). Trust authentication, fsync off: a throwaway pair.
 *
 * <p>{@link #start()} skips the calling test (JUnit assumption) only when the binaries are absent
 * ({@code pg_config --bindir} has no {@code initdb}/{@code pg_basebackup}); any other failure fails the test
 * with the server's log. {@link #close()} stops both servers and deletes the directory; a shutdown hook does the
 * same if the JVM ends first.
 */
public final class ReplicaPair implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final Path bin;
    private final Path dir;
    private final int primaryPort;
    private final int replicaPort;
    private final boolean asPostgresUser;
    private final Mode mode;

    /** How commits wait for the standby. */
    public enum Mode {
        /** {@code synchronous_commit = off}, asynchronous standby: the default, a commit returns before its WAL is written. */
        COMMIT_OFF,
        /** {@code synchronous_commit = on}, asynchronous standby: a commit returns once flushed on the primary. */
        ASYNC_STANDBY,
        /** {@code synchronous_commit = on}, {@code synchronous_standby_names = '*'}: once flushed on the standby too. */
        SYNC_STANDBY
    }
    private final Thread shutdownHook;
    private boolean closed;

    private ReplicaPair(Path bin, Path dir, int primaryPort, int replicaPort, boolean asPostgresUser, Mode mode) {
        this.mode = mode;
        this.bin = bin;
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stopQuietly, "replica-pair-stop");
    }

    /** Starts a primary and a streaming replica; skips the test when the PostgreSQL binaries are not installed. */
    public static ReplicaPair start() {
        return start(Mode.COMMIT_OFF);
    }

    /**
     * Like {@link #start()} with commits waiting as {@code mode} says (the standby itself never has a synchronous
     * standby, so it takes writes at once after a promotion).
     */
    public static ReplicaPair start(Mode mode) {
        Path bin = binDir();
        Assumptions.assumeTrue(bin != null && Files.isExecutable(bin.resolve("initdb"))
                        && Files.isExecutable(bin.resolve("pg_basebackup")) && Files.isExecutable(bin.resolve("pg_ctl")),
                "PostgreSQL server binaries (initdb, pg_basebackup, pg_ctl from `pg_config --bindir`) are not installed;"
                        + " install postgresql-15 to run the replication tests");
        boolean root = "root".equals(System.getProperty("user.name"));
        ReplicaPair pair;
        try {
            Path dir = Files.createTempDirectory("rrdb-replicas-");
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), dir);
            }
            pair = new ReplicaPair(bin, dir, freePort(), freePort(), root, mode);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the replica pair's directory", e);
        }
        Runtime.getRuntime().addShutdownHook(pair.shutdownHook);
        try {
            pair.initPrimary();
            pair.cloneReplica();
            pair.awaitReplicaReady();
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Path primaryDir() {
        return dir.resolve("primary");
    }

    private Path replicaDir() {
        return dir.resolve("replica");
    }

    private void initPrimary() {
        pg("initdb", "-D", primaryDir().toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C");
        appendConf(primaryDir(), List.of(
                "port = " + primaryPort,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + dir + "'",
                "wal_level = replica",
                "max_wal_senders = 5",
                "wal_keep_size = '512MB'",
                "hot_standby = on",
                "fsync = off",
                // also proves the router takes the WAL insert position: a commit returns before its record is written
                "synchronous_commit = off",
                "full_page_writes = off",
                "shared_buffers = '32MB'",
                "max_connections = 120",
                "wal_receiver_status_interval = '1s'",
                "wal_retrieve_retry_interval = '200ms'"));
        if (mode != Mode.COMMIT_OFF) {
            appendConf(primaryDir(), List.of("synchronous_commit = on"));
        }
        pg("pg_ctl", "-D", primaryDir().toString(), "-l", dir.resolve("primary.log").toString(), "-w", "-t", "60", "start");
    }

    private void cloneReplica() {
        pg("pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(primaryPort), "-U", "postgres",
                "-D", replicaDir().toString(), "-R", "-X", "stream", "-c", "fast");
        appendConf(replicaDir(), List.of("port = " + replicaPort, "synchronous_standby_names = ''"));
        startReplica();
        if (mode == Mode.SYNC_STANDBY) {
            // Set after the standby is cloned (its copy of the settings must not wait for a standby of its own).
            try (Connection c = primaryAdmin(); Statement s = c.createStatement()) {
                s.execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
                s.execute("SELECT pg_reload_conf()");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot make the standby synchronous: " + e.getMessage(), e);
            }
        }
    }

    /** Starts the replica (again) and waits until it accepts connections. */
    public void startReplica() {
        pg("pg_ctl", "-D", replicaDir().toString(), "-l", dir.resolve("replica.log").toString(), "-w", "-t", "60", "start");
    }

    /** Kills the primary at once (pg_ctl stop -m immediate); the replica keeps running, its WAL receiver retrying. */
    public void killPrimary() {
        pg("pg_ctl", "-D", primaryDir().toString(), "-m", "immediate", "-w", "stop");
    }

    /** Starts the primary (again) and waits until it accepts connections. */
    public void startPrimary() {
        pg("pg_ctl", "-D", primaryDir().toString(), "-l", dir.resolve("primary.log").toString(), "-w", "-t", "60", "start");
    }

    /**
     * Starts the (stopped) replica as a primary without a promotion: {@code standby.signal} removed, it recovers its
     * own WAL and opens on the timeline it had, behind whatever the primary wrote after the replica stopped (a node
     * restored from an older copy, or a second primary of the same history).
     */
    public void startReplicaAsPrimaryOnItsTimeline() {
        try {
            Files.deleteIfExists(replicaDir().resolve("standby.signal"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove the replica's standby.signal: " + e.getMessage(), e);
        }
        startReplica();
    }

    /** Kills the replica at once (pg_ctl stop -m immediate: no shutdown checkpoint, connections cut). */
    public void killReplica() {
        pg("pg_ctl", "-D", replicaDir().toString(), "-m", "immediate", "-w", "stop");
    }

    private void awaitReplicaReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = replicaAdmin(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IllegalStateException("the replica is not in recovery: pg_basebackup -R did not make a standby");
                }
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replica did not accept connections: " + e.getMessage() + "\n" + log("replica.log"), e);
                }
                sleep(100);
            }
        }
    }

    /** The primary's {@code postgres} database as superuser {@code postgres}, for the provisioner. */
    public DatabaseUrl primaryAdminUrl() {
        return DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres?user=postgres");
    }

    /** Timeline of the server on {@code port} as its control file says (superuser connection). */
    public long timelineOn(int port) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT timeline_id FROM pg_control_checkpoint()")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("timeline on " + port + ": " + e.getMessage(), e);
        }
    }

    /** True when the server on {@code port} is a primary (not in recovery). */
    public boolean isPrimary(int port) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("on " + port + ": " + e.getMessage(), e);
        }
    }

    public int primaryPort() {
        return primaryPort;
    }

    public int replicaPort() {
        return replicaPort;
    }

    /** {@code url} (a database on the primary, any role) pointed at the same database on the replica. */
    public DatabaseUrl onReplica(DatabaseUrl url) {
        String marker = "127.0.0.1:" + primaryPort + "/";
        if (!url.jdbcUrl().contains(marker)) {
            throw new IllegalArgumentException("not a URL of this pair's primary: " + url.jdbcUrl());
        }
        return DatabaseUrl.of(url.jdbcUrl().replace(marker, "127.0.0.1:" + replicaPort + "/"), url.user(), url.password());
    }

    Connection primaryAdmin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres?user=postgres");
    }

    Connection replicaAdmin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + replicaPort + "/postgres?user=postgres&connectTimeout=2");
    }

    /** Promotes the replica to a primary of its own ({@code pg_promote()}, waits for it): it leaves recovery. */
    public void promoteReplica() {
        replicaSql("SELECT pg_promote(true, 30)");
        awaitReplicaSql("SELECT NOT pg_is_in_recovery()");
    }

    /** Stops the replica's replay ({@code pg_wal_replay_pause()}); it keeps receiving WAL. */
    public void pauseReplay() {
        replicaSql("SELECT pg_wal_replay_pause()");
        awaitReplicaSql("SELECT pg_get_wal_replay_pause_state() = 'paused'");
    }

    public void resumeReplay() {
        replicaSql("SELECT pg_wal_replay_resume()");
    }

    /** Sets {@code recovery_min_apply_delay} on the replica (reloaded, no restart); zero removes the delay. */
    public void applyDelay(Duration delay) {
        replicaSql("ALTER SYSTEM SET recovery_min_apply_delay = '" + delay.toMillis() + "ms'");
        replicaSql("SELECT pg_reload_conf()");
        awaitReplicaSql("SELECT setting::bigint = " + delay.toMillis() + " FROM pg_settings WHERE name = 'recovery_min_apply_delay'");
    }

    /** Waits until the replica has replayed everything the primary has written so far. */
    public void awaitReplayed() {
        String lsn;
        try (Connection c = primaryAdmin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("primary: " + e.getMessage(), e);
        }
        awaitReplicaSql("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn");
    }

    private void replicaSql(String sql) {
        try (Connection c = replicaAdmin(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on the replica: " + sql + ": " + e.getMessage(), e);
        }
    }

    private void awaitReplicaSql(String condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection c = replicaAdmin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(condition)) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            } catch (SQLException e) {
                // the replica may be restarting: try again until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica never satisfied: " + condition + "\n" + log("replica.log"));
            }
            sleep(20);
        }
    }

    private String log(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no " + name + ")";
        }
    }

    private void appendConf(Path dataDir, List<String> lines) {
        Path conf = dataDir.resolve("postgresql.conf");
        try {
            // Written by this JVM; ownership stays with the data directory's owner because we append.
            Files.writeString(conf, "\n# replica pair test settings\n" + String.join("\n", lines) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + conf, e);
        }
    }

    private void pg(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command, dir);
    }

    private static String run(List<String> command, Path workDir) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
            }
            return text;
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
        for (Path data : List.of(replicaDir(), primaryDir())) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
                } catch (RuntimeException e) {
                    System.err.println("could not stop " + data + ": " + e.getMessage());
                }
            }
        }
        try {
            run(List.of("rm", "-rf", dir.toString()), Path.of("/"));
        } catch (RuntimeException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Stops both servers and deletes their directory. */
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
