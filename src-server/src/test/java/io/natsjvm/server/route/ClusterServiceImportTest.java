package io.natsjvm.server.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ClusterConf;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Service and stream imports across a route between this server and nats-server 2.9.10, both
 * ways: the import happens on the requester's node, the request (with its Nats-Request-Info
 * header) crosses to the service's node in the exporting account, the response comes back on the
 * importing node's {@code _R_} subject and is mapped to the requester's inbox.
 */
class ClusterServiceImportTest {
    static final String ACCOUNTS = """
            accounts {
              A {
                users = [ {user: a, password: a} ]
                exports = [ {service: "svc.>"}, {stream: "ev.>"} ]
              }
              B {
                users = [ {user: b, password: b} ]
                imports = [
                  {service: {account: A, subject: "svc.>"}}
                  {stream: {account: A, subject: "ev.>"}}
                ]
              }
            }
            """;

    private static String url(String user, String base) {
        return base.replace("nats://", "nats://" + user + ":" + user + "@");
    }

    /** B on {@code requesterNode} asks A's service on {@code serviceNode}; returns answer and the header seen. */
    private static String askAcross(String serviceNode, String requesterNode) throws Exception {
        try (Connection service = Interest.connect(url("a", serviceNode));
             Connection probeA = Interest.connect(url("a", requesterNode));
             Connection requester = Interest.connect(url("b", requesterNode))) {
            CompletableFuture<String> header = new CompletableFuture<>();
            service.createDispatcher(m -> {
                if (m.getReplyTo() == null) {
                    return; // a probe
                }
                header.complete(m.getHeaders() == null ? "none" : m.getHeaders().getFirst("Nats-Request-Info"));
                service.publish(m.getReplyTo(), ("re " + m.getSubject()).getBytes(StandardCharsets.UTF_8));
            }).subscribe("svc.x");
            service.flush(Duration.ofSeconds(2));
            // A's interest in svc.x must have crossed before B's import can reach it
            Subscription probe = service.subscribe("svc.x");
            Interest.awaitInterest(probeA, probe, "svc.x");
            probe.unsubscribe();
            Message answer = requester.request("svc.x", "q".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertNotNull(answer, "the response came back across the route");
            return new String(answer.getData(), StandardCharsets.UTF_8) + " / "
                    + header.get(5, TimeUnit.SECONDS).replaceAll("\"rtt\":\\d+", "\"rtt\":N");
        }
    }

    /** A publishes on {@code publisherNode}; B's stream import on {@code subscriberNode} gets it. */
    private static String streamAcross(String publisherNode, String subscriberNode) throws Exception {
        try (Connection pub = Interest.connect(url("a", publisherNode));
             Connection sub = Interest.connect(url("b", subscriberNode))) {
            Subscription s = sub.subscribe("ev.>");
            sub.flush(Duration.ofSeconds(2));
            Interest.awaitInterest(pub, s, "ev.probe");
            pub.publish("ev.one", "1".getBytes(StandardCharsets.UTF_8));
            Message m = s.nextMessage(Duration.ofSeconds(5));
            return m == null ? "nothing" : m.getSubject() + " " + new String(m.getData(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void importsWorkAcrossAMixedRouteBothWays() throws Exception {
        mixedPair(ACCOUNTS, (java, ref) -> {
            String expected = "re svc.x / {\"acc\":\"B\",\"rtt\":N}";
            assertEquals(expected, askAcross(ref.url(), java.url()), "import on this server, service on nats-server");
            assertEquals(expected, askAcross(java.url(), ref.url()), "import on nats-server, service here");
            assertEquals("ev.one 1", streamAcross(java.url(), ref.url()));
            assertEquals("ev.one 1", streamAcross(ref.url(), java.url()));
        });
    }

    private interface PairBody {
        void run(TestServer java, ReferenceServer ref) throws Exception;
    }

    /** This server and a nats-server node dialling it, both on {@code accounts}, once their route formed. */
    private static void mixedPair(String accounts, PairBody body) throws Exception {
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(accounts + ClusterConf.block("", jc));
             ReferenceServer ref = ReferenceServer.start(accounts + ClusterConf.block("", Sockets.freePort(), jc))) {
            Await.until(() -> java.server().routes().routes().size() == 1, "route formed");
            body.run(java, ref);
        }
    }

    static final String TRACKED = """
            accounts {
              A {
                users = [ {user: a, password: a} ]
                exports = [ {service: "svc.>", latency: {sampling: 100, subject: "lat.results"}} ]
              }
              B {
                users = [ {user: b, password: b} ]
                imports = [ {service: {account: A, subject: "svc.>"}} ]
              }
            }
            """;

    /**
     * B on {@code requesterNode} asks A's service on {@code serviceNode}; the sample, published by
     * the requester's server once both halves met, as a subscriber on that server sees it.
     */
    private static JsonNode sampleAcross(String serviceNode, String requesterNode) throws Exception {
        try (Connection service = Interest.connect(url("a", serviceNode));
             Connection watcher = Interest.connect(url("a", requesterNode));
             Connection requester = Interest.connect(url("b", requesterNode))) {
            Subscription results = watcher.subscribe("lat.results");
            watcher.flush(Duration.ofSeconds(2));
            service.createDispatcher(m -> {
                if (m.getReplyTo() != null) {
                    service.publish(m.getReplyTo(), "ok".getBytes(StandardCharsets.UTF_8));
                }
            }).subscribe("svc.x");
            service.flush(Duration.ofSeconds(2));
            Subscription probe = service.subscribe("svc.x");
            Interest.awaitInterest(watcher, probe, "svc.x");
            probe.unsubscribe();
            assertNotNull(requester.request("svc.x", "q".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)));
            Message m = results.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m, "a latency sample from the requester's server");
            return new ObjectMapper().readTree(m.getData());
        }
    }

    @Test
    void latencySamplesMergeBothServersMeasurementsEitherWay() throws Exception {
        mixedPair(TRACKED, (java, ref) -> {
            for (String[] nodes : new String[][] {{ref.url(), java.url(), "our M1 and nats-server's M2"},
                    {java.url(), ref.url(), "nats-server's M1 and our M2"}}) {
                JsonNode sample = sampleAcross(nodes[0], nodes[1]);
                assertEquals(200, sample.path("status").asInt(), nodes[2] + ": " + sample);
                assertEquals("B", sample.path("requestor").path("acc").asText(), nodes[2] + ": " + sample);
                assertEquals("A", sample.path("responder").path("acc").asText(), nodes[2] + ": " + sample);
                assertEquals("Client", sample.path("responder").path("kind").asText(), nodes[2] + ": " + sample);
                assertTrue(sample.path("total").asLong() >= sample.path("service").asLong(), nodes[2] + ": " + sample);
            }
        });
    }
}
