package io.natsjvm.server.leaf;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.natsjvm.server.util.Interest.awaitInterest;
import static io.natsjvm.server.util.Interest.connect;
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
                    onLeaf.createDispatcher(m -> onLeaf.publish(m.getReplyTo(), "pong".getBytes(StandardCharsets.UTF_8)))
                            .subscribe("svc");
                    onLeaf.flush(Duration.ofSeconds(2));
                    Subscription probe = onLeaf.subscribe("svc");
                    awaitInterest(a, probe, "svc");
                    probe.unsubscribe();
                    assertEquals("pong", text(a.request("svc", new byte[0], Duration.ofSeconds(5))));

                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> leafz = (List<Map<String, Object>>) java.server().monitor().leafz()
                            .get("leafs");
                    assertEquals("A", leafz.get(0).get("account"));
                    assertTrue(((Number) leafz.get(0).get("subscriptions")).intValue() >= 1);
                }
            }
            Message gone = disconnected.nextMessage(Duration.ofSeconds(10));
            assertNotNull(gone, "LEAFNODE.DISCONNECT when the leaf went away");
            assertTrue(text(gone).contains("leafnode_disconnect"), text(gone));
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
}
