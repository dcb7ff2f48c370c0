package com.airesumereview.db.bench;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * Counts protocol round trips on pgJDBC's sockets: one each time the driver reads after having written, i.e. each
 * time it has sent a message or a pipeline of them (pgJDBC sends {@code BEGIN} in the same write as the first
 * statement of a transaction, and one {@code Sync} per statement) and waits for the answer. For pgJDBC's usual
 * traffic this is the number of {@code Sync}s, without counting a pipelined {@code BEGIN} as one of its own. Named
 * in the JDBC URL ({@code socketFactory=}{@link #CLASS}, with {@code sslmode=disable}: no TLS handshake on the
 * counted connections), it sees what any caller above the driver causes: statements, {@code COMMIT},
 * {@code ROLLBACK}, HikariCP's validation of an idle connection.
 *
 * <p>One counter per JVM (the benchmark measures from one thread; only the counting pool uses this factory).
 */
public final class RoundTripCounter extends SocketFactory {
    static final String CLASS = RoundTripCounter.class.getName();
    private static final AtomicLong ROUND_TRIPS = new AtomicLong();

    /** pgJDBC instantiates the factory by its no-argument constructor. */
    public RoundTripCounter() {
    }

    /** Round trips sent so far on every connection made by this factory. */
    static long total() {
        return ROUND_TRIPS.get();
    }

    @Override
    public Socket createSocket() {
        return new CountingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localHost, localPort));
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }

    /**
     * A socket that counts one round trip each time the driver reads after having written: the driver has sent
     * what it had (one message or a pipeline of them) and now waits for the server.
     */
    private static final class CountingSocket extends Socket {
        private volatile boolean wrote;
        private OutputStream out;
        private InputStream in;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        wrote = true;
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        wrote = true;
                        out.write(b, off, len);
                    }
                };
            }
            return out;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        waited();
                        return in.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        waited();
                        return in.read(b, off, len);
                    }
                };
            }
            return in;
        }

        private void waited() {
            if (wrote) {
                wrote = false;
                ROUND_TRIPS.incrementAndGet();
            }
        }
    }
}
