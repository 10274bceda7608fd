package io.natsjvm.server.leaf;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static io.natsjvm.server.util.Interest.awaitInterest;
import static io.natsjvm.server.util.Interest.connect;
import static io.natsjvm.server.util.Interest.pongResponder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leaf nodes over WebSocket, as nats-server 2.9.10 speaks them: a remote with {@code ws://} or
 * {@code wss://} URLs upgrades at the hub's websocket listener ({@code GET /leafnode}) and then
 * speaks the leaf protocol in frames; the hub takes such upgrades as leaf nodes when it has a
 * leafnode listener (and its authorization). Both roles against real nats-server processes, with
 * compression and unmasked frames negotiated, and over wss between two of these servers.
 */
class LeafWebsocketTest {

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    /** Messages cross both ways (one large enough to span many frames), and request/reply. */
    private static void trafficCrosses(String hubUrl, String leafUrl) throws Exception {
        try (Connection onHub = connect(hubUrl); Connection onLeaf = connect(leafUrl)) {
            Subscription down = onLeaf.subscribe("down.>");
            onLeaf.flush(Duration.ofSeconds(2));
            awaitInterest(onHub, down, "down.probe");
            byte[] big = new byte[300_000];
            new Random(7).nextBytes(big);
            onHub.publish("down.big", big);
            onHub.publish("down.small", "to the leaf".getBytes(StandardCharsets.UTF_8));
            Message m = down.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "a large message reached the leaf");
            assertArrayEquals(big, m.getData());
            assertEquals("to the leaf", text(down.nextMessage(Duration.ofSeconds(5))));

            Subscription up = onHub.subscribe("up");
            onHub.flush(Duration.ofSeconds(2));
            awaitInterest(onLeaf, up, "up");
            for (int i = 0; i < 1000; i++) {
                onLeaf.publish("up", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < 1000; i++) {
                Message u = up.nextMessage(Duration.ofSeconds(5));
                assertNotNull(u, "message " + i + " reached the hub");
                assertEquals("m" + i, text(u), "in order");
            }
            pongResponder(onLeaf, "svc", onHub);
            assertEquals("pong", text(onHub.request("svc", new byte[0], Duration.ofSeconds(5))));
        }
    }

    @Test
    void thisServerDialsANatsServerHubOverWebsocketWithCompressionAndWithoutMasking() throws Exception {
        int wsPort = Sockets.freePort();
        try (ReferenceServer hub = ReferenceServer.start("websocket { listen: 127.0.0.1:" + wsPort
                + ", no_tls: true, compression: true }\nleafnodes { listen: 127.0.0.1:-1, authorization { user: leaf,"
                + " password: pw } }\n", "-D");
                TestServer leaf = TestServer.fromConfig("leafnodes { remotes: [ { url: \"ws://leaf:pw@127.0.0.1:"
                        + wsPort + "\", ws_compression: true, ws_no_masking: true } ], reconnect: 1 }\n")) {
            Await.until(() -> leaf.server().leafs().leafs().size() == 1, "the leaf over websocket");
            Await.until(Duration.ofSeconds(10), () -> hub.log().contains("Leafnode compression=true"),
                    () -> "the hub agreed to compress: " + hub.log());
            trafficCrosses(hub.url(), leaf.url());
        }
    }

    @Test
    void aNatsServerLeafDialsThisHubOverWebsocketBoundToTheLeafUsersAccount() throws Exception {
        try (TestServer hub = TestServer.fromConfig("""
                accounts { A { users = [ {user: a, password: a} ] }, B { users = [ {user: b, password: b} ] } }
                websocket { listen: 127.0.0.1:-1, no_tls: true, compression: true }
                leafnodes { listen: 127.0.0.1:-1, authorization { user: leaf, password: pw, account: A } }
                """)) {
            int wsPort = hub.server().websocketPort();
            try (ReferenceServer leaf = ReferenceServer.start("leafnodes { remotes: [ { url: \"ws://leaf:pw@127.0.0.1:"
                    + wsPort + "\", ws_compression: true, ws_no_masking: true } ], reconnect: 1 }\n", "-D")) {
                Await.until(Duration.ofSeconds(10), () -> hub.server().leafs().leafs().size() == 1,
                        () -> "the leaf over websocket: " + leaf.log());
                assertEquals("A", hub.server().leafs().leafs().get(0).account().name());
                assertTrue(leaf.log().contains("compression=true masking=false"), leaf.log());
                trafficCrosses("nats://a:a@127.0.0.1:" + hub.port(), leaf.url());
                try (Connection b = connect("nats://b:b@127.0.0.1:" + hub.port());
                        Connection onLeaf = connect(leaf.url())) {
                    Subscription s = onLeaf.subscribe("down.b");
                    onLeaf.flush(Duration.ofSeconds(2));
                    b.publish("down.b", "from B".getBytes(StandardCharsets.UTF_8));
                    b.flush(Duration.ofSeconds(2));
                    assertNull(s.nextMessage(Duration.ofMillis(300)), "account B never reaches the leaf");
                }
            }
        }
    }

    @Test
    void aNatsServerLeafWithAWrongPasswordIsRefusedAndAMaskedOneIsServed() throws Exception {
        try (TestServer hub = TestServer.fromConfig("""
                websocket { listen: 127.0.0.1:-1, no_tls: true }
                leafnodes { listen: 127.0.0.1:-1, authorization { user: leaf, password: pw } }
                """)) {
            int wsPort = hub.server().websocketPort();
            try (ReferenceServer wrong = ReferenceServer.start("leafnodes { remotes: [ { url: \"ws://leaf:nope@127.0.0.1:"
                    + wsPort + "\" } ], reconnect: 1 }\n")) {
                Await.until(Duration.ofSeconds(10), () -> wrong.log().contains("Authorization Violation"),
                        () -> "refused: " + wrong.log());
                assertEquals(0, hub.server().leafs().leafs().size());
            }
            try (ReferenceServer leaf = ReferenceServer.start("leafnodes { remotes: [ { url: \"ws://leaf:pw@127.0.0.1:"
                    + wsPort + "\" } ], reconnect: 1 }\n")) {
                Await.until(() -> hub.server().leafs().leafs().size() == 1, "a leaf that masks its frames");
                trafficCrosses(hub.url(), leaf.url());
            }
        }
    }

    @Test
    void twoOfTheseServersOverWssAndTheLeafComesBackAfterTheHubRestarts() throws Exception {
        TestCerts certs = new TestCerts("WS Leaf CA");
        TestCerts.Issued server = certs.server();
        int wsPort = Sockets.freePort();
        String hubConf = "websocket { listen: 127.0.0.1:" + wsPort + "\n  tls { cert_file: \"" + server.certFile()
                + "\", key_file: \"" + server.keyFile() + "\" } }\nleafnodes { listen: 127.0.0.1:-1 }\n";
        String leafConf = "leafnodes { remotes: [ { url: \"wss://127.0.0.1:" + wsPort + "\", tls { ca_file: \""
                + certs.ca.certFile() + "\" } } ], reconnect: 1 }\n";
        try (TestServer leaf = TestServer.fromConfig(leafConf)) {
            try (TestServer hub = TestServer.fromConfig(hubConf)) {
                Await.until(() -> leaf.server().leafs().leafs().size() == 1, "the leaf over wss");
                trafficCrosses(hub.url(), leaf.url());
            }
            Await.until(() -> leaf.server().leafs().leafs().isEmpty(), "the hub went away");
            try (TestServer hub = TestServer.fromConfig(hubConf)) {
                Await.until(() -> leaf.server().leafs().leafs().size() == 1, "the leaf dialled the new hub");
                trafficCrosses(hub.url(), leaf.url());
            }
        }
    }

    @Test
    void natsServerAndThisServerOverWssBothWays() throws Exception {
        TestCerts certs = new TestCerts("WSS Mixed CA");
        TestCerts.Issued server = certs.server();
        String hubTls = "tls { cert_file: \"" + server.certFile() + "\", key_file: \"" + server.keyFile() + "\" }";
        String leafTls = "tls { ca_file: \"" + certs.ca.certFile() + "\" }";
        // a nats-server leaf dials this hub's wss listener
        try (TestServer hub = TestServer.fromConfig("websocket { listen: 127.0.0.1:-1, " + hubTls + " }\n"
                + "leafnodes { listen: 127.0.0.1:-1 }\n")) {
            try (ReferenceServer leaf = ReferenceServer.start("leafnodes { remotes: [ { url: \"wss://127.0.0.1:"
                    + hub.server().websocketPort() + "\", " + leafTls + " } ], reconnect: 1 }\n")) {
                Await.until(Duration.ofSeconds(10), () -> hub.server().leafs().leafs().size() == 1,
                        () -> "a nats-server leaf over wss: " + leaf.log());
                trafficCrosses(hub.url(), leaf.url());
            }
        }
        // this server dials a nats-server hub's wss listener
        int wsPort = Sockets.freePort();
        try (ReferenceServer hub = ReferenceServer.start("websocket { listen: 127.0.0.1:" + wsPort + ", " + hubTls
                + " }\nleafnodes { listen: 127.0.0.1:-1 }\n");
                TestServer leaf = TestServer.fromConfig("leafnodes { remotes: [ { url: \"wss://127.0.0.1:" + wsPort
                        + "\", " + leafTls + " } ], reconnect: 1 }\n")) {
            Await.until(Duration.ofSeconds(10), () -> leaf.server().leafs().leafs().size() == 1,
                    () -> "this server over wss to nats-server: " + hub.log());
            trafficCrosses(hub.url(), leaf.url());
        }
    }

    @Test
    void aLeafUpgradeWithoutALeafnodeListenerIsClosedAfterThe101() throws Exception {
        try (TestServer server = TestServer.fromConfig("websocket { listen: 127.0.0.1:-1, no_tls: true }\n");
                Socket s = new Socket("127.0.0.1", server.server().websocketPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /leafnode HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes(); // ends when the server closes
            String response = new String(all, StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols"), response);
            assertTrue(response.endsWith("\r\n\r\n"), "nothing after the 101, no INFO: " + Arrays.toString(all));
        }
    }
}
