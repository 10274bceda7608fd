package io.natsjvm.server.client;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference Java client, unchanged, against our server. */
class JnatsClientTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void publishSubscribe() throws Exception {
        try (Connection nc = server.connect()) {
            Subscription sub = nc.subscribe("greet");
            nc.publish("greet", "hello".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(2));
            assertNotNull(m);
            assertEquals("hello", new String(m.getData(), StandardCharsets.UTF_8));
            assertEquals("greet", m.getSubject());
        }
    }

    @Test
    void wildcards() throws Exception {
        try (Connection nc = server.connect()) {
            Subscription star = nc.subscribe("w.*.end");
            Subscription full = nc.subscribe("w.>");
            nc.publish("w.x.end", null);
            nc.publish("w.x.y.end", null);
            nc.flush(Duration.ofSeconds(2));
            assertEquals("w.x.end", star.nextMessage(Duration.ofSeconds(1)).getSubject());
            assertNull(star.nextMessage(Duration.ofMillis(100)));
            assertEquals("w.x.end", full.nextMessage(Duration.ofSeconds(1)).getSubject());
            assertEquals("w.x.y.end", full.nextMessage(Duration.ofSeconds(1)).getSubject());
        }
    }

    @Test
    void requestReply() throws Exception {
        try (Connection responder = server.connect(); Connection requester = server.connect()) {
            Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(), m.getData()));
            d.subscribe("echo");
            responder.flush(Duration.ofSeconds(2));
            for (int i = 0; i < 20; i++) {
                Message reply = requester.request("echo", ("r" + i).getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(2));
                assertEquals("r" + i, new String(reply.getData(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void noRespondersFailsTheRequestFast() throws Exception {
        try (Connection nc = server.connect()) {
            // jnats completes a request that got the 503 status by cancelling its future.
            CompletableFuture<Message> f = nc.request("nobody.home", null);
            assertThrows(CancellationException.class, () -> f.get(2, TimeUnit.SECONDS));
        }
    }

    @Test
    void queueGroupsShareTheWork() throws Exception {
        try (Connection a = server.connect(); Connection b = server.connect(); Connection pub = server.connect()) {
            AtomicInteger ca = new AtomicInteger();
            AtomicInteger cb = new AtomicInteger();
            // Dispatchers run on their own threads: a flush only proves the messages reached the
            // client, so wait until the handlers have counted them all.
            CountDownLatch handled = new CountDownLatch(500);
            a.createDispatcher(m -> { ca.incrementAndGet(); handled.countDown(); }).subscribe("jobs", "workers");
            b.createDispatcher(m -> { cb.incrementAndGet(); handled.countDown(); }).subscribe("jobs", "workers");
            Subscription plain = pub.subscribe("jobs");
            a.flush(Duration.ofSeconds(2));
            b.flush(Duration.ofSeconds(2));
            for (int i = 0; i < 500; i++) {
                pub.publish("jobs", null);
            }
            pub.flush(Duration.ofSeconds(2));
            for (int i = 0; i < 500; i++) {
                assertNotNull(plain.nextMessage(Duration.ofSeconds(2)), "plain subscriber gets every message");
            }
            assertTrue(handled.await(5, TimeUnit.SECONDS), "queue members handled " + (ca.get() + cb.get()));
            // Nothing beyond the 500: each message went to exactly one member.
            a.flush(Duration.ofSeconds(2));
            b.flush(Duration.ofSeconds(2));
            assertEquals(500, ca.get() + cb.get());
            assertTrue(ca.get() > 0 && cb.get() > 0, "both members got work: " + ca + "/" + cb);
        }
    }

    @Test
    void headersRoundTrip() throws Exception {
        try (Connection nc = server.connect()) {
            Subscription sub = nc.subscribe("hdr");
            Headers h = new Headers().add("X-Trace", "abc").add("X-Multi", "1", "2");
            nc.publish(NatsMessage.builder().subject("hdr").headers(h).data("body").build());
            Message m = sub.nextMessage(Duration.ofSeconds(2));
            assertEquals("abc", m.getHeaders().getFirst("X-Trace"));
            assertEquals(2, m.getHeaders().get("X-Multi").size());
            assertEquals("body", new String(m.getData(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void autoUnsubscribe() throws Exception {
        try (Connection nc = server.connect()) {
            Subscription sub = nc.subscribe("limited");
            sub.unsubscribe(3);
            for (int i = 0; i < 10; i++) {
                nc.publish("limited", null);
            }
            nc.flush(Duration.ofSeconds(2));
            for (int i = 0; i < 3; i++) {
                assertNotNull(sub.nextMessage(Duration.ofSeconds(1)));
            }
            assertThrows(IllegalStateException.class, () -> sub.nextMessage(Duration.ofMillis(200)));
        }
    }

    @Test
    void largeMessagesSurviveSplitReads() throws Exception {
        try (Connection nc = server.connect()) {
            Subscription sub = nc.subscribe("big");
            byte[] payload = new byte[1024 * 1024];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 31);
            }
            nc.publish("big", payload);
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertTrue(Arrays.equals(payload, m.getData()));
        }
    }

    @Test
    void manyMessagesInOrder() throws Exception {
        try (Connection pub = server.connect(); Connection subConn = server.connect()) {
            Subscription sub = subConn.subscribe("seq");
            subConn.flush(Duration.ofSeconds(2));
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                pub.publish("seq", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            }
            pub.flush(Duration.ofSeconds(5));
            for (int i = 0; i < n; i++) {
                Message m = sub.nextMessage(Duration.ofSeconds(5));
                assertEquals(Integer.toString(i), new String(m.getData(), StandardCharsets.US_ASCII));
            }
        }
    }
}
