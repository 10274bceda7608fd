package io.natsjvm.server.route;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.natsjvm.server.route.MixedClusterTest.clusterConf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher on one server, a subscriber on another that reads slower than the publisher writes.
 * The reference cuts such a subscriber (slow consumer); here the route waits for a subscriber that
 * is catching up, and the pace reaches the publisher, so nothing is lost. A subscriber that does
 * not read at all still meets max_pending, and the route goes on for everyone else.
 */
class RouteBackpressureTest {
    private static final String LIMITS = "max_pending: 524288\nmax_payload: 65536\n";
    private static final int PAYLOAD = 100;
    private static final int COUNT = 60_000;
    /** {@code MSG pace.data 1 100\r\n} + payload + CRLF. */
    private static final int FRAME = "MSG pace.data 1 100\r\n".length() + PAYLOAD + 2;

    @Test
    void aSubscriberSlowerThanThePublisherOnAnotherServerIsPacedNotCut() throws Exception {
        try (Pair servers = Pair.start();
                SlowSubscriber slow = new SlowSubscriber(servers.n2().port(), "pace.>");
                Connection pub = Interest.connect(servers.n1().url())) {
            slow.awaitProbe(pub, "pace.probe");
            // ~7 MB read at a few MB/s while the route could carry 100 MB/s: far beyond max_pending
            // (512 KB), so only pacing delivers it all
            CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> slow.readPaced((long) COUNT * FRAME, 32 * 1024, 1));
            publishAll(pub);
            long got = read.get(60, TimeUnit.SECONDS);
            assertEquals((long) COUNT * FRAME, got, "every message reached the slow subscriber");
            assertEquals(0, servers.n2().server().slowConsumerCount(), "nobody was cut as a slow consumer");
            assertEquals(1, servers.n1().server().routes().routes().size(), "the route stayed up");
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsCutAndTheRouteGoesOnForOthers() throws Exception {
        try (Pair servers = Pair.start();
                SlowSubscriber stuck = new SlowSubscriber(servers.n2().port(), "pace.>");
                Connection pub = Interest.connect(servers.n1().url());
                Connection other = Interest.connect(servers.n2().url())) {
            stuck.awaitProbe(pub, "pace.probe");
            Subscription healthy = other.subscribe("pace.data");
            other.flush(Duration.ofSeconds(2));
            Interest.awaitInterest(pub, other.subscribe("pace.check"), "pace.check");
            publishAll(pub);
            for (int i = 0; i < COUNT; i++) {
                Message m = healthy.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "message " + i + " reached the subscriber that reads");
            }
            Await.until(() -> servers.n2().server().slowConsumerCount() == 1, "the stuck subscriber cut as a slow consumer");
            assertEquals(1, servers.n1().server().routes().routes().size(), "the route stayed up");
        }
    }

    private static void publishAll(Connection pub) throws Exception {
        byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < COUNT; i++) {
            pub.publish("pace.data", payload);
        }
        pub.flush(Duration.ofSeconds(30));
    }

    /** Two servers of one cluster with the small max_pending; node 2 dials node 1. */
    private record Pair(TestServer n1, TestServer n2) implements AutoCloseable {
        static Pair start() throws Exception {
            int seed = Sockets.freePort();
            TestServer n1 = TestServer.fromConfig(LIMITS + clusterConf(seed));
            try {
                return new Pair(n1, TestServer.fromConfig(LIMITS + clusterConf(Sockets.freePort(), seed)));
            } catch (Exception e) {
                n1.close();
                throw e;
            }
        }

        @Override
        public void close() {
            n2.close();
            n1.close();
        }
    }

    /** A raw subscriber with a small receive buffer, so that the server feels how fast it reads. */
    private static final class SlowSubscriber implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;

        SlowSubscriber(int port, String subject) throws IOException {
            socket.setReceiveBufferSize(32 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            readLine(); // INFO
            out.write(("CONNECT {\"verbose\":false}\r\nSUB " + subject + " 1\r\nPING\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("PONG", readLine());
        }

        /** Publishes probes until one arrives here: the subscription has crossed the route. */
        void awaitProbe(Connection pub, String subject) throws Exception {
            socket.setSoTimeout(50);
            try {
                for (int i = 0; i < 300; i++) {
                    pub.publish(subject, new byte[0]);
                    pub.flush(Duration.ofSeconds(2));
                    try {
                        String line = readLine();
                        assertTrue(line.startsWith("MSG " + subject), line);
                        readLine(); // empty payload
                        break;
                    } catch (SocketTimeoutException notYet) {
                        // interest not across yet
                    }
                }
            } finally {
                socket.setSoTimeout(10_000);
            }
            // the other probes that were in flight
            pub.flush(Duration.ofSeconds(2));
            socket.setSoTimeout(300);
            try {
                while (true) {
                    readLine();
                }
            } catch (SocketTimeoutException drained) {
                socket.setSoTimeout(10_000);
            }
        }

        /** Reads {@code chunk} bytes every {@code pauseMillis} until {@code total} bytes or EOF. */
        long readPaced(long total, int chunk, long pauseMillis) {
            byte[] b = new byte[chunk];
            long got = 0;
            try {
                while (got < total) {
                    int n = in.read(b, 0, (int) Math.min(chunk, total - got));
                    if (n < 0) {
                        break;
                    }
                    got += n;
                    Thread.sleep(pauseMillis);
                }
            } catch (IOException e) {
                // closed: what arrived so far is the answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return got;
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
