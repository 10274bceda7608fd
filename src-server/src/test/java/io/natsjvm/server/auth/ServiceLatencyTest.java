package io.natsjvm.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Service latency tracking of config exports, sample by sample against nats-server 2.9.10: an
 * answered request (200 with requester and responder), one sampled because its Zipkin headers ask
 * (the headers in the sample) while one without them is not, a request without reply subject
 * (400), one nobody serves (503), one whose requester unsubscribed first (408) and one not
 * answered within the export's response threshold
 * (504; its late answer is dropped). Times, ids and RTTs are masked; every field and its order is
 * compared.
 */
class ServiceLatencyTest {
    static final String CONF = """
            server_name: srv
            accounts {
              A {
                users = [ {user: a, password: a} ]
                exports = [
                  {service: "lat.>", latency: {sampling: 100, subject: "results"}}
                  {service: "hdr.>", latency: {sampling: headers, subject: "results"}}
                  {service: "slow.>", threshold: "300ms", latency: "results"}
                ]
              }
              B {
                users = [ {user: b, password: b} ]
                imports = [
                  {service: {account: A, subject: "lat.>"}}
                  {service: {account: A, subject: "hdr.>"}}
                  {service: {account: A, subject: "slow.>"}}
                ]
              }
            }
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The next message on {@code c}: its subject, reply and payload. */
    private static String[] next(RawClient c) throws Exception {
        String[] t = c.readLine().split(" ");
        boolean headers = t[0].equals("HMSG");
        String body = new String(c.readBytes(Integer.parseInt(t[t.length - 1]) + 2), StandardCharsets.UTF_8);
        if (headers) {
            body = body.substring(Integer.parseInt(t[t.length - 2]));
        }
        String reply = t.length == (headers ? 6 : 5) ? t[3] : "";
        return new String[] {t[1], reply, body.substring(0, body.length() - 2)};
    }

    /** A sample with what varies between runs masked, fields in the order they came. */
    private static String sample(RawClient a) throws Exception {
        String[] m = next(a);
        assertEquals("results", m[0], "a latency sample, got " + String.join(" ", m));
        return masked(m[2]);
    }

    private static String masked(String sample) throws Exception {
        JsonNode n = JSON.readTree(sample);
        ObjectNode o = (ObjectNode) n;
        for (String f : List.of("id", "timestamp", "start")) {
            o.put(f, "*");
        }
        // the service time is the round trip less the responder's RTT estimate, 0 when that is larger
        o.put("service", n.path("service").asLong() >= 0 ? "*" : n.path("service").asText());
        for (String f : List.of("system", "total")) {
            o.put(f, n.path(f).asLong() > 0 ? "+" : n.path(f).asText());
        }
        for (String side : List.of("requestor", "responder")) {
            if (n.path(side) instanceof ObjectNode c) {
                for (String f : List.of("start", "id", "rtt", "jwt", "user")) {
                    if (c.has(f)) {
                        c.put(f, "*");
                    }
                }
            }
        }
        return o.toString();
    }

    private static String answer(RawClient a) throws Exception {
        String[] req = next(a);
        a.send("PUB " + req[1] + " 2\r\nok\r\n");
        return req[0];
    }

    static List<String> session(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a = ServiceImportWireTest.login(port, "a", true);
             RawClient b = ServiceImportWireTest.login(port, "b", true)) {
            a.send("SUB results 9\r\nSUB lat.x 1\r\nSUB hdr.x 2\r\n");
            a.expectAlive();
            b.send("SUB inbox 1\r\n");
            b.expectAlive();

            b.send("PUB lat.x inbox 2\r\nhi\r\n");
            out.add("answered " + answer(a) + ": " + sample(a));
            b.expect("MSG inbox 1 2").expect("ok");

            b.send("PUB hdr.x inbox 2\r\nhi\r\n");
            out.add("untraced " + answer(a));
            b.expect("MSG inbox 1 2").expect("ok");
            String traced = "NATS/1.0\r\nX-B3-Sampled: 1\r\nX-B3-TraceId: 80f198ee56343ba8\r\n\r\n";
            b.send("HPUB hdr.x inbox " + traced.length() + " " + (traced.length() + 2) + "\r\n" + traced + "hi\r\n");
            out.add("traced " + answer(a) + ": " + sample(a));
            b.expect("MSG inbox 1 2").expect("ok");

            b.send("PUB lat.x 2\r\nhi\r\n");
            // the request and its 400 sample race (the sample is sent by the system publisher, in
            // the reference too): take them in either order
            String[] first = next(a);
            String[] second = next(a);
            String[] request = first[0].equals("results") ? second : first;
            String[] bad = first[0].equals("results") ? first : second;
            assertEquals("results", bad[0]);
            out.add("no reply " + request[0] + ": " + masked(bad[2]));

            b.send("PUB lat.nobody inbox 2\r\nhi\r\n");
            out.add("unserved: " + sample(a));

            // the requester goes away before the answer: a 408, and the answer goes nowhere
            b.send("SUB gone 7\r\n");
            b.expectAlive();
            b.send("PUB lat.x gone 2\r\nhi\r\n");
            String[] orphan = next(a);
            b.send("UNSUB 7\r\n");
            out.add("requester left: " + sample(a));
            a.send("PUB " + orphan[1] + " 4\r\nlate\r\n");
            a.expectAlive();
            b.expectAlive();

            // not answered within the export's threshold: a 504, and a late answer goes nowhere
            a.send("SUB slow.x 3\r\n");
            a.expectAlive();
            b.send("PUB slow.x inbox 2\r\nhi\r\n");
            String[] slow = next(a);
            out.add("timed out: " + sample(a));
            a.send("PUB " + slow[1] + " 4\r\nlate\r\n");
            a.expectAlive();
            b.expectAlive();
        }
        return out;
    }

    @Test
    void samplesAsTheReferencePublishesThem() throws Exception {
        List<String> ours = Differential.sameAsReference(CONF, ServiceLatencyTest::session);
        assertEquals("unserved: {\"type\":\"io.nats.server.metric.v1.service_latency\",\"id\":\"*\",\"timestamp\":\"*\","
                + "\"status\":503,\"description\":\"Service Unavailable\",\"requestor\":{\"acc\":\"B\",\"rtt\":\"*\"},"
                + "\"start\":\"*\",\"service\":\"*\",\"system\":\"0\",\"total\":\"0\"}", ours.get(4));
    }

    /** The same from an account JWT's {@code service_latency}, with jnats on both sides. */
    @Test
    void jwtExportsAreTrackedToo() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        NKeyPair importer = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        f.appJwt = f.account(n -> {
            ObjectNode e = n.withArray("exports").addObject();
            e.put("subject", "svc.>");
            e.put("type", "service");
            e.putObject("service_latency").put("sampling", 100).put("results", "lat.results");
        });
        ObjectNode imp = JwtFixture.claims(importer.publicKey(), "account", "IMP");
        ObjectNode i = imp.with("nats").withArray("imports").addObject();
        i.put("subject", "svc.x");
        i.put("account", f.app.publicKey());
        i.put("type", "service");
        String config = "server_name: srv\n" + f.config().replace("resolver_preload: {\n", "resolver_preload: {\n  " + importer.publicKey()
                + ": " + Jwts.sign(imp, f.operatorSigner) + "\n");
        String ours = Differential.sameAsReference(config, port -> {
            try (Connection app = jwtUser(port, f.app); Connection req = jwtUser(port, importer)) {
                Subscription results = app.subscribe("lat.results");
                app.createDispatcher(m -> app.publish(m.getReplyTo(), "ok".getBytes(StandardCharsets.UTF_8)))
                        .subscribe("svc.>");
                app.flush(Duration.ofSeconds(2));
                assertEquals("ok", new String(req.request("svc.x", "hi".getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(3)).getData(), StandardCharsets.UTF_8));
                Message m = results.nextMessage(Duration.ofSeconds(3));
                return m == null ? "no sample" : masked(new String(m.getData(), StandardCharsets.UTF_8));
            }
        });
        assertTrue(ours.contains("\"status\":200,\"requestor\":{\"acc\":\"" + importer.publicKey()), ours);
    }

    private static Connection jwtUser(int port, NKeyPair account) throws Exception {
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        Path creds = JwtFixture.creds(JwtFixture.user(u, account, "u", c -> { }), u);
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .authHandler(Nats.credentials(creds.toString())).maxReconnects(0).build());
    }
}
