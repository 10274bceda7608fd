package io.natsjvm.server.route;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ClusterConf;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This server in a cluster with real nats-server 2.9.10 nodes, routes dialled both ways. */
class MixedClusterTest {

    static String clusterConf(int port, int... routes) {
        return ClusterConf.block("", port, routes);
    }

    static Connection connect(String url) throws Exception {
        return Interest.connect(url);
    }

    static void awaitInterest(Connection pub, Subscription sub, String subject) throws Exception {
        Interest.awaitInterest(pub, sub, subject);
    }

    private static void awaitRoutes(TestServer s, int n) {
        Await.until(() -> s.server().routes().routes().size() == n, n + " route(s) on " + s.url());
    }

    @Test
    void nodesRouteBothWaysAndMessagesFlowInBothDirections() throws Exception {
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(clusterConf(jc));
                ReferenceServer ref = ReferenceServer.start(clusterConf(Sockets.freePort(), jc))) {
            awaitRoutes(java, 1);
            try (Connection onJava = connect(java.url()); Connection onRef = connect(ref.url())) {
                Subscription refSub = onRef.subscribe("to.ref.>");
                onRef.flush(Duration.ofSeconds(2));
                awaitInterest(onJava, refSub, "to.ref.probe");
                onJava.publish("to.ref.x", "hello ref".getBytes(StandardCharsets.UTF_8));
                Message m = refSub.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, ref.log());
                assertEquals("hello ref", new String(m.getData(), StandardCharsets.UTF_8));
                assertEquals("to.ref.x", m.getSubject());

                Subscription javaSub = onJava.subscribe("to.java.*");
                onJava.flush(Duration.ofSeconds(2));
                awaitInterest(onRef, javaSub, "to.java.probe");
                onRef.publish("to.java.y", "reply.here", "hello java".getBytes(StandardCharsets.UTF_8));
                m = javaSub.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m);
                assertEquals("hello java", new String(m.getData(), StandardCharsets.UTF_8));
                assertEquals("reply.here", m.getReplyTo());
            }
        }
    }

    @Test
    void requestReplyAndHeadersCrossTheRoute() throws Exception {
        int rc = Sockets.freePort();
        try (ReferenceServer ref = ReferenceServer.start(clusterConf(rc));
                TestServer java = TestServer.fromConfig(clusterConf(Sockets.freePort(), rc))) {
            awaitRoutes(java, 1);
            try (Connection onJava = connect(java.url()); Connection onRef = connect(ref.url())) {
                onRef.createDispatcher(msg -> onRef.publish(msg.getReplyTo(), msg.getHeaders(),
                        ("echo " + new String(msg.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)))
                        .subscribe("svc");
                onRef.flush(Duration.ofSeconds(2));
                Subscription probe = onRef.subscribe("svc");
                awaitInterest(onJava, probe, "svc");
                probe.unsubscribe();
                Headers h = new Headers().add("X-Trace", "1");
                Message reply = onJava.request(NatsMessage.builder().subject("svc").headers(h)
                        .data("ping".getBytes(StandardCharsets.UTF_8)).build(), Duration.ofSeconds(5));
                assertEquals("echo ping", new String(reply.getData(), StandardCharsets.UTF_8));
                assertEquals("1", reply.getHeaders().getFirst("X-Trace"));
            }
        }
    }

    @Test
    void queueGroupMembersOnBothNodesShareMessagesExactlyOnce() throws Exception {
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(clusterConf(jc));
                ReferenceServer ref = ReferenceServer.start(clusterConf(Sockets.freePort(), jc))) {
            awaitRoutes(java, 1);
            try (Connection onJava = connect(java.url()); Connection onRef = connect(ref.url());
                    Connection pub = connect(java.url()); Connection pubRef = connect(ref.url())) {
                AtomicInteger javaGot = new AtomicInteger();
                AtomicInteger refGot = new AtomicInteger();
                onJava.createDispatcher(m -> javaGot.incrementAndGet()).subscribe("work", "workers");
                onRef.createDispatcher(m -> refGot.incrementAndGet()).subscribe("work", "workers");
                onJava.flush(Duration.ofSeconds(2));
                onRef.flush(Duration.ofSeconds(2));
                // both nodes know both members once a plain probe subscriber on each side is reachable
                Subscription pj = onJava.subscribe("work.probe");
                Subscription pr = onRef.subscribe("work.probe");
                awaitInterest(pubRef, pj, "work.probe");
                awaitInterest(pub, pr, "work.probe");
                int n = 2000;
                for (int i = 0; i < n; i++) {
                    pub.publish("work", new byte[] {1});
                    pubRef.publish("work", new byte[] {2});
                }
                pub.flush(Duration.ofSeconds(5));
                pubRef.flush(Duration.ofSeconds(5));
                Await.until(() -> javaGot.get() + refGot.get() >= 2 * n, "all queue messages");
                onJava.flush(Duration.ofSeconds(2));
                onRef.flush(Duration.ofSeconds(2));
                assertEquals(2 * n, javaGot.get() + refGot.get(), "each message exactly once cluster-wide");
                assertTrue(javaGot.get() > n / 10 && refGot.get() > n / 10,
                        "members on both nodes get messages: " + javaGot + " / " + refGot);
            }
        }
    }

    @Test
    void unsubscribeAndAutoUnsubscribePropagate() throws Exception {
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(clusterConf(jc));
                ReferenceServer ref = ReferenceServer.start(clusterConf(Sockets.freePort(), jc))) {
            awaitRoutes(java, 1);
            try (Connection onJava = connect(java.url()); Connection onRef = connect(ref.url())) {
                Subscription s = onRef.subscribe("gone");
                onRef.flush(Duration.ofSeconds(2));
                awaitInterest(onJava, s, "gone");
                var index = java.server().accounts().global().subjects();
                s.unsubscribe();
                onRef.flush(Duration.ofSeconds(2));
                Await.until(() -> index.match("gone").isEmpty(), "RS- for 'gone'");

                Subscription probe = onRef.subscribe("twice");
                onRef.flush(Duration.ofSeconds(2));
                awaitInterest(onJava, probe, "twice");
                var probeInterest = Arrays.asList(index.match("twice").plain());
                probe.unsubscribe();
                AtomicInteger got = new AtomicInteger();
                Dispatcher d = onRef.createDispatcher(m -> got.incrementAndGet());
                d.subscribe("twice");
                d.unsubscribe("twice", 2);
                onRef.flush(Duration.ofSeconds(2));
                // nats-server sends RS- (the probe) then RS+ (the dispatcher): publish only once the
                // new interest is here, or a publish between the two finds none and is dropped
                Await.until(() -> Arrays.stream(index.match("twice").plain()).anyMatch(x -> !probeInterest.contains(x)),
                        "RS+ for the dispatcher's 'twice'");
                for (int i = 0; i < 5; i++) {
                    onJava.publish("twice", new byte[] {(byte) i});
                }
                onJava.flush(Duration.ofSeconds(2));
                Await.until(() -> got.get() == 2, "two deliveries");
                Await.until(() -> index.match("twice").isEmpty(), "RS- after auto-unsubscribe");
                onRef.flush(Duration.ofSeconds(2));
                assertEquals(2, got.get());
            }
        }
    }

    @Test
    void accountsStayIsolatedAcrossTheRoute() throws Exception {
        String accounts = """
                accounts {
                  A { users = [ {user: a, password: a} ] }
                  B { users = [ {user: b, password: b} ] }
                }
                """;
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(accounts + clusterConf(jc));
                ReferenceServer ref = ReferenceServer.start(accounts + clusterConf(Sockets.freePort(), jc))) {
            awaitRoutes(java, 1);
            try (Connection aOnRef = connect("nats://a:a@127.0.0.1:" + ref.port());
                    Connection aOnJava = connect("nats://a:a@127.0.0.1:" + java.port());
                    Connection bOnJava = connect("nats://b:b@127.0.0.1:" + java.port())) {
                Subscription s = aOnRef.subscribe("secret");
                aOnRef.flush(Duration.ofSeconds(2));
                awaitInterest(aOnJava, s, "secret");
                bOnJava.publish("secret", "from B".getBytes(StandardCharsets.UTF_8));
                bOnJava.flush(Duration.ofSeconds(2));
                aOnJava.publish("secret", "from A".getBytes(StandardCharsets.UTF_8));
                Message m = s.nextMessage(Duration.ofSeconds(5));
                assertEquals("from A", new String(m.getData(), StandardCharsets.UTF_8));
                assertNull(s.nextMessage(Duration.ofMillis(300)), "B's message stays in B");
            }
        }
    }

    @Test
    void noRespondersWhenNobodyInTheClusterListens() throws Exception {
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(clusterConf(jc));
                ReferenceServer ref = ReferenceServer.start(clusterConf(Sockets.freePort(), jc))) {
            awaitRoutes(java, 1);
            try (RawClient c = java.raw()) {
                c.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true,\"protocol\":1}\r\n"
                        + "SUB _INBOX.x 1\r\nPUB nobody.home _INBOX.x 0\r\n\r\nPING\r\n");
                assertEquals("HMSG _INBOX.x 1 16 16", c.readLine());
            }
        }
    }

    private static final String SYSTEM = """
            accounts {
              SYS { users = [ {user: sys, password: sys} ] }
              APP { users = [ {user: app, password: app} ] }
            }
            system_account: SYS
            """;

    /** Server ids of the PING replies that arrive within a few seconds. */
    static Set<String> pingAll(Connection sys, int expected) throws Exception {
        Set<String> ids = new HashSet<>();
        String inbox = sys.createInbox();
        Subscription replies = sys.subscribe(inbox);
        sys.flush(Duration.ofSeconds(2));
        sys.publish("$SYS.REQ.SERVER.PING", inbox, new byte[0]);
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (ids.size() < expected && System.nanoTime() < end) {
            Message m = replies.nextMessage(Duration.ofMillis(200));
            if (m != null) {
                String json = new String(m.getData(), StandardCharsets.UTF_8);
                int i = json.indexOf("\"id\":\"");
                ids.add(json.substring(i + 6, json.indexOf('"', i + 6)));
            }
        }
        replies.unsubscribe();
        return ids;
    }

    @Test
    void twoReferenceNodesAndThisServerMeshFromOneSeedAndAllAnswerPing() throws Exception {
        int seed = Sockets.freePort();
        try (ReferenceServer r1 = ReferenceServer.start(SYSTEM + clusterConf(seed));
                ReferenceServer r2 = ReferenceServer.start(SYSTEM + clusterConf(Sockets.freePort(), seed));
                TestServer java = TestServer.fromConfig(SYSTEM + clusterConf(Sockets.freePort(), seed))) {
            awaitRoutes(java, 2); // the seed, and the other reference node learnt by gossip
            for (String url : new String[] {java.url(), r1.url(), r2.url()}) {
                try (Connection sys = connect(url.replace("nats://", "nats://sys:sys@"))) {
                    Await.until(() -> {
                        try {
                            Set<String> ids = pingAll(sys, 3);
                            return ids.size() == 3 && ids.contains(java.server().serverId());
                        } catch (Exception e) {
                            return false;
                        }
                    }, "PING from " + url + " answered by all three servers");
                }
            }
        }
    }

    @Test
    void connectEventsOfOneNodeReachASystemSubscriberOnTheOther() throws Exception {
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(SYSTEM + clusterConf(jc));
                ReferenceServer ref = ReferenceServer.start(SYSTEM + clusterConf(Sockets.freePort(), jc))) {
            awaitRoutes(java, 1);
            try (Connection sysOnJava = connect("nats://sys:sys@127.0.0.1:" + java.port());
                    Connection sysOnRef = connect("nats://sys:sys@127.0.0.1:" + ref.port())) {
                Subscription onJava = sysOnJava.subscribe("$SYS.ACCOUNT.APP.CONNECT");
                Subscription onRef = sysOnRef.subscribe("$SYS.ACCOUNT.APP.CONNECT");
                sysOnJava.flush(Duration.ofSeconds(2));
                sysOnRef.flush(Duration.ofSeconds(2));
                Await.until(() -> pingCount(sysOnJava) == 2, "system interest across the route");
                try (Connection app = connect("nats://app:app@127.0.0.1:" + ref.port())) {
                    Message m = onJava.nextMessage(Duration.ofSeconds(5));
                    assertNotNull(m, "the reference's CONNECT event reached a subscriber on this server");
                    assertTrue(new String(m.getData(), StandardCharsets.UTF_8).contains(ref.serverId()));
                }
                try (Connection app = connect("nats://app:app@127.0.0.1:" + java.port())) {
                    String id = java.server().serverId();
                    Message m;
                    do { // the reference's own event for the first client came first
                        m = onRef.nextMessage(Duration.ofSeconds(5));
                        assertNotNull(m, "this server's CONNECT event reached a subscriber on the reference");
                    } while (!new String(m.getData(), StandardCharsets.UTF_8).contains(id));
                }
            }
        }
    }

    private static int pingCount(Connection sys) {
        try {
            return pingAll(sys, 2).size();
        } catch (Exception e) {
            return 0;
        }
    }
}
