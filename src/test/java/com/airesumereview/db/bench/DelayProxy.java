package com.airesumereview.db.bench;

import com.airesumereview.db.DatabaseUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 (an ephemeral port) in front of a server, holding every chunk of bytes for half the
 * requested round trip in each direction, so that a request and its response gain the whole round trip: the
 * fallback of {@link LatencyBenchmarkTest} where the kernel has no {@code sch_netem} for {@link NetworkDelay}.
 * Written by hand because nothing on Maven Central does a delaying TCP proxy for tests except Toxiproxy (needs its
 * server binary/Docker, not available here).
 *
 * <p>Per connection and direction one reader thread stamps each chunk it reads with its due time
 * ({@code System.nanoTime()} + the one-way delay) and queues it, and one writer thread waits until the chunk is due
 * and writes it, so bytes keep their order and a slow chunk never holds the reader. The writer spins (with
 * {@link Thread#onSpinWait()}) until the chunk is due instead of parking: measured on this project's 2-core
 * machine, a parked writer made the delay cost 1.2 ms per {@code SELECT 1} and up to 0.25 ms more than that for
 * heavier statements (a token issue), from the hand-written JDBC baseline as much as from the library, because
 * each timed wake-up of the writer, and of the server after the processors went idle, costs more the more work
 * follows it. In a one-fork trial a spinning writer added 1.07 ms to {@code SELECT 1} and 1.04 ms to the token
 * issue: one cost per round trip, whatever the statement, as a kernel delay ({@code netem}: a timer in the kernel,
 * no thread to wake) gives. One processor is busy for the length of the delay, while the
 * client and the server wait for the bytes anyway. {@code bench.proxy.spinNanos} spins only the last part of
 * each wait (0: park all of it). {@code TCP_NODELAY} is set on
 * both sockets. {@link #delay} changes the delay for chunks read from then on; 0 passes bytes straight through the
 * same threads, so the proxy's own overhead is in both measurements. Threads are daemons named
 * {@value #THREAD_PREFIX}...; {@link #close()} closes the listener and every socket and waits for every thread.
 */
final class DelayProxy implements DelayedServer {
    static final String THREAD_PREFIX = "delay-proxy";
    private static final int CHUNK = 64 * 1024;
    /**
     * How much of a chunk's wait its writer spins ({@code bench.proxy.spinNanos}; the whole wait unless set, 0:
     * park for all of it). See the class comment for why spinning is the default.
     */
    private static final long SPIN_NANOS = Long.getLong("bench.proxy.spinNanos", Long.MAX_VALUE);
    private static final int WARMUP_QUERIES = 100;
    private static final int MEASURED_QUERIES = 200;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    /** Every thread of the proxy that has not ended yet; each removes itself as it ends. */
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final double requestedMs;
    /** The PostgreSQL admin URL through the proxy, or null for a plain proxy (nothing to measure with). */
    private final DatabaseUrl proxiedAdmin;
    /** Closed after the proxy: the server it was put in front of, when the caller started it for the proxy. */
    private final AutoCloseable behind;
    private volatile long oneWayNanos;
    private volatile boolean closed;
    private double rttMs = Double.NaN;
    private String measuredRtt = "not measured: no PostgreSQL URL";

    private DelayProxy(InetSocketAddress target, double roundTripMs, String adminUrl, AutoCloseable behind)
            throws IOException {
        this.target = target;
        this.behind = behind;
        this.requestedMs = roundTripMs;
        this.listener = new ServerSocket(0, 200, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        this.proxiedAdmin = adminUrl == null ? null : DatabaseUrl.parse(adminUrl).onHost(address());
        setOneWay(roundTripMs);
        acceptor = daemon(this::accept, THREAD_PREFIX + "-accept-" + listener.getLocalPort());
        acceptor.start();
    }

    /** A plain proxy to {@code target} with {@code roundTripMs} added per round trip; nothing is measured. */
    static DelayProxy start(InetSocketAddress target, double roundTripMs) {
        try {
            return new DelayProxy(target, roundTripMs, null, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the delay proxy's listener on 127.0.0.1: " + e.getMessage(),
                    e);
        }
    }

    /**
     * A proxy in front of the PostgreSQL server of {@code adminJdbcUrl} (a superuser on its {@code postgres}
     * database), with the round trip measured through it; {@code behind} (or null) is closed with the proxy.
     */
    static DelayProxy inFrontOf(String adminJdbcUrl, double roundTripMs, AutoCloseable behind) {
        String hostPort = DatabaseUrl.parse(adminJdbcUrl).hosts().get(0);
        int colon = hostPort.lastIndexOf(':');
        InetSocketAddress target = colon < 0 ? new InetSocketAddress(hostPort, 5432)
                : new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        DelayProxy proxy;
        try {
            proxy = new DelayProxy(target, roundTripMs, adminJdbcUrl, behind);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the delay proxy's listener on 127.0.0.1: " + e.getMessage(),
                    e);
        }
        try {
            proxy.measure();
            return proxy;
        } catch (RuntimeException e) {
            proxy.closeProxy();   // the caller closes behind when the start fails
            throw e;
        }
    }

    /** {@code 127.0.0.1:port} of the listener. */
    String address() {
        return "127.0.0.1:" + port();
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public String kind() {
        return "userspace TCP proxy on loopback (" + address() + " -> " + target.getHostString() + ":"
                + target.getPort() + "; " + (SPIN_NANOS == Long.MAX_VALUE ? "its writers spin until a chunk is due"
                : SPIN_NANOS <= 0 ? "its writers park until a chunk is due"
                : "its writers park, then spin the last " + SPIN_NANOS / 1000 + " us before a chunk is due") + ")";
    }

    @Override
    public String adminJdbcUrl() {
        if (proxiedAdmin == null) {
            throw new IllegalStateException("this delay proxy was started without a PostgreSQL URL");
        }
        // jdbcUrl() leaves the credentials out; the provisioner takes them from the URL's query.
        StringBuilder url = new StringBuilder(proxiedAdmin.jdbcUrl());
        char sep = url.indexOf("?") < 0 ? '?' : '&';
        if (proxiedAdmin.user() != null && url.indexOf("user=") < 0) {
            url.append(sep).append("user=").append(proxiedAdmin.user());
            sep = '&';
        }
        if (proxiedAdmin.password() != null && url.indexOf("password=") < 0) {
            url.append(sep).append("password=").append(proxiedAdmin.password());
        }
        return url.toString();
    }

    @Override
    public double requestedRoundTripMs() {
        return requestedMs;
    }

    @Override
    public synchronized double measuredRoundTripMs() {
        return rttMs;
    }

    @Override
    public synchronized String measuredRoundTrip() {
        return measuredRtt;
    }

    /** Sets the added round trip for chunks read from now on (0 or less: pass through) and measures again. */
    @Override
    public void delay(double ms) {
        setOneWay(ms);
        if (proxiedAdmin != null) {
            measure();
        }
    }

    private void setOneWay(double roundTripMs) {
        oneWayNanos = roundTripMs <= 0 ? 0 : Math.round(roundTripMs * 1e6 / 2);
    }

    /** The median of {@value #MEASURED_QUERIES} {@code SELECT 1} on one connection through the proxy, after warm-up. */
    private synchronized void measure() {
        double[] ms = new double[MEASURED_QUERIES];
        try (Connection c = DriverManager.getConnection(proxiedAdmin.jdbcUrl(), proxiedAdmin.user(),
                proxiedAdmin.password()); PreparedStatement s = c.prepareStatement("SELECT 1")) {
            for (int i = 0; i < WARMUP_QUERIES + MEASURED_QUERIES; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                }
                if (i >= WARMUP_QUERIES) {
                    ms[i - WARMUP_QUERIES] = (System.nanoTime() - start) / 1e6;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL through the delay proxy at " + address() + ": "
                    + e.getMessage(), e);
        }
        Arrays.sort(ms);
        rttMs = (ms[MEASURED_QUERIES / 2 - 1] + ms[MEASURED_QUERIES / 2]) / 2;
        measuredRtt = String.format(Locale.ROOT, "%d `SELECT 1` on one JDBC connection through the proxy after %d"
                        + " warm-up: median %.3f ms (min %.3f, max %.3f)", MEASURED_QUERIES, WARMUP_QUERIES, rttMs,
                ms[0], ms[MEASURED_QUERIES - 1]);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;   // the listener was closed
            }
            Socket server = new Socket();
            try {
                server.setTcpNoDelay(true);
                server.connect(target, 5_000);
                client.setTcpNoDelay(true);
                Link link = new Link(client, server, connections.incrementAndGet());
                links.add(link);
                link.start();
            } catch (IOException e) {
                closeQuietly(server);
                closeQuietly(client);   // the target refused: so does the proxy
            }
        }
    }

    /**
     * Closes the listener and every proxied socket, waits for every thread of the proxy to end, then closes the
     * server behind it when one was given.
     */
    @Override
    public void close() {
        closeProxy();
        if (behind != null) {
            try {
                behind.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the server behind the delay proxy: " + e.getMessage(), e);
            }
        }
    }

    private void closeProxy() {
        closed = true;
        closeQuietly(listener);
        // After the acceptor has ended no link is added any more.
        join(acceptor);
        links.forEach(Link::close);
        List.copyOf(live).forEach(DelayProxy::join);
    }

    private Thread daemon(Runnable r, String name) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        }, name);
        t.setDaemon(true);
        live.add(t);
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            throw new IllegalStateException("delay proxy thread " + t.getName() + " did not stop in 5 s");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing left to do with it
        }
    }

    /** Bytes read at {@code due - oneWay}, to be written at {@code due}; an empty chunk stands for end of stream. */
    private record Chunk(byte[] bytes, long due) {
    }

    /** One proxied connection: a reader and a writer thread for each direction. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger openDirections = new AtomicInteger(2);

        Link(Socket client, Socket server, int n) throws IOException {
            this.client = client;
            this.server = server;
            direction(client, server, THREAD_PREFIX + "-" + n + "-up");
            direction(server, client, THREAD_PREFIX + "-" + n + "-down");
        }

        private void direction(Socket from, Socket to, String name) throws IOException {
            BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            threads.add(daemon(() -> read(in, queue), name + "-read"));
            threads.add(daemon(() -> write(queue, out, to), name + "-write"));
        }

        void start() {
            threads.forEach(Thread::start);
        }

        private void read(InputStream in, BlockingQueue<Chunk> queue) {
            byte[] buf = new byte[CHUNK];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    queue.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + oneWayNanos));
                }
                queue.add(new Chunk(new byte[0], System.nanoTime() + oneWayNanos));
            } catch (IOException e) {
                close();   // a reset or our own close: the connection is over in both directions
            }
        }

        private void write(BlockingQueue<Chunk> queue, OutputStream out, Socket to) {
            try {
                while (true) {
                    Chunk c = queue.take();
                    for (long wait = c.due() - System.nanoTime(); wait > 0; wait = c.due() - System.nanoTime()) {
                        if (wait > SPIN_NANOS) {
                            LockSupport.parkNanos(wait - SPIN_NANOS);
                        } else {
                            Thread.onSpinWait();
                        }
                        if (Thread.interrupted()) {
                            return;
                        }
                    }
                    if (c.bytes().length == 0) {
                        to.shutdownOutput();   // pass the half-close on, after the bytes before it
                        if (openDirections.decrementAndGet() == 0) {
                            close();
                        }
                        return;
                    }
                    out.write(c.bytes());
                }
            } catch (InterruptedException e) {
                // close(): stop
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            for (Thread t : threads) {
                if (t != Thread.currentThread()) {
                    t.interrupt();
                }
            }
            links.remove(this);
        }
    }
}
