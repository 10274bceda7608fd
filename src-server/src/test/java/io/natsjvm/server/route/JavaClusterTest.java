package io.natsjvm.server.route;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.natsjvm.server.route.MixedClusterTest.awaitInterest;
import static io.natsjvm.server.route.MixedClusterTest.clusterConf;
import static io.natsjvm.server.route.MixedClusterTest.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clusters of this server only: gossip to a full mesh, the system account across nodes, route loss. */
class JavaClusterTest {
    private static final String SYSTEM = """
            accounts {
              SYS { users = [ {user: sys, password: sys} ] }
              APP { users = [ {user: app, password: app} ] }
            }
            system_account: SYS
            """;

    @Test
    void threeNodesFromOneSeedFormAFullMeshAndEveryServerAnswersPing() throws Exception {
        int seed = Sockets.freePort();
        try (TestServer n1 = TestServer.fromConfig(SYSTEM + clusterConf(seed));
                TestServer n2 = TestServer.fromConfig(SYSTEM + clusterConf(Sockets.freePort(), seed));
                TestServer n3 = TestServer.fromConfig(SYSTEM + clusterConf(Sockets.freePort(), seed))) {
            for (TestServer n : new TestServer[] {n1, n2, n3}) {
                Await.until(() -> n.server().routes().routes().size() == 2, "a full mesh seen from " + n.url());
            }
            try (Connection sys = connect("nats://sys:sys@127.0.0.1:" + n2.port())) {
                Set<String> all = Set.of(n1.server().serverId(), n2.server().serverId(), n3.server().serverId());
                // the mesh is up; each node's PING interest reaches the others once their RS+ arrived
                Await.until(() -> {
                    try {
                        return MixedClusterTest.pingAll(sys, 3).equals(all);
                    } catch (Exception e) {
                        return false;
                    }
                }, "PING answered by all three servers");
            }
            try (Connection a = connect("nats://app:app@127.0.0.1:" + n1.port());
                    Connection c = connect("nats://app:app@127.0.0.1:" + n3.port())) {
                Subscription s = c.subscribe("mesh");
                c.flush(Duration.ofSeconds(2));
                awaitInterest(a, s, "mesh");
                a.publish("mesh", "one hop".getBytes(StandardCharsets.UTF_8));
                Message m = s.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m);
                assertTrue(s.nextMessage(Duration.ofMillis(300)) == null, "exactly one copy over the mesh");
            }
        }
    }

    @Test
    void aLostRouteIsDialledAgainAndInterestIsRestored() throws Exception {
        int port2 = Sockets.freePort();
        int seed = Sockets.freePort();
        try (TestServer n1 = TestServer.fromConfig(clusterConf(seed, port2))) {
            TestServer n2 = TestServer.fromConfig(clusterConf(port2, seed));
            Await.until(() -> n1.server().routes().routes().size() == 1, "route up");
            n2.close();
            Await.until(() -> n1.server().routes().routes().isEmpty(), "route down");
            try (TestServer again = TestServer.fromConfig(clusterConf(port2))) {
                Await.until(() -> n1.server().routes().routes().size() == 1, "n1 dialled the restarted node again");
                try (Connection on1 = connect(n1.url()); Connection on2 = connect(again.url())) {
                    Subscription s = on2.subscribe("back");
                    on2.flush(Duration.ofSeconds(2));
                    awaitInterest(on1, s, "back");
                }
            }
        }
    }

    @Test
    void clientsLearnTheClusterUrlsFromAsynchronousInfo() throws Exception {
        int seed = Sockets.freePort();
        try (TestServer n1 = TestServer.fromConfig(clusterConf(seed));
                Connection c = connect(n1.url())) {
            assertTrue(c.getServerInfo().getConnectURLs().isEmpty(), "alone: no connect_urls");
            try (TestServer n2 = TestServer.fromConfig(clusterConf(Sockets.freePort(), seed))) {
                Await.until(() -> c.getServerInfo().getConnectURLs().contains("127.0.0.1:" + n2.port()),
                        "connect_urls with the second server");
                assertTrue(c.getServerInfo().getConnectURLs().contains("127.0.0.1:" + n1.port()));
                assertEquals("mixed", c.getServerInfo().getCluster());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void routezAndVarzDescribeTheCluster() throws Exception {
        int seed = Sockets.freePort();
        try (TestServer n1 = TestServer.fromConfig(clusterConf(seed));
                TestServer n2 = TestServer.fromConfig(clusterConf(Sockets.freePort(), seed))) {
            Await.until(() -> n1.server().routes().routes().size() == 1 && n2.server().routes().routes().size() == 1,
                    "the route registered on both sides");
            Map<String, Object> routez = n2.server().monitor().routez();
            assertEquals(1, routez.get("num_routes"));
            Map<String, Object> r = ((List<Map<String, Object>>) routez.get("routes")).get(0);
            assertEquals(n1.server().serverId(), r.get("remote_id"));
            assertEquals(true, r.get("did_solicit"));
            assertEquals(true, r.get("is_configured"));
            assertEquals(seed, r.get("port"));
            Map<String, Object> accepted = ((List<Map<String, Object>>) n1.server().monitor().routez().get("routes"))
                    .get(0);
            assertEquals(false, accepted.get("did_solicit"));
            // connect_urls: what client INFO advertises, this server first (nats.deno's harness
            // waits for every node's URL there before it calls a cluster formed)
            Await.until(() -> List.of("127.0.0.1:" + n2.port(), "127.0.0.1:" + n1.port())
                    .equals(n2.server().monitor().varz().get("connect_urls")), "VARZ connect_urls");
            Map<String, Object> varz = n2.server().monitor().varz();
            assertEquals(1, varz.get("routes"));
            Map<String, Object> cluster = (Map<String, Object>) varz.get("cluster");
            assertEquals("mixed", cluster.get("name"));
            assertEquals(List.of("127.0.0.1:" + seed), cluster.get("urls"));
        }
    }

    @Test
    void aNodeInLameDuckModeIsNoLongerOfferedToTheClusterClients() throws Exception {
        int seed = Sockets.freePort();
        String ldm = "lame_duck_grace_period: \"20s\"\nlame_duck_duration: \"30s\"\n";
        try (TestServer n1 = TestServer.fromConfig(ldm + clusterConf(seed));
                TestServer n2 = TestServer.fromConfig(clusterConf(Sockets.freePort(), seed));
                Connection c = connect(n2.url()); Connection onN1 = connect(n1.url())) {
            String n1Url = "127.0.0.1:" + n1.port();
            String n2Url = "127.0.0.1:" + n2.port();
            Await.until(Duration.ofSeconds(15), () -> c.getServerInfo().getConnectURLs().contains(n1Url),
                    () -> "n1 offered to n2 clients: " + c.getServerInfo().getConnectURLs() + " n1=" + n1Url);
            Await.until(() -> List.of(n1Url, n2Url).equals(onN1.getServerInfo().getConnectURLs()), "n1's client told");
            Thread leaving = new Thread(n1.server()::lameDuck, "lame-duck");
            leaving.setDaemon(true);
            leaving.start();
            Await.until(() -> !c.getServerInfo().getConnectURLs().contains(n1Url),
                    "n1 withdrawn from n2's connect_urls by its lame duck INFO");
            assertTrue(c.getServerInfo().getConnectURLs().contains("127.0.0.1:" + n2.port()));
            // n1's own client is sent elsewhere: its lame duck INFO names only the other server
            Await.until(() -> onN1.getServerInfo().isLameDuckMode(), "n1's client got the lame duck INFO");
            assertEquals(List.of(n2Url), onN1.getServerInfo().getConnectURLs());
        }
    }
}
