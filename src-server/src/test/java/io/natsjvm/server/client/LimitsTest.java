package io.natsjvm.server.client;

import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-side limits and their error texts. */
class LimitsTest {

    @Test
    void staleConnectionAfterUnansweredPings() throws Exception {
        try (TestServer s = TestServer.start(o -> {
            o.pingInterval = Duration.ofMillis(100);
            o.pingMax = 2;
        }); RawClient c = s.raw()) {
            c.send("CONNECT {\"verbose\":false}\r\n");
            c.expect("PING").expect("PING").expect("-ERR 'Stale Connection'").expectClosed();
        }
    }

    @Test
    void answeredPingsKeepTheConnection() throws Exception {
        try (TestServer s = TestServer.start(o -> {
            o.pingInterval = Duration.ofMillis(100);
            o.pingMax = 1;
        }); RawClient c = s.raw()) {
            c.send("CONNECT {\"verbose\":false}\r\n");
            for (int i = 0; i < 4; i++) {
                c.expect("PING").send("PONG\r\n");
            }
            c.expectAlive();
        }
    }

    @Test
    void maxConnections() throws Exception {
        try (TestServer s = TestServer.start(o -> o.maxConnections = 2);
             RawClient a = s.raw(); RawClient b = s.raw(); RawClient c = s.raw()) {
            c.expect("-ERR 'maximum connections exceeded'").expectClosed();
            a.connect("{}");
            b.connect("{}");
        }
    }

    @Test
    void maxSubscriptionsPerConnection() throws Exception {
        try (TestServer s = TestServer.start(o -> o.maxSubscriptions = 2); RawClient c = s.raw()) {
            c.connect("{}");
            c.send("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\n").expect("-ERR 'maximum subscriptions exceeded'");
            c.expectAlive();
        }
    }

    @Test
    void maxControlLineFromConfig() throws Exception {
        try (TestServer s = TestServer.start(o -> o.maxControlLine = 64); RawClient c = s.raw()) {
            c.connect("{}");
            c.send("SUB " + "x".repeat(70) + " 1\r\n").expect("-ERR 'maximum control line exceeded'").expectClosed();
        }
    }

    @Test
    void slowConsumerIsClosedAndOthersAreUnaffected() throws Exception {
        try (TestServer s = TestServer.start(o -> {
            o.maxPending = 256 * 1024;
            o.maxPayload = 16 * 1024;
            o.writeDeadline = Duration.ofMillis(500);
        })) {
            RawClient slow = new RawClient(s.port());
            slow.socket().setReceiveBufferSize(4096);
            slow.connect("{}");
            slow.send("SUB flood 1\r\n").expectAlive();
            try (RawClient healthy = s.raw(); RawClient pub = s.raw()) {
                healthy.connect("{}");
                pub.connect("{}");
                String payload = "x".repeat(16 * 1024);
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 16; i++) {
                    batch.append("PUB flood ").append(payload.length()).append("\r\n").append(payload).append("\r\n");
                }
                // Keep publishing until the server gives up on the non-reading subscriber.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (s.server().slowConsumerCount() == 0 && System.nanoTime() < deadline) {
                    pub.send(batch.toString());
                    pub.expectAlive();
                }
                assertEquals(1, s.server().slowConsumerCount());
                healthy.expectAlive();
                pub.expectAlive();
                // The server dropped the slow consumer (reading what the kernel still holds for
                // it through a 4KB window would take minutes, so ask the server instead).
                long gone = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (s.server().clients().size() > 2 && System.nanoTime() < gone) {
                    Thread.onSpinWait();
                }
                assertEquals(2, s.server().clients().size());
            }
            slow.socket().setSoLinger(true, 0);
            slow.close();
        }
    }

    @Test
    void fastPublisherIsSlowedDownInsteadOfDroppingAReadingSubscriber() throws Exception {
        int count = 3000;
        int size = 8 * 1024;
        try (TestServer s = TestServer.start(o -> {
            o.maxPending = 512 * 1024; // far below the 24MB published
            o.maxPayload = 16 * 1024;
        }); RawClient sub = s.raw(); RawClient pub = s.raw()) {
            sub.connect("{}");
            sub.send("SUB fast 1\r\n").expectAlive();
            pub.connect("{}");
            String frame = "PUB fast " + size + "\r\n" + "x".repeat(size) + "\r\n";
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        pub.send(frame);
                    }
                } catch (IOException ignored) {
                    // the assertion below reports the shortfall
                }
            });
            publisher.start();
            InputStream in = sub.socket().getInputStream();
            long expected = (long) count * ("MSG fast 1 " + size + "\r\n").length() + (long) count * (size + 2);
            long got = 0;
            byte[] buf = new byte[4096];
            while (got < expected) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got += n;
                if (got % (256 * 1024) < 4096) {
                    Thread.sleep(1); // a reader slower than the publisher
                }
            }
            publisher.join();
            assertEquals(expected, got, "every message delivered");
            assertEquals(0, s.server().slowConsumerCount());
        }
    }

    /** Drains whatever was delivered before the close; the stream must end. */
}
