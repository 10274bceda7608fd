package io.natsjvm.server.leaf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.monitor.Options.Leafz;
import io.natsjvm.server.protocol.Json;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static io.natsjvm.server.util.Interest.awaitInterest;
import static io.natsjvm.server.util.Interest.connect;
import static io.natsjvm.server.util.Interest.pongResponder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leaf nodes against real nats-server 2.9.10, in both roles. */
class LeafNodeTest {
    private static final String HUB_ACCOUNTS = """
            accounts {
              A { users = [ {user: a, password: a} ] }
              B { users = [ {user: b, password: b} ] }
              SYS { users = [ {user: sys, password: sys} ] }
            }
            system_account: SYS
            """;

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void aNatsServerLeafBoundToAnAccountOfThisHub() throws Exception {
        int lp = Sockets.freePort();
        String hub = HUB_ACCOUNTS + "leafnodes { listen: 127.0.0.1:" + lp
                + ", authorization { user: leaf, password: leafpass, account: A } }\n";
        try (TestServer java = TestServer.fromConfig(hub);
                Connection sys = connect("nats://sys:sys@127.0.0.1:" + java.port())) {
            Subscription connected = sys.subscribe("$SYS.ACCOUNT.A.LEAFNODE.CONNECT");
            Subscription disconnected = sys.subscribe("$SYS.ACCOUNT.A.LEAFNODE.DISCONNECT");
            sys.flush(Duration.ofSeconds(2));
            try (ReferenceServer ref = ReferenceServer.start("leafnodes { remotes: [ { url: \"nats-leaf://leaf:leafpass@127.0.0.1:"
                    + lp + "\" } ] }\n")) {
                Await.until(() -> java.server().leafs().leafs().size() == 1, "the leaf registered");
                Message event = connected.nextMessage(Duration.ofSeconds(5));
                assertNotNull(event, "LEAFNODE.CONNECT");
                assertTrue(text(event).contains("\"acc\":\"A\""), text(event));
                assertTrue(text(event).contains("io.nats.server.advisory.v1.leafnode_connect"));
                try (Connection onLeaf = connect(ref.url());
                        Connection a = connect("nats://a:a@127.0.0.1:" + java.port());
                        Connection b = connect("nats://b:b@127.0.0.1:" + java.port())) {
                    Subscription leafSub = onLeaf.subscribe("to.leaf.*");
                    onLeaf.flush(Duration.ofSeconds(2));
                    awaitInterest(a, leafSub, "to.leaf.probe");
                    b.publish("to.leaf.x", "from B".getBytes(StandardCharsets.UTF_8));
                    b.flush(Duration.ofSeconds(2));
                    a.publish("to.leaf.x", "from A".getBytes(StandardCharsets.UTF_8));
                    assertEquals("from A", text(leafSub.nextMessage(Duration.ofSeconds(5))));
                    assertNull(leafSub.nextMessage(Duration.ofMillis(300)), "account B never reaches the leaf");

                    Subscription hubSub = a.subscribe("to.hub");
                    a.flush(Duration.ofSeconds(2));
                    awaitInterest(onLeaf, hubSub, "to.hub");
                    onLeaf.publish("to.hub", "from the leaf".getBytes(StandardCharsets.UTF_8));
                    assertEquals("from the leaf", text(hubSub.nextMessage(Duration.ofSeconds(5))));

                    // request/reply from the hub to a responder on the leaf
                    pongResponder(onLeaf, "svc", a);
                    assertEquals("pong", text(a.request("svc", new byte[0], Duration.ofSeconds(5))));

                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> leafz = (List<Map<String, Object>>) java.server().monitor()
                            .leafz(new Leafz(true, null)).get("leafs");
                    assertEquals("A", leafz.get(0).get("account"));
                    assertTrue(((Number) leafz.get(0).get("subscriptions")).intValue() >= 1);
                    assertTrue(((List<?>) leafz.get(0).get("subscriptions_list")).contains("svc"), leafz.toString());
                    assertNull(java.server().monitor().leafz(new Leafz(false, "B")).get("leafs"),
                            "no leaf in account B");
                }
            }
            Message gone = disconnected.nextMessage(Duration.ofSeconds(10));
            assertNotNull(gone, "LEAFNODE.DISCONNECT when the leaf went away");
            assertTrue(text(gone).contains("leafnode_disconnect"), text(gone));
        }
    }

    /** Without leafnode users a leaf logs in as a client user: that user's allowed_connection_types must name LEAFNODE. */
    @Test
    void aLeafLoggingInAsAClientUserNeedsTheLeafnodeConnectionType() throws Exception {
        try (TestServer hub = TestServer.fromConfig("""
                authorization { users = [
                  {user: edge, password: e, allowed_connection_types: ["LEAFNODE"]}
                  {user: app, password: a, allowed_connection_types: ["STANDARD"]}
                ] }
                leafnodes { listen: 127.0.0.1:-1 }
                """)) {
            int lp = hub.server().leafs().port();
            try (ReferenceServer refused = ReferenceServer.start("leafnodes { remotes: [ { url: \"nats-leaf://app:a@127.0.0.1:"
                    + lp + "\" } ], reconnect: 1 }\n")) {
                Await.until(Duration.ofSeconds(10), () -> refused.log().contains("Authorization Violation"),
                        () -> "a standard-only user may not be a leaf: " + refused.log());
                assertEquals(0, hub.server().leafs().leafs().size());
            }
            try (ReferenceServer leaf = ReferenceServer.start("leafnodes { remotes: [ { url: \"nats-leaf://edge:e@127.0.0.1:"
                    + lp + "\" } ], reconnect: 1 }\n")) {
                Await.until(() -> hub.server().leafs().leafs().size() == 1, "the leafnode-only user logs in as a leaf");
            }
            try (RawClient raw = new RawClient(hub.port())) {
                raw.send("CONNECT {\"user\":\"edge\",\"pass\":\"e\",\"verbose\":false}\r\nPING\r\n");
                assertEquals("-ERR 'Authorization Violation'", raw.readLine(), "and not as a client");
            }
        }
    }

    @Test
    void thisServerAsALeafOfANatsServerHub() throws Exception {
        int lp = Sockets.freePort();
        try (ReferenceServer ref = ReferenceServer.start("leafnodes { listen: 127.0.0.1:" + lp
                + ", authorization { user: leaf, password: leafpass } }\n");
                TestServer java = TestServer.fromConfig("leafnodes { remotes: [ { url: \"nats-leaf://leaf:leafpass@127.0.0.1:"
                        + lp + "\" } ] }\n");
                Connection onHub = connect(ref.url()); Connection onLeaf = connect(java.url())) {
            Await.until(() -> java.server().leafs().leafs().size() == 1, "connected to the hub");
            Subscription leafSub = onLeaf.subscribe("down");
            onLeaf.flush(Duration.ofSeconds(2));
            awaitInterest(onHub, leafSub, "down");
            Subscription hubSub = onHub.subscribe("up");
            onHub.flush(Duration.ofSeconds(2));
            awaitInterest(onLeaf, hubSub, "up");
            onLeaf.publish("up", "hello hub".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello hub", text(hubSub.nextMessage(Duration.ofSeconds(5))));
            onHub.publish("down", "hello leaf".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello leaf", text(leafSub.nextMessage(Duration.ofSeconds(5))));
            onHub.publish(NatsMessage.builder().subject("down").headers(new Headers().add("X-Edge", "1"))
                    .data("with headers".getBytes(StandardCharsets.UTF_8)).build());
            Message h = leafSub.nextMessage(Duration.ofSeconds(5));
            assertEquals("1", h.getHeaders().getFirst("X-Edge"), "headers cross the leaf connection");

            @SuppressWarnings("unchecked")
            Map<String, Object> leafVarz = (Map<String, Object>) java.server().monitor().varz().get("leaf");
            @SuppressWarnings("unchecked")
            Map<String, Object> remote = ((List<Map<String, Object>>) leafVarz.get("remotes")).get(0);
            assertEquals("$G", remote.get("local_account"));
            assertEquals(List.of("127.0.0.1:" + lp), remote.get("urls"));
            assertEquals(1, java.server().monitor().varz().get("leafnodes"));
        }
    }

    @Test
    void aLeafLogsInWithCredsInOperatorMode() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        int lp = Sockets.freePort();
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        Path creds = JwtFixture.creds(JwtFixture.user(u, f.app, "leaf", x -> { }), u);
        try (TestServer java = TestServer.fromConfig(f.config() + "leafnodes { listen: 127.0.0.1:" + lp + " }\n");
                ReferenceServer ref = ReferenceServer.start("leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:"
                        + lp + "\", credentials: \"" + creds + "\" } ] }\n")) {
            Await.until(() -> java.server().leafs().leafs().size() == 1, "the leaf logged in with its .creds");
            assertEquals(f.app.publicKey(), java.server().leafs().leafs().get(0).account().name());
        }
    }

    /** APP's JWT issued {@code later} seconds from now, with a leaf limit and perhaps a revoked user. */
    private static String withRevocation(JwtFixture f, String userKey, int leafLimit, int later) {
        ObjectNode a = JwtFixture.claims(f.app.publicKey(), "account", "APP");
        a.put("iat", System.currentTimeMillis() / 1000 + later);
        a.with("nats").with("limits").put("leaf", leafLimit);
        if (userKey != null) {
            a.with("nats").with("revocations").put(userKey, System.currentTimeMillis() / 1000 + later);
        }
        return Jwts.sign(a, f.operatorSigner);
    }

    @Test
    void theAccountLeafLimitHoldsAtConnectAndWhenLoweredLiveAndRevocationClosesTheLeaf() throws Exception {
        JwtFixture f = new JwtFixture(n -> n.with("limits").put("leaf", 1));
        int lp = Sockets.freePort();
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        Path creds = JwtFixture.creds(JwtFixture.user(u, f.app, "leaf", x -> { }), u);
        String leafConf = "leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:" + lp + "\", credentials: \""
                + creds + "\" } ] }\n";
        try (TestServer java = TestServer.fromConfig(f.config() + "leafnodes { listen: 127.0.0.1:" + lp + " }\n");
                ReferenceServer first = ReferenceServer.start(leafConf)) {
            Await.until(() -> java.server().leafs().leafs().size() == 1, "the first leaf");
            try (ReferenceServer second = ReferenceServer.start(leafConf)) {
                Await.until(() -> second.log().contains("maximum account active connections exceeded"),
                        "the second leaf refused over the account's leaf limit");
                assertEquals(1, java.server().leafs().leafs().size());
            }
            NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
            try (Connection sys = Nats.connect(new Options.Builder().server(java.url()).noReconnect()
                    .authHandler(Nats.credentials(JwtFixture.creds(JwtFixture.user(admin, f.sys, "admin", x -> { }),
                            admin).toString())).build())) {
                String update = "$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE";
                sys.request(update, withRevocation(f, null, 0, 10).getBytes(StandardCharsets.US_ASCII),
                        Duration.ofSeconds(3));
                Await.until(() -> java.server().leafs().leafs().isEmpty(), "the leaf limit lowered to 0 live");
                sys.request(update, withRevocation(f, null, 1, 20).getBytes(StandardCharsets.US_ASCII),
                        Duration.ofSeconds(3));
                Await.until(() -> java.server().leafs().leafs().size() == 1, "the leaf back once allowed again");
                sys.request(update, withRevocation(f, u.publicKey(), 1, 30).getBytes(StandardCharsets.US_ASCII),
                        Duration.ofSeconds(3));
                Await.until(() -> java.server().leafs().leafs().isEmpty(), "the revoked leaf closed");
            }
        }
    }

    @Test
    void queueGroupsSpanHubAndLeafAndTheLeafComesBackAfterTheHubRestarts() throws Exception {
        int lp = Sockets.freePort();
        int hubPort = Sockets.freePort();
        String hubConf = "leafnodes { listen: 127.0.0.1:" + lp + " }\n";
        ReferenceServer ref = ReferenceServer.startOnPort(hubConf, hubPort);
        try (TestServer java = TestServer.fromConfig("leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:" + lp
                + "\" } ] }\n")) {
            Await.until(() -> java.server().leafs().leafs().size() == 1, "connected to the hub");
            try (Connection onHub = connect(ref.url()); Connection onLeaf = connect(java.url())) {
                AtomicInteger hubGot = new AtomicInteger();
                AtomicInteger leafGot = new AtomicInteger();
                onHub.createDispatcher(m -> hubGot.incrementAndGet()).subscribe("jobs", "workers");
                onLeaf.createDispatcher(m -> leafGot.incrementAndGet()).subscribe("jobs", "workers");
                onHub.flush(Duration.ofSeconds(2));
                onLeaf.flush(Duration.ofSeconds(2));
                Subscription probe = onLeaf.subscribe("jobs.probe");
                awaitInterest(onHub, probe, "jobs.probe");
                for (int i = 0; i < 1000; i++) {
                    onLeaf.publish("jobs", new byte[] {1});
                }
                onLeaf.flush(Duration.ofSeconds(5));
                Await.until(() -> hubGot.get() + leafGot.get() >= 1000, "every job");
                onHub.flush(Duration.ofSeconds(2));
                assertEquals(1000, hubGot.get() + leafGot.get(), "each job once across hub and leaf");
            }
            ref.close();
            Await.until(() -> java.server().leafs().leafs().isEmpty(), "the hub went away");
            ref = ReferenceServer.startOnPort(hubConf, hubPort);
            Await.until(() -> java.server().leafs().leafs().size() == 1, "the leaf came back to the restarted hub");
            try (Connection onHub = connect(ref.url()); Connection onLeaf = connect(java.url())) {
                Subscription s = onHub.subscribe("again");
                onHub.flush(Duration.ofSeconds(2));
                awaitInterest(onLeaf, s, "again");
            }
        } finally {
            ref.close();
        }
    }

    @Test
    void aRemotesDenyListsKeepSubjectsOnTheirSide() throws Exception {
        int lp = Sockets.freePort();
        try (ReferenceServer ref = ReferenceServer.start("leafnodes { listen: 127.0.0.1:" + lp + " }\n");
                TestServer java = TestServer.fromConfig("leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:" + lp
                        + "\", deny_exports: [\"secret.>\"], deny_imports: [\"private.>\"] } ] }\n");
                Connection onHub = connect(ref.url()); Connection onLeaf = connect(java.url())) {
            Await.until(() -> java.server().leafs().leafs().size() == 1, "connected to the hub");
            Subscription hubSub = onHub.subscribe(">");
            onHub.flush(Duration.ofSeconds(2));
            awaitInterest(onLeaf, hubSub, "open.probe");
            onLeaf.publish("secret.plans", "no".getBytes(StandardCharsets.UTF_8));
            onLeaf.publish("open.news", "yes".getBytes(StandardCharsets.UTF_8));
            onLeaf.flush(Duration.ofSeconds(2));
            Message m = hubSub.nextMessage(Duration.ofSeconds(5));
            assertEquals("open.news", m.getSubject(), "deny_exports: secret.> never left the leaf");

            Subscription leafPrivate = onLeaf.subscribe("private.x");
            Subscription leafOpen = onLeaf.subscribe("open.y");
            onLeaf.flush(Duration.ofSeconds(2));
            awaitInterest(onHub, leafOpen, "open.y");
            onHub.publish("private.x", "no".getBytes(StandardCharsets.UTF_8));
            onHub.flush(Duration.ofSeconds(2));
            assertNull(leafPrivate.nextMessage(Duration.ofMillis(500)), "deny_imports: private.> never came in");
        }
    }

    @Test
    void aLeafOnATwoNodeHubClusterReachesTheOtherNode() throws Exception {
        int lp = Sockets.freePort();
        int c1 = Sockets.freePort();
        try (TestServer n1 = TestServer.fromConfig("cluster { name: hub, listen: 127.0.0.1:" + c1 + " }\n"
                + "leafnodes { listen: 127.0.0.1:" + lp + " }\n");
                TestServer n2 = TestServer.fromConfig("cluster { name: hub, listen: 127.0.0.1:" + Sockets.freePort()
                        + ", routes: [nats-route://127.0.0.1:" + c1 + "] }\n");
                ReferenceServer leaf = ReferenceServer.start("leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:"
                        + lp + "\" } ] }\n");
                Connection onN2 = connect(n2.url()); Connection onLeaf = connect(leaf.url())) {
            Await.until(() -> n1.server().leafs().leafs().size() == 1 && n2.server().routes().routes().size() == 1,
                    "the leaf on node 1, the route between the nodes");
            Subscription onTheOtherNode = onN2.subscribe("far");
            onN2.flush(Duration.ofSeconds(2));
            awaitInterest(onLeaf, onTheOtherNode, "far");
            Subscription onTheLeaf = onLeaf.subscribe("back");
            onLeaf.flush(Duration.ofSeconds(2));
            awaitInterest(onN2, onTheLeaf, "back");
            onN2.publish("back", "over route and leaf".getBytes(StandardCharsets.UTF_8));
            assertEquals("over route and leaf", text(onTheLeaf.nextMessage(Duration.ofSeconds(5))));
            assertNull(onTheLeaf.nextMessage(Duration.ofMillis(300)), "one copy");
        }
    }

    @Test
    void twoServersThatAreEachOthersLeafDetectTheLoop() throws Exception {
        int pa = Sockets.freePort();
        int pb = Sockets.freePort();
        try (TestServer a = TestServer.fromConfig("leafnodes { listen: 127.0.0.1:" + pa
                + ", remotes: [ { url: \"nats-leaf://127.0.0.1:" + pb + "\" } ] }\n");
                TestServer b = TestServer.fromConfig("leafnodes { listen: 127.0.0.1:" + pb
                        + ", remotes: [ { url: \"nats-leaf://127.0.0.1:" + pa + "\" } ] }\n")) {
            // four leaf connections would form a cycle; the loop subject coming back cuts it
            Await.until(() -> a.server().leafs().leafs().size() + b.server().leafs().leafs().size() <= 2
                    && a.server().leafs().leafs().size() + b.server().leafs().leafs().size() >= 1,
                    "the loop detected and one side of it closed");
        }
    }

    @Test
    void theLeafUsersPermissionsLimitWhatItSendsAndReceives() throws Exception {
        int lp = Sockets.freePort();
        String hub = "leafnodes { listen: 127.0.0.1:" + lp + " }\nauthorization { users: [ {user: leaf, password: p,"
                + " permissions: { publish: \"up.>\", subscribe: \"down.>\" } }, {user: app, password: app} ] }\n";
        try (TestServer java = TestServer.fromConfig(hub);
                ReferenceServer leaf = ReferenceServer.start("leafnodes { remotes: [ { url: \"nats-leaf://leaf:p@127.0.0.1:"
                        + lp + "\" } ] }\n");
                Connection onHub = connect("nats://app:app@127.0.0.1:" + java.port());
                Connection onLeaf = connect(leaf.url())) {
            Await.until(() -> java.server().leafs().leafs().size() == 1, "the leaf logged in as a user");
            Subscription hubUp = onHub.subscribe("up.>");
            Subscription hubOther = onHub.subscribe("down.from.leaf");
            onHub.flush(Duration.ofSeconds(2));
            awaitInterest(onLeaf, hubUp, "up.probe");
            onLeaf.publish("down.from.leaf", "not allowed".getBytes(StandardCharsets.UTF_8));
            onLeaf.publish("up.ok", "allowed".getBytes(StandardCharsets.UTF_8));
            assertEquals("allowed", text(hubUp.nextMessage(Duration.ofSeconds(5))));
            assertNull(hubOther.nextMessage(Duration.ofMillis(300)), "the leaf user may not publish down.>");
        }
    }
    /** A remote with {@code hub: true} reverses the roles: its CONNECT says so, as nats-server's does. */
    @Test
    void aHubRemoteSaysSoInItsConnectAsTheReferenceDoes() throws Exception {
        String remote = "leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:%d\", hub: true, no_randomize: true } ] }\n";
        String ours;
        try (ListeningHub hub = new ListeningHub();
                TestServer leaf = TestServer.fromConfig(remote.formatted(hub.port()))) {
            ours = hub.firstLines().get(0);
        }
        String theirs;
        try (ListeningHub hub = new ListeningHub();
                ReferenceServer leaf = ReferenceServer.start(remote.formatted(hub.port()))) {
            theirs = hub.firstLines().get(0);
        }
        assertTrue(theirs.contains("\"is_hub\":true"), theirs);
        assertTrue(ours.contains("\"is_hub\":true"), ours);
    }

    /**
     * A hub that only says INFO and writes down what the leaf sends back: its CONNECT and the
     * interest it announces at once (its loop detection subject and what comes with it).
     */
    private static final class ListeningHub implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(Sockets.freePort(), 1, InetAddress.getLoopbackAddress());

        ListeningHub() throws IOException {
        }

        int port() {
            return socket.getLocalPort();
        }

        List<String> firstLines() throws IOException {
            socket.setSoTimeout(10_000);
            try (Socket c = socket.accept()) {
                c.setSoTimeout(5_000);
                c.getOutputStream().write(("INFO {\"server_id\":\"HUB\",\"version\":\"2.9.10\",\"proto\":1,\"headers\":true,"
                        + "\"max_payload\":1048576,\"client_id\":1,\"leafnode_urls\":[\"127.0.0.1:" + port() + "\"]}\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                List<String> lines = new ArrayList<>();
                InputStream in = c.getInputStream();
                String line;
                do {
                    line = Sockets.line(in);
                    lines.add(line);
                } while (!line.isEmpty() && !line.startsWith("LS+ $LDS."));
                // the rest of the first batch (nats-server does not always send the loop subject last)
                c.setSoTimeout(300);
                try {
                    for (line = Sockets.line(in); !line.isEmpty(); line = Sockets.line(in)) {
                        lines.add(line);
                    }
                } catch (SocketTimeoutException quiet) {
                    // nothing more
                }
                return lines;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The CONNECT's cluster and the interest announced (the loop subject's random part dropped). */
    private static String introduction(List<String> lines) throws IOException {
        ObjectNode connect = (ObjectNode) Json.MAPPER.readTree(lines.get(0).substring("CONNECT ".length()));
        TreeSet<String> interest = new TreeSet<>();
        for (String l : lines.subList(1, lines.size())) {
            interest.add(l.startsWith("LS+ $LDS.") ? "LS+ $LDS.*" : l);
        }
        return "cluster=" + connect.path("cluster").asText("-") + " " + interest;
    }

    /**
     * Without a cluster of its own, a leaf with remotes is named by its server name as nats-server
     * 2.9.10 names it (CONNECT, client INFO and VARZ say cluster "edge1"), so a hub cluster it is
     * connected to twice knows both connections are one cluster; its interest is the reference's
     * (2.10's local USER.INFO service is not announced).
     */
    @Test
    void aStandaloneLeafIsNamedByItsServerNameAsTheReferenceNamesIt() throws Exception {
        String conf = "server_name: edge1\nleafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:%d\" } ] }\n";
        String ours;
        try (ListeningHub hub = new ListeningHub(); TestServer java = TestServer.fromConfig(conf.formatted(hub.port()))) {
            ours = introduction(hub.firstLines());
            try (RawClient c = java.raw()) {
                assertTrue(c.info().contains("\"cluster\":\"edge1\""), c.info());
            }
            assertEquals(Map.of("name", "edge1"), java.server().monitor().varz().get("cluster"));
        }
        String reference;
        try (ListeningHub hub = new ListeningHub(); ReferenceServer ref = ReferenceServer.start(conf.formatted(hub.port()))) {
            reference = introduction(hub.firstLines());
        }
        assertEquals(reference, ours);
        assertTrue(ours.startsWith("cluster=edge1 "), ours);
    }
}
