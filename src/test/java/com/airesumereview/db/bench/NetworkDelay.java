package com.airesumereview.db.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 a fixed network delay away: a network namespace {@value #NAMESPACE} joined to the host
 * by a veth pair ({@value #HOST_ADDRESS}/30 on the host, {@value #SERVER_ADDRESS} inside), {@code tc netem delay}
 * of half the requested round trip on both ends, and a server from {@code initdb} running inside the namespace as
 * the {@code postgres} OS user (PostgreSQL refuses root), listening on {@value #SERVER_ADDRESS}:5432 with trust
 * authentication for the /30.
 *
 * <p>Needs root, {@code ip} and {@code tc} (Debian's {@code iproute2}), the kernel's {@code sch_netem} and the
 * PostgreSQL server binaries; where one is missing {@link #start} throws {@link Unavailable} naming it, so the
 * benchmark can skip with that message. {@link #close()} stops the server and removes the namespace, the link and
 * the directory; a shutdown hook does the same when the JVM ends first, and {@link #start} first removes what a
 * killed run left behind (the namespace and link names are fixed, so they can only be this class's).
 */
final class NetworkDelay implements DelayedServer {
    static final String NAMESPACE = "rrdb-bench";
    static final String HOST_LINK = "rrdb-veth0";
    static final String NAMESPACE_LINK = "rrdb-veth1";
    static final String HOST_ADDRESS = "10.231.0.1";
    static final String SERVER_ADDRESS = "10.231.0.2";
    private static final String DIR_PREFIX = "rrdb-netns-";
    private static final long COMMAND_SECONDS = 120;

    /** Why the delayed server cannot be made on this machine; the message is the skip message. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Path bin;
    private final Path dir;
    private final double roundTripMs;
    private final Thread shutdownHook = new Thread(this::removeQuietly, "network-delay-remove");
    private String measuredRtt = "not measured";
    private double rttMs = Double.NaN;
    private boolean closed;

    private NetworkDelay(Path bin, Path dir, double roundTripMs) {
        this.bin = bin;
        this.dir = dir;
        this.roundTripMs = roundTripMs;
    }

    /**
     * Makes the namespace with {@code roundTripMs} of added delay (half on each end; 0 makes the namespace without
     * netem, to check the rest) and starts the server in it.
     *
     * @throws Unavailable when this machine cannot do it (not root, no ip/tc, no sch_netem, no PostgreSQL binaries)
     */
    static NetworkDelay start(double roundTripMs) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new Unavailable("added network latency needs root (ip netns, tc netem); this JVM runs as "
                    + System.getProperty("user.name"));
        }
        for (String tool : List.of("ip", "tc")) {
            if (onPath(tool) == null) {
                throw new Unavailable("added network latency needs `" + tool + "` (Debian package iproute2:"
                        + " apt-get install -y iproute2)");
            }
        }
        if (onPath("runuser") == null) {
            throw new Unavailable("added network latency needs `runuser` (util-linux) to run PostgreSQL as postgres");
        }
        Path bin = binDir();
        if (bin == null || !Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
            throw new Unavailable("added network latency needs the PostgreSQL 15 server binaries (initdb, pg_ctl from"
                    + " `pg_config --bindir`); install postgresql-15");
        }
        removeStale();
        Path dir;
        try {
            dir = Files.createTempDirectory(DIR_PREFIX);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the delayed server's directory", e);
        }
        NetworkDelay d = new NetworkDelay(bin, dir, roundTripMs);
        Runtime.getRuntime().addShutdownHook(d.shutdownHook);
        try {
            d.link();
            d.delay();
            d.server();
            d.measure();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    @Override
    public String kind() {
        return "network namespace + tc netem";
    }

    /** The server's {@code postgres} database as superuser {@code postgres}, for the provisioner. */
    @Override
    public String adminJdbcUrl() {
        return "jdbc:postgresql://" + SERVER_ADDRESS + ":5432/postgres?user=postgres";
    }

    /** The round trip asked for, in ms. */
    @Override
    public double requestedRoundTripMs() {
        return roundTripMs;
    }

    /** The measured round trip in ms (ping's average, else the median TCP connect), NaN when not measured. */
    @Override
    public double measuredRoundTripMs() {
        return rttMs;
    }

    /** How the round trip was measured and what came out, for the report. */
    @Override
    public String measuredRoundTrip() {
        return measuredRtt;
    }

    private void link() {
        run("ip", "netns", "add", NAMESPACE);
        run("ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", NAMESPACE_LINK);
        run("ip", "link", "set", NAMESPACE_LINK, "netns", NAMESPACE);
        run("ip", "addr", "add", HOST_ADDRESS + "/30", "dev", HOST_LINK);
        run("ip", "link", "set", HOST_LINK, "up");
        inNamespace("ip", "addr", "add", SERVER_ADDRESS + "/30", "dev", NAMESPACE_LINK);
        inNamespace("ip", "link", "set", NAMESPACE_LINK, "up");
        inNamespace("ip", "link", "set", "lo", "up");
    }

    private void delay() {
        if (roundTripMs > 0) {
            delay(roundTripMs);
        }
    }

    /**
     * Sets the added round trip to {@code ms} (half on each end), or removes the delay for {@code ms <= 0}, and
     * measures the round trip again.
     */
    @Override
    public void delay(double ms) {
        if (ms <= 0) {
            tryRun("tc", "qdisc", "del", "dev", HOST_LINK, "root");
            tryRun("ip", "netns", "exec", NAMESPACE, "tc", "qdisc", "del", "dev", NAMESPACE_LINK, "root");
        } else {
            String oneWay = String.format(Locale.ROOT, "%.3fms", ms / 2);
            try {
                run("tc", "qdisc", "replace", "dev", HOST_LINK, "root", "netem", "delay", oneWay);
            } catch (IllegalStateException e) {
                if (e.getMessage().contains("qdisc kind is unknown") || e.getMessage().contains("No such file")) {
                    throw new Unavailable("added network latency needs the kernel's sch_netem (tc netem); this"
                            + " kernel (" + System.getProperty("os.version") + ") has none: `tc qdisc add ... netem`"
                            + " says \"Specified qdisc kind is unknown\"");
                }
                throw e;
            }
            inNamespace("tc", "qdisc", "replace", "dev", NAMESPACE_LINK, "root", "netem", "delay", oneWay);
        }
        if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
            measure();
        }
    }

    private void server() {
        run("chown", "postgres:postgres", dir.toString());
        Path data = dir.resolve("data");
        asPostgres(false, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C");
        try {
            Files.writeString(data.resolve("postgresql.conf"), "\n# NetworkDelay: a throwaway server\n"
                            + "listen_addresses = '" + SERVER_ADDRESS + "'\nport = 5432\n"
                            + "unix_socket_directories = '" + dir + "'\nfsync = off\nfull_page_writes = off\n"
                            + "shared_buffers = '128MB'\nmax_connections = 50\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.writeString(data.resolve("pg_hba.conf"), "\nhost all all " + HOST_ADDRESS + "/30 trust\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot configure the delayed server in " + data, e);
        }
        asPostgres(true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log")
                .toString(), "-w", "-t", "60", "start");
    }

    /** ping -c 20 when installed (iputils-ping), and always 20 TCP connects (one SYN/SYN-ACK round trip each). */
    private void measure() {
        List<String> parts = new ArrayList<>();
        String ping = onPath("ping");
        double pingAvg = Double.NaN;
        if (ping != null) {
            String out = run("ping", "-c", "20", "-i", "0.2", "-q", SERVER_ADDRESS);
            Matcher m = Pattern.compile("= ([0-9.]+)/([0-9.]+)/([0-9.]+)/([0-9.]+) ms").matcher(out);
            if (m.find()) {
                pingAvg = Double.parseDouble(m.group(2));
                parts.add("`ping -c 20 " + SERVER_ADDRESS + "`: min/avg/max/mdev " + m.group(1) + "/" + m.group(2)
                        + "/" + m.group(3) + "/" + m.group(4) + " ms");
            }
        } else {
            parts.add("ping not installed (Debian iputils-ping)");
        }
        double[] connects = new double[20];
        for (int i = 0; i < connects.length; i++) {
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(SERVER_ADDRESS, 5432), 5_000);
                connects[i] = (System.nanoTime() - start) / 1e6;
            } catch (IOException e) {
                throw new IllegalStateException("cannot reach the delayed server at " + SERVER_ADDRESS + ":5432: "
                        + e.getMessage(), e);
            }
        }
        double[] sorted = connects.clone();
        Arrays.sort(sorted);
        double connectMedian = (sorted[9] + sorted[10]) / 2;
        parts.add(String.format(Locale.ROOT, "20 TCP connects from the JVM: median %.3f ms (min %.3f, max %.3f)",
                connectMedian, sorted[0], sorted[19]));
        rttMs = Double.isNaN(pingAvg) ? connectMedian : pingAvg;
        measuredRtt = String.join("; ", parts);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    private void removeQuietly() {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                asPostgres(true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                        "stop");
            } catch (RuntimeException e) {
                // removeStale below kills what is left in the namespace
            }
        }
        removeStale();
        deleteTree(dir);
    }

    /**
     * Removes the namespace, the link and the directories a previous (possibly killed) run left: first the
     * processes still inside the namespace (by pid, from {@code ip netns pids}), then the namespace and the link.
     */
    private static void removeStale() {
        if (run("ip", "netns", "list").lines().anyMatch(l -> l.split(" ")[0].equals(NAMESPACE))) {
            for (String pid : run("ip", "netns", "pids", NAMESPACE).trim().split("\\s+")) {
                if (pid.matches("[0-9]+")) {
                    tryRun("kill", "-9", pid);
                }
            }
            tryRun("ip", "netns", "del", NAMESPACE);
        }
        if (tryRun("ip", "link", "show", HOST_LINK)) {
            tryRun("ip", "link", "del", HOST_LINK);
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(tmp)) {
            s.filter(p -> p.getFileName().toString().startsWith(DIR_PREFIX)
                            && !Files.exists(p.resolve("data").resolve("postmaster.pid")))
                    .forEach(NetworkDelay::deleteTree);
        } catch (IOException e) {
            // nothing to clean
        }
    }

    private void inNamespace(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
        c.addAll(List.of(command));
        run(c.toArray(String[]::new));
    }

    private void asPostgres(boolean inNamespace, String... command) {
        List<String> c = new ArrayList<>();
        if (inNamespace) {
            c.addAll(List.of("ip", "netns", "exec", NAMESPACE));
        }
        c.addAll(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(command));
        run(c.toArray(String[]::new));
    }

    private static boolean tryRun(String... command) {
        try {
            run(command);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_SECONDS
                        + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + text.trim());
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return Path.of(d, tool).toString();
            }
        }
        for (String d : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return Path.of(d, tool).toString();
            }
        }
        return null;
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

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a throwaway directory under tmp: left for the next run's removeStale
        }
    }
}
