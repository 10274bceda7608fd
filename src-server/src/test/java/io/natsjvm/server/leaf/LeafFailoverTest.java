package io.natsjvm.server.leaf;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ClusterConf;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leaf configured with one node of a hub cluster learns the others (the hubs' routes exchange
 * their leafnode listeners; the hub's INFO names them as {@code leafnode_urls}, asynchronously
 * when they change) and fails over to another node when its own goes, as nats-server 2.9.10's
 * leafs do. This server in either role, with nats-server in the other.
 */
class LeafFailoverTest {

    private static String hubConf(int clusterPort, int leafPort, int... routes) {
        return ClusterConf.block("", clusterPort, routes) + "leafnodes { listen: 127.0.0.1:" + leafPort
                + ", authorization { user: leaf, password: pw } }\n";
    }

    private static String leafConf(int hubLeafPort) {
        return "leafnodes { remotes: [ { url: \"nats-leaf://leaf:pw@127.0.0.1:" + hubLeafPort + "\" } ],"
                + " reconnect: 1 }\n";
    }

    private static void messagesCross(String hubUrl, String leafUrl) throws Exception {
        try (Connection onHub = Interest.connect(hubUrl); Connection onLeaf = Interest.connect(leafUrl)) {
            Message m = Interest.sendAcross(onHub, onLeaf, "down", "to the leaf");
            assertNotNull(m, "hub to leaf");
            assertEquals("to the leaf", new String(m.getData(), StandardCharsets.UTF_8));
            assertNotNull(Interest.sendAcross(onLeaf, onHub, "up", "to the hub"), "leaf to hub");
        }
    }

    @Test
    void thisLeafMovesToTheOtherNodeOfANatsServerHubCluster() throws Exception {
        int seed = Sockets.freePort();
        int leafA = Sockets.freePort();
        int leafB = Sockets.freePort();
        try (ReferenceServer hubB = ReferenceServer.start(hubConf(Sockets.freePort(), leafB, seed))) {
            ReferenceServer hubA = ReferenceServer.start(hubConf(seed, leafA));
            try (TestServer leaf = TestServer.fromConfig(leafConf(leafA))) {
                Await.until(() -> leaf.server().leafs().leafs().size() == 1, "connected to hub A");
                Leafs.RemoteState remote = leaf.server().leafs().leafs().get(0).remoteState();
                Await.until(Duration.ofSeconds(10), () -> remote.urls().contains(URI.create("nats-leaf://127.0.0.1:"
                        + leafB)), () -> "hub B learned from hub A's INFO: " + remote.urls());
                messagesCross(hubA.url(), leaf.url());
                hubA.close();
                Await.until(Duration.ofSeconds(15), () -> leaf.server().leafs().leafs().size() == 1
                        && leaf.server().leafs().leafs().get(0).remoteServer() != null
                        && remote.currentUrl().getPort() == leafB, () -> "moved to hub B: " + remote.currentUrl());
                messagesCross(hubB.url(), leaf.url());
            } finally {
                hubA.close();
            }
        }
    }

    @Test
    void aNatsServerLeafMovesToTheOtherNodeOfThisServersHubCluster() throws Exception {
        int seed = Sockets.freePort();
        int leafA = Sockets.freePort();
        try (TestServer hubB = TestServer.fromConfig(hubConf(Sockets.freePort(), -1, seed))) {
            TestServer hubA = TestServer.fromConfig(hubConf(seed, leafA));
            try (ReferenceServer leaf = ReferenceServer.start(leafConf(leafA))) {
                Await.until(() -> hubA.server().leafs().leafs().size() == 1, "connected to hub A");
                Await.until(() -> hubA.server().routes().routes().size() == 1, "hub cluster formed");
                messagesCross(hubA.url(), leaf.url());
                hubA.close();
                Await.until(Duration.ofSeconds(15), () -> hubB.server().leafs().leafs().size() == 1,
                        () -> "the leaf moved to hub B: " + leaf.log());
                messagesCross(hubB.url(), leaf.url());
            } finally {
                hubA.close();
            }
        }
    }

    @Test
    void aLeafConnectedBeforeTheHubClusterFormedIsToldOfTheNewNode() throws Exception {
        int seed = Sockets.freePort();
        int leafA = Sockets.freePort();
        try (TestServer hubA = TestServer.fromConfig(hubConf(seed, leafA));
                TestServer leaf = TestServer.fromConfig(leafConf(leafA))) {
            Await.until(() -> leaf.server().leafs().leafs().size() == 1, "connected to hub A");
            Leafs.RemoteState remote = leaf.server().leafs().leafs().get(0).remoteState();
            assertEquals(1, remote.urls().size(), remote.urls().toString());
            try (TestServer hubB = TestServer.fromConfig(hubConf(Sockets.freePort(), -1, seed))) {
                URI b = URI.create("nats-leaf://127.0.0.1:" + hubB.server().leafs().port());
                // an asynchronous INFO from hub A when hub B's route registered
                Await.until(Duration.ofSeconds(10), () -> remote.urls().contains(b), () -> "learned: " + remote.urls());
                assertTrue(remote.urls().indexOf(b) < remote.urls().size() - 1, "learned URLs come first");
            }
            Await.until(Duration.ofSeconds(10), () -> remote.urls().size() == 1, () -> "forgotten: " + remote.urls());
        }
    }
}
