package io.natsjvm.server.leaf;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.natsjvm.server.util.Interest.awaitInterest;
import static io.natsjvm.server.util.Interest.connect;
import static io.natsjvm.server.util.Interest.pongResponder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A leaf cluster ("edge": two nats-server nodes routed to each other) whose nodes are leafs of
 * different nodes of a hub cluster. Each edge node reaches the other both over its own route and
 * through the hub, so the hub must know which cluster a leaf's interest and messages came from
 * (route INFO {@code lnoc}: {@code LS+}/{@code LMSG} with the origin cluster) and never hand a
 * message back to the cluster it came from.
 */
class LeafClusterTest {

    /** One node: this server or nats-server, behind the same two calls. */
    private record Node(String url, AutoCloseable process) implements AutoCloseable {
        static Node start(String kind, String config) throws Exception {
            if (kind.equals("java")) {
                TestServer t = TestServer.fromConfig(config);
                return new Node(t.url(), t);
            }
            ReferenceServer r = ReferenceServer.start(config);
            return new Node(r.url(), r);
        }

        @Override
        public void close() throws Exception {
            process.close();
        }
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    /** What arrives until the subscription is quiet, sorted: publishers on different nodes race. */
    private static List<String> drain(Subscription sub, Duration first) throws InterruptedException {
        List<String> got = new ArrayList<>();
        Message m = sub.nextMessage(first);
        while (m != null) {
            got.add(text(m));
            m = sub.nextMessage(Duration.ofMillis(200));
        }
        got.sort(null);
        return got;
    }

    @ParameterizedTest(name = "hub nodes, edge nodes: {0}")
    @ValueSource(strings = {"java,java,ref,ref", "java,ref,ref,ref", "ref,java,ref,ref", "ref,ref,java,java",
        "ref,ref,java,ref", "java,java,java,java"})
    void eachMessageArrivesOnceWhereverItIsPublished(String kinds) throws Exception {
        String[] k = kinds.split(",");
        int hc1 = Sockets.freePort();
        int lp1 = Sockets.freePort();
        int lp2 = Sockets.freePort();
        int ec1 = Sockets.freePort();
        String hub1 = "cluster { name: hub, listen: 127.0.0.1:" + hc1 + " }\nleafnodes { listen: 127.0.0.1:" + lp1 + " }\n";
        String hub2 = "cluster { name: hub, listen: 127.0.0.1:" + Sockets.freePort() + ", routes: [nats-route://127.0.0.1:"
                + hc1 + "] }\nleafnodes { listen: 127.0.0.1:" + lp2 + " }\n";
        String edge1 = "cluster { name: edge, listen: 127.0.0.1:" + ec1 + " }\n"
                + "leafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:" + lp1 + "\" } ] }\n";
        String edge2 = "cluster { name: edge, listen: 127.0.0.1:" + Sockets.freePort() + ", routes: [nats-route://127.0.0.1:"
                + ec1 + "] }\nleafnodes { remotes: [ { url: \"nats-leaf://127.0.0.1:" + lp2 + "\" } ] }\n";
        try (Node h1 = Node.start(k[0], hub1); Node h2 = Node.start(k[1], hub2);
                Node e1 = Node.start(k[2], edge1); Node e2 = Node.start(k[3], edge2);
                Connection onH1 = connect(h1.url()); Connection onH2 = connect(h2.url());
                Connection onE1 = connect(e1.url()); Connection onE2 = connect(e2.url())) {
            // interest everywhere first, so every link (both routes, both leafs) is known to be up
            Subscription hubSub = onH2.subscribe("to.hub");
            Subscription edgeSub = onE1.subscribe("to.edge");
            Subscription hub1Sub = onH1.subscribe("to.hub1");
            onH2.flush(Duration.ofSeconds(2));
            onE1.flush(Duration.ofSeconds(2));
            onH1.flush(Duration.ofSeconds(2));
            awaitInterest(onE1, hubSub, "to.hub");
            awaitInterest(onE2, hubSub, "to.hub");
            awaitInterest(onE2, edgeSub, "to.edge");
            awaitInterest(onH2, edgeSub, "to.edge");
            awaitInterest(onH1, edgeSub, "to.edge");
            awaitInterest(onE2, hub1Sub, "to.hub1");

            onE2.publish("to.edge", "edge to edge".getBytes(StandardCharsets.UTF_8));
            onE1.publish("to.hub", "edge 1 to hub".getBytes(StandardCharsets.UTF_8));
            onE2.publish("to.hub", "edge 2 to hub".getBytes(StandardCharsets.UTF_8));
            onH2.publish("to.edge", "hub to edge".getBytes(StandardCharsets.UTF_8));
            onH1.publish("to.edge", "hub 1 to edge".getBytes(StandardCharsets.UTF_8));
            onE2.publish("to.hub1", "edge 2 to hub 1".getBytes(StandardCharsets.UTF_8));

            assertEquals(List.of("edge to edge", "hub 1 to edge", "hub to edge"), drain(edgeSub, Duration.ofSeconds(5)),
                    "each once, on the edge");
            assertEquals(List.of("edge 1 to hub", "edge 2 to hub"), drain(hubSub, Duration.ofSeconds(5)),
                    "each once, on the hub");
            assertEquals(List.of("edge 2 to hub 1"), drain(hub1Sub, Duration.ofSeconds(5)));

            // headers cross the hub's route with the origin (LMSG with a header size)
            Headers h = new Headers().add("X-Edge", "1");
            onE1.publish(new NatsMessage("to.hub", null, h, "with headers".getBytes(StandardCharsets.UTF_8)));
            Message withHeaders = hubSub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(withHeaders);
            assertEquals("with headers", text(withHeaders));
            assertEquals("1", withHeaders.getHeaders().getFirst("X-Edge"));
            assertNull(hubSub.nextMessage(Duration.ofMillis(300)), "one copy");

            // request/reply from the edge to a responder on the hub, and back
            pongResponder(onH2, "svc", onE1);
            Message reply = onE1.request("svc", new byte[0], Duration.ofSeconds(5));
            assertNotNull(reply);
            assertEquals("pong", text(reply));

            // queue members on both edge nodes and on the hub: each message delivered once in all
            Subscription q1 = onE1.subscribe("work", "q");
            Subscription q2 = onE2.subscribe("work", "q");
            Subscription q3 = onH1.subscribe("work", "q");
            onE1.flush(Duration.ofSeconds(2));
            onE2.flush(Duration.ofSeconds(2));
            onH1.flush(Duration.ofSeconds(2));
            Subscription plain = onE2.subscribe("work");
            awaitInterest(onH2, plain, "work");
            drain(q1, Duration.ofMillis(100));
            drain(q2, Duration.ofMillis(100));
            drain(q3, Duration.ofMillis(100));
            for (int i = 0; i < 50; i++) {
                onH2.publish("work", ("w" + i).getBytes(StandardCharsets.UTF_8));
            }
            onH2.flush(Duration.ofSeconds(2));
            assertEquals(50, drain(plain, Duration.ofSeconds(5)).size(), "the plain subscriber gets every one once");
            int delivered = drain(q1, Duration.ofMillis(200)).size() + drain(q2, Duration.ofMillis(200)).size()
                    + drain(q3, Duration.ofMillis(200)).size();
            assertEquals(50, delivered, "each queued message delivered once across hub and edge");
            assertNull(edgeSub.nextMessage(Duration.ofMillis(100)));
        }
    }
}
