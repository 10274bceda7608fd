package io.natsjvm.server.util;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** jnats helpers for multi-server tests: connect, and wait until interest crossed a route or leaf. */
public final class Interest {
    private Interest() {
    }

    public static Connection connect(String url) throws Exception {
        return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5))
                .noReconnect().build());
    }

    /** Publishes probes until {@code sub} sees one: interest has crossed the link. */
    public static void awaitInterest(Connection pub, Subscription sub, String subject) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            pub.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
            pub.flush(Duration.ofSeconds(2));
            Message m = sub.nextMessage(Duration.ofMillis(50));
            if (m != null) {
                while (sub.nextMessage(Duration.ofMillis(100)) != null) {
                    // drain the other probes
                }
                return;
            }
        }
        throw new AssertionError("interest in " + subject + " never crossed the link");
    }

    /**
     * Starts a responder on {@code on} that answers "pong" to requests on {@code subject}, and
     * waits until its interest is visible from {@code from} (a probe subscription crosses first).
     */
    public static void pongResponder(Connection on, String subject, Connection from) throws Exception {
        on.createDispatcher(m -> on.publish(m.getReplyTo(), "pong".getBytes(StandardCharsets.UTF_8))).subscribe(subject);
        on.flush(Duration.ofSeconds(2));
        Subscription probe = on.subscribe(subject);
        awaitInterest(from, probe, subject);
        probe.unsubscribe();
    }

    /**
     * Subscribes {@code on} to {@code subject}, waits until that interest is visible from
     * {@code from}, publishes {@code payload} there and returns what arrived (null: nothing in 5 s).
     */
    public static Message sendAcross(Connection from, Connection on, String subject, String payload) throws Exception {
        Subscription sub = on.subscribe(subject);
        on.flush(Duration.ofSeconds(2));
        awaitInterest(from, sub, subject);
        from.publish(subject, payload.getBytes(StandardCharsets.UTF_8));
        return sub.nextMessage(Duration.ofSeconds(5));
    }
}
