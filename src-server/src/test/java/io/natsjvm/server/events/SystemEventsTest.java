package io.natsjvm.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.natsjvm.server.util.AccountsConfig;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.natsjvm.server.util.ReferenceShape.assertSameShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The system account's event stream, checked against captures from nats-server 2.9.10. */
class SystemEventsTest {
    static final String CONFIG = AccountsConfig.CONFIG;

    static Connection connect(TestServer s, String user, String pass, String name) throws Exception {
        return AccountsConfig.connect(s, user, pass, name);
    }

    /** Reads messages until one arrives on {@code subject}; fails after 5 s. */
    static Message next(Subscription sub, String subject, List<String> seen) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Message m = sub.nextMessage(Duration.ofMillis(200));
            if (m == null) {
                continue;
            }
            seen.add(m.getSubject());
            if (m.getSubject().equals(subject)) {
                return m;
            }
        }
        throw new AssertionError("no message on " + subject + "; saw " + seen);
    }

    static String body(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void walkthroughSystemUserSeesConnectConnsAndDisconnectButNeverUserTraffic() throws Exception {
        try (TestServer s = TestServer.fromConfig(CONFIG); Connection admin = connect(s, "admin", "changeit", "sys")) {
            String id = s.server().serverId();
            Subscription all = admin.subscribe(">");
            admin.flush(Duration.ofSeconds(2));
            List<String> seen = new ArrayList<>();

            Connection a = connect(s, "a", "a", "probe-ev-connect");
            JsonNode connect = assertSameShape("client_connect.json",
                    body(next(all, "$SYS.ACCOUNT.USERS.CONNECT", seen)));
            assertEquals("io.nats.server.advisory.v1.client_connect", connect.get("type").asText());
            assertEquals("USERS", connect.at("/client/acc").asText());
            assertEquals("a", connect.at("/client/user").asText());
            assertEquals("probe-ev-connect", connect.at("/client/name").asText());
            assertEquals("java", connect.at("/client/lang").asText());
            assertEquals(id, connect.at("/server/id").asText());
            assertEquals(22, connect.get("id").asText().length());

            JsonNode conns = assertSameShape("account_conns.json",
                    body(next(all, "$SYS.SERVER.ACCOUNT.USERS.CONNS", seen)));
            assertEquals(1, conns.get("conns").asInt());
            assertEquals(1, conns.get("total_conns").asInt());
            assertSameShape("account_conns_new_subject.json",
                    body(next(all, "$SYS.ACCOUNT.USERS.SERVER.CONNS", seen)));

            Subscription own = a.subscribe("echo");
            a.flush(Duration.ofSeconds(2));
            a.publish("foo", "bar".getBytes());
            for (int i = 0; i < 4; i++) {
                a.publish("echo", "0123456789".getBytes());
            }
            for (int i = 0; i < 4; i++) {
                assertNotNull(own.nextMessage(Duration.ofSeconds(2)));
            }
            a.close();

            JsonNode disc = assertSameShape("client_disconnect.json",
                    body(next(all, "$SYS.ACCOUNT.USERS.DISCONNECT", seen)));
            assertEquals("Client Closed", disc.get("reason").asText());
            assertEquals(5, disc.at("/sent/msgs").asLong());
            assertEquals(43, disc.at("/sent/bytes").asLong());
            assertEquals(4, disc.at("/received/msgs").asLong());
            assertEquals(40, disc.at("/received/bytes").asLong());
            assertTrue(disc.at("/client/rtt").asLong() > 0, "rtt measured");
            JsonNode after = assertSameShape("account_conns.json",
                    body(next(all, "$SYS.SERVER.ACCOUNT.USERS.CONNS", seen)));
            assertEquals(0, after.get("conns").asInt());
            assertEquals(5, after.at("/received/msgs").asLong(), "account received what its clients sent");
            assertEquals(4, after.at("/sent/msgs").asLong());

            assertFalse(seen.contains("foo"), "the system account never sees application traffic: " + seen);
            assertFalse(seen.contains("echo"), "the system account never sees application traffic: " + seen);
        }
    }

    @Test
    void applicationAccountsNeverSeeSystemTrafficAndViceVersa() throws Exception {
        try (TestServer s = TestServer.fromConfig(CONFIG);
             Connection user = connect(s, "a", "a", "u");
             Connection admin = connect(s, "admin", "changeit", "sys")) {
            Subscription userAll = user.subscribe(">");
            Subscription sysAll = admin.subscribe(">");
            user.flush(Duration.ofSeconds(2));
            admin.flush(Duration.ofSeconds(2));
            Connection other = connect(s, "a", "a", "other");
            other.close();
            admin.publish("sys.only", "x".getBytes());
            user.publish("user.only", "y".getBytes());
            admin.flush(Duration.ofSeconds(2));
            user.flush(Duration.ofSeconds(2));
            // Events were published (the admin sees them) ...
            List<String> sysSeen = new ArrayList<>();
            next(sysAll, "$SYS.ACCOUNT.USERS.DISCONNECT", sysSeen);
            // ... but the application account's '>' only ever saw its own message.
            Message m;
            List<String> userSeen = new ArrayList<>();
            while ((m = userAll.nextMessage(Duration.ofMillis(300))) != null) {
                userSeen.add(m.getSubject());
            }
            assertEquals(List.of("user.only"), userSeen);
            assertFalse(sysSeen.contains("user.only"));
        }
    }

    @Test
    void badPasswordPublishesAuthErrorAndClientGetsAuthorizationViolation() throws Exception {
        try (TestServer s = TestServer.fromConfig(CONFIG); Connection admin = connect(s, "admin", "changeit", "sys")) {
            String subject = "$SYS.SERVER." + s.server().serverId() + ".CLIENT.AUTH.ERR";
            Subscription sub = admin.subscribe(subject);
            Subscription accountWide = admin.subscribe("$SYS.ACCOUNT.CLIENT.AUTH.ERR");
            admin.flush(Duration.ofSeconds(2));
            try (RawClient raw = s.raw()) {
                raw.send("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"wrong\",\"name\":\"probe-bad-auth\",\"lang\":\"go\",\"version\":\"1.22.1\"}\r\n");
                raw.expect("-ERR 'Authorization Violation'");
                raw.expectClosed();
            }
            JsonNode ev = assertSameShape("auth_error.json", body(next(sub, subject, new ArrayList<>())));
            assertEquals("io.nats.server.advisory.v1.client_disconnect", ev.get("type").asText());
            assertEquals("$G", ev.at("/client/acc").asText());
            assertEquals("a", ev.at("/client/user").asText());
            assertEquals("probe-bad-auth", ev.at("/client/name").asText());
            assertEquals("Authentication Failure", ev.get("reason").asText());
            // nats-server 2.10's cluster-wide subject carries the same event (same id)
            JsonNode wide = assertSameShape("auth_error.json",
                    body(next(accountWide, "$SYS.ACCOUNT.CLIENT.AUTH.ERR", new ArrayList<>())));
            assertEquals(ev.get("id").asText(), wide.get("id").asText());
            assertEquals("probe-bad-auth", wide.at("/client/name").asText());
            // jnats sees the same refusal.
            assertThrows(Exception.class, () -> Nats.connect(new io.nats.client.Options.Builder().server(s.url())
                    .userInfo("a", "nope").maxReconnects(0).build()));
        }
    }

    @Test
    void statszIsPublishedOnTheReferenceSchedule() throws Exception {
        try (TestServer s = TestServer.fromConfig(CONFIG); Connection admin = connect(s, "admin", "changeit", "sys")) {
            String subject = "$SYS.SERVER." + s.server().serverId() + ".STATSZ";
            Subscription sub = admin.subscribe(subject);
            admin.flush(Duration.ofSeconds(2));
            JsonNode st = assertSameShape("statsz.json", body(next(sub, subject, new ArrayList<>())));
            assertEquals(1, st.at("/statsz/connections").asInt());
            assertEquals(1, st.at("/statsz/active_accounts").asInt());
            assertTrue(st.at("/statsz/subscriptions").asInt() > 0);
            assertTrue(st.at("/statsz/mem").asLong() > 0);
            // The next one follows without waiting 30 s (back-off starts at 250 ms).
            long seq = st.at("/server/seq").asLong();
            JsonNode second = ReferenceShapeAccess.parse(body(next(sub, subject, new ArrayList<>())));
            assertTrue(second.at("/server/seq").asLong() > seq);
        }
    }

    @Test
    void shutdownEventIsABareServerBlock() throws Exception {
        TestServer s = TestServer.fromConfig(CONFIG);
        try (RawClient raw = s.raw()) {
            String subject = "$SYS.SERVER." + s.server().serverId() + ".SHUTDOWN";
            raw.send("CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"changeit\"}\r\nSUB " + subject + " 1\r\nPING\r\n");
            raw.expect("PONG");
            s.close();
            String msg = raw.readLine();
            assertTrue(msg.startsWith("MSG " + subject + " 1 "), msg);
            JsonNode ev = assertSameShape("shutdown.json", raw.readLine());
            assertEquals(s.server().serverId(), ev.get("id").asText());
            assertNull(ev.get("server"));
        }
    }

    /** Lame duck mode announces itself as 2.10 does: LAMEDUCK with the same body as SHUTDOWN. */
    @Test
    void lameDuckEventIsABareServerBlock() throws Exception {
        TestServer s = TestServer.fromConfig(CONFIG + "lame_duck_grace_period: \"1s\"\n");
        try (RawClient raw = s.raw()) {
            String subject = "$SYS.SERVER." + s.server().serverId() + ".LAMEDUCK";
            raw.send("CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"changeit\"}\r\nSUB " + subject + " 1\r\nPING\r\n");
            raw.expect("PONG");
            Thread ldm = new Thread(() -> s.server().lameDuck());
            ldm.start();
            String msg = raw.readLine();
            assertTrue(msg.startsWith("MSG " + subject + " 1 "), msg);
            JsonNode ev = assertSameShape("shutdown.json", raw.readLine());
            assertEquals(s.server().serverId(), ev.get("id").asText());
            ldm.join(30_000);
        } finally {
            s.close();
        }
    }

    @Test
    void slowConsumerDisconnectCarriesTheReason() throws Exception {
        String config = CONFIG + "max_pending: 262144\nwrite_deadline: \"500ms\"\nmax_payload: 32768\n";
        try (TestServer s = TestServer.fromConfig(config); Connection admin = connect(s, "admin", "changeit", "sys")) {
            Subscription sub = admin.subscribe("$SYS.ACCOUNT.USERS.DISCONNECT");
            admin.flush(Duration.ofSeconds(2));
            RawClient slow = s.raw();
            slow.socket().setReceiveBufferSize(4096);
            slow.send("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"a\",\"name\":\"probe-slow\"}\r\nSUB flood 1\r\n").expectAlive();
            try (Connection pub = connect(s, "a", "a", "pub")) {
                byte[] payload = new byte[16 * 1024];
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (s.server().slowConsumerCount() == 0 && System.nanoTime() < deadline) {
                    for (int i = 0; i < 16; i++) {
                        pub.publish("flood", payload);
                    }
                    pub.flush(Duration.ofSeconds(5));
                }
                JsonNode ev = assertSameShape("client_disconnect_slow_consumer.json",
                        body(next(sub, "$SYS.ACCOUNT.USERS.DISCONNECT", new ArrayList<>())));
                assertTrue(ev.get("reason").asText().startsWith("Slow Consumer ("), ev.toString());
                assertEquals("probe-slow", ev.at("/client/name").asText());
                assertTrue(ev.at("/received/msgs").asLong() > 0);
            }
            slow.socket().setSoLinger(true, 0);
            slow.close();
        }
    }
}
