package io.natsjvm.server.auth;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Exports and imports between config accounts (no JWTs): streams (as they are, remapped with
 * {@code to}, or under a {@code prefix}) and services (under a local subject), an export
 * restricted to some accounts, compared with nats-server 2.9.10 message by message.
 */
class ConfigImportsExportsTest {
    static final String CONF = """
            accounts {
              A {
                users = [ {user: a, password: a} ]
                exports = [
                  {stream: "events.>"}
                  {stream: "orders.*"}
                  {stream: "private.>", accounts: [C]}
                  {service: "help.>"}
                ]
              }
              B {
                users = [ {user: b, password: b} ]
                imports = [
                  {stream: {account: A, subject: "events.>"}}
                  {stream: {account: A, subject: "orders.*"}, to: "shop.orders.*"}
                  {service: {account: A, subject: "help.me"}, to: "ask"}
                ]
              }
              C {
                users = [ {user: c, password: c} ]
                imports = [
                  {stream: {account: A, subject: "private.>"}, prefix: "from_a"}
                ]
              }
            }
            """;

    private static String line(Message m) {
        return m == null ? "nothing" : m.getSubject() + " " + new String(m.getData(), StandardCharsets.UTF_8);
    }

    /** What B and C receive of what A publishes, and B's answer from A's service. */
    private static List<String> session(String host) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection a = Interest.connect("nats://a:a@" + host); Connection b = Interest.connect("nats://b:b@" + host);
                Connection c = Interest.connect("nats://c:c@" + host)) {
            Subscription bAll = b.subscribe(">");
            Subscription cAll = c.subscribe(">");
            b.flush(Duration.ofSeconds(2));
            c.flush(Duration.ofSeconds(2));
            a.createDispatcher(m -> a.publish(m.getReplyTo(), ("re: " + new String(m.getData(), StandardCharsets.UTF_8)
                    + " on " + m.getSubject()).getBytes(StandardCharsets.UTF_8))).subscribe("help.>");
            a.flush(Duration.ofSeconds(2));
            for (String s : List.of("events.x.y", "orders.42", "private.k", "other")) {
                a.publish(s, s.getBytes(StandardCharsets.UTF_8));
            }
            a.flush(Duration.ofSeconds(2));
            for (int i = 0; i < 2; i++) {
                out.add("B " + line(bAll.nextMessage(Duration.ofSeconds(3))));
            }
            out.add("B then " + line(bAll.nextMessage(Duration.ofMillis(300))));
            out.add("C " + line(cAll.nextMessage(Duration.ofSeconds(3))));
            out.add("C then " + line(cAll.nextMessage(Duration.ofMillis(300))));
            bAll.unsubscribe();
            out.add("B asks: " + new String(b.request("ask", "hi".getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void streamsAndServicesCrossConfigAccountsAsWithTheReference() throws Exception {
        List<String> ours;
        try (TestServer java = TestServer.fromConfig(CONF)) {
            ours = session("127.0.0.1:" + java.port());
        }
        assertEquals(List.of("B events.x.y events.x.y", "B shop.orders.42 orders.42", "B then nothing",
                "C from_a.private.k private.k", "C then nothing", "B asks: re: hi on help.me"), ours);
        try (ReferenceServer ref = ReferenceServer.start(CONF)) {
            assertEquals(session("127.0.0.1:" + ref.port()), ours);
        }
    }
}
