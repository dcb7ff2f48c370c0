package com.airesumereview.db.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DelayProxy} in front of an echo server in this JVM: bytes intact and in order both ways, many connections
 * at once, a round trip at least the delay asked for (a lower bound only: timing belongs in the benchmark), and
 * nothing left listening or running after close.
 */
class DelayProxyTest {
    private ServerSocket echo;
    private Thread echoAcceptor;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        echoAcceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> echoUntilEnd(s), "echo-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo-accept");
        echoAcceptor.setDaemon(true);
        echoAcceptor.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
        echoAcceptor.join(1_000);
    }

    @Test
    void passesHundredsOfKilobytesIntactAndInOrderBothWays() throws Exception {
        try (DelayProxy proxy = DelayProxy.start(echoAddress(), 1)) {
            byte[] sent = random(300_000, 1);
            assertThat(roundTrip(proxy, sent)).as("bytes back through the proxy").isEqualTo(sent);
        }
    }

    @Test
    void servesManyConnectionsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try (DelayProxy proxy = DelayProxy.start(echoAddress(), 2)) {
            List<byte[]> sent = new ArrayList<>();
            List<Future<byte[]>> back = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] bytes = random(20_000, 100 + i);
                sent.add(bytes);
                back.add(pool.submit(() -> roundTrip(proxy, bytes)));
            }
            for (int i = 0; i < sent.size(); i++) {
                assertThat(back.get(i).get()).as("bytes back on connection %d of 20", i).isEqualTo(sent.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRoundTripTakesAtLeastTheDelayAskedForAndDelayZeroPassesThrough() throws Exception {
        try (DelayProxy proxy = DelayProxy.start(echoAddress(), 20);
             Socket s = connect(proxy)) {
            assertThat(pingMs(s)).as("a one-byte round trip with 20 ms asked for, in ms").isGreaterThanOrEqualTo(20);
            proxy.delay(0);
            pingMs(s);   // asserts the byte comes back through the proxy
            proxy.delay(30);
            assertThat(pingMs(s)).as("a one-byte round trip after delay(30), in ms").isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void afterCloseThePortRefusesConnectionsAndNoProxyThreadIsAlive() throws Exception {
        DelayProxy proxy = DelayProxy.start(echoAddress(), 1);
        int port = proxy.port();
        Socket open = connect(proxy);
        pingMs(open);
        proxy.close();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .as("connecting to the closed proxy's port").isInstanceOf(ConnectException.class);
        assertThat(open.getInputStream().read()).as("the proxied connection is closed: end of stream").isEqualTo(-1);
        open.close();
        assertThat(Thread.getAllStackTraces().keySet()).as("threads after close")
                .noneMatch(t -> t.getName().startsWith(DelayProxy.THREAD_PREFIX) && t.isAlive());
    }

    private InetSocketAddress echoAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
    }

    private static Socket connect(DelayProxy proxy) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setTcpNoDelay(true);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends {@code bytes} in chunks of varied sizes while reading the echo, then half-closes and reads to the end. */
    private static byte[] roundTrip(DelayProxy proxy, byte[] bytes) throws Exception {
        try (Socket s = connect(proxy)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    Random sizes = new Random(7);
                    for (int off = 0; off < bytes.length; ) {
                        int n = Math.min(bytes.length - off, 1 + sizes.nextInt(20_000));
                        out.write(bytes, off, n);
                        off += n;
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] back = s.getInputStream().readAllBytes();
            sending.get();
            return back;
        }
    }

    private static double pingMs(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        long start = System.nanoTime();
        out.write(42);
        assertThat(in.read()).as("the echoed byte").isEqualTo(42);
        return (System.nanoTime() - start) / 1e6;
    }

    private static void echoUntilEnd(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException e) {
            // the client went away
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
