package io.natsjvm.server.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subject mappings ({@code mappings {}} at the top level and in accounts, {@code mappings} in an
 * account JWT) rewrite what clients publish: compared with nats-server 2.9.10 subject by subject,
 * weighted destinations split traffic, and request/reply works through a mapping.
 */
class SubjectMappingTest {
    private static final String MAPPINGS = """
            mappings {
              "foo": "bar"
              "in.*.*": "out.$2.$1"
              "orders.*.*": "orders.{{partition(5,1,2)}}.{{wildcard(1)}}.{{wildcard(2)}}"
              "a.>": "b.>"
              "split.*": "s.{{split(1,-)}}"
              "sl.*": "sl.{{sliceFromLeft(1,2)}}"
              "sr.*": "sr.{{SliceFromRight(1,2)}}"
              "fl.*": "fl.{{splitFromLeft(1,2)}}"
              "fr.*": "fr.{{ splitFromRight( 1, 2 ) }}"
              "all": { destination: "everything", weight: 100% }
              "svc": "svc.v2"
              "w": [ { destination: "w.a", weight: 50 }, { destination: "w.b", weight: "50%" } ]
            }
            """;
    private static final List<String> PUBLISHED = List.of("foo", "in.1.2", "orders.k1.k2", "orders.abc.def",
            "orders.zz.top", "a.c.d", "split.aa-bb--cc-", "sl.abcde", "sr.abcde", "fl.abcde", "fr.abcde", "all",
            "untouched.x", "foo.bar");

    /** What a subscriber to everything receives when {@code PUBLISHED} is published, in order. */
    private static List<String> received(String url) throws Exception {
        try (Connection c = Interest.connect(url)) {
            Subscription all = c.subscribe(">");
            c.flush(Duration.ofSeconds(2));
            for (String s : PUBLISHED) {
                c.publish(s, s.getBytes(StandardCharsets.UTF_8));
            }
            c.flush(Duration.ofSeconds(2));
            List<String> got = new ArrayList<>();
            for (int i = 0; i < PUBLISHED.size(); i++) {
                Message m = all.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "message " + i + " of " + PUBLISHED);
                got.add(new String(m.getData(), StandardCharsets.UTF_8) + " -> " + m.getSubject());
            }
            return got;
        }
    }

    @Test
    void mappedSubjectsAreTheReferences() throws Exception {
        List<String> ours;
        try (TestServer java = TestServer.fromConfig(MAPPINGS)) {
            ours = received(java.url());
        }
        assertTrue(ours.contains("foo -> bar") && ours.contains("in.1.2 -> out.2.1") && ours.contains("a.c.d -> b.c.d"),
                ours.toString());
        try (ReferenceServer ref = ReferenceServer.start(MAPPINGS)) {
            assertEquals(received(ref.url()), ours);
        }
    }

    @Test
    void weightsSplitTrafficAndRequestsFollowTheMapping() throws Exception {
        try (TestServer java = TestServer.fromConfig(MAPPINGS); Connection c = Interest.connect(java.url())) {
            Subscription a = c.subscribe("w.a");
            Subscription b = c.subscribe("w.b");
            Subscription w = c.subscribe("w");
            c.flush(Duration.ofSeconds(2));
            for (int i = 0; i < 400; i++) {
                c.publish("w", new byte[0]);
            }
            c.flush(Duration.ofSeconds(2));
            int na = 0;
            int nb = 0;
            while (a.nextMessage(Duration.ofMillis(200)) != null) {
                na++;
            }
            while (b.nextMessage(Duration.ofMillis(50)) != null) {
                nb++;
            }
            assertEquals(400, na + nb);
            assertTrue(na > 120 && nb > 120, na + "/" + nb);
            assertNull(w.nextMessage(Duration.ofMillis(50)), "weights adding to 100: the subject itself gets none");
            Interest.pongResponder(c, "svc.v2", c);
            assertEquals("pong", new String(c.request("svc", new byte[0], Duration.ofSeconds(5)).getData(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void anAccountsMappingsStayInThatAccountAndAReloadReplacesThem() throws Exception {
        String conf = """
                accounts {
                  A { users = [ {user: a, password: a} ], mappings { "x": "y" } }
                  B { users = [ {user: b, password: b} ] }
                }
                """;
        try (TestServer java = TestServer.fromConfig(conf);
                Connection a = Interest.connect("nats://a:a@127.0.0.1:" + java.port());
                Connection b = Interest.connect("nats://b:b@127.0.0.1:" + java.port())) {
            Subscription ay = a.subscribe("y");
            Subscription bx = b.subscribe("x");
            Subscription by = b.subscribe("y");
            a.flush(Duration.ofSeconds(2));
            b.flush(Duration.ofSeconds(2));
            a.publish("x", "in A".getBytes(StandardCharsets.UTF_8));
            b.publish("x", "in B".getBytes(StandardCharsets.UTF_8));
            assertEquals("in A", new String(ay.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
            assertEquals("in B", new String(bx.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8));
            assertNull(by.nextMessage(Duration.ofMillis(200)), "B has no mapping");

            ServerOptions next = OptionsLoader.load(ConfigParser.parse(conf.replace("\"x\": \"y\"", "\"x\": \"z\"")));
            next.host = "127.0.0.1";
            next.port = 0;
            java.server().reload(next);
            Subscription az = a.subscribe("z");
            a.flush(Duration.ofSeconds(2));
            a.publish("x", "after reload".getBytes(StandardCharsets.UTF_8));
            assertEquals("after reload", new String(az.nextMessage(Duration.ofSeconds(5)).getData(),
                    StandardCharsets.UTF_8));
            assertNull(ay.nextMessage(Duration.ofMillis(200)), "the old mapping is gone");
        }
    }

    /** An account JWT's nats block with the one mapping {@code jx -> dest}. */
    private static Consumer<ObjectNode> jxTo(String dest) {
        return n -> n.putObject("mappings").putArray("jx").addObject().put("subject", dest).put("weight", 100);
    }

    private static Connection withCreds(TestServer s, Path creds) throws Exception {
        return Nats.connect(new Options.Builder().server(s.url()).authHandler(Nats.credentials(creds.toString()))
                .maxReconnects(0).build());
    }

    @Test
    void anAccountJwtsMappingsApplyToItsUsersAndAClaimsUpdateReplacesThem() throws Exception {
        JwtFixture f = new JwtFixture(jxTo("jy"));
        try (TestServer java = TestServer.fromConfig(f.config())) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            Path creds = JwtFixture.creds(JwtFixture.user(u, f.app, "mapper", c -> { }), u);
            try (Connection c = withCreds(java, creds)) {
                Subscription jy = c.subscribe("jy");
                c.flush(Duration.ofSeconds(2));
                c.publish("jx", "mapped".getBytes(StandardCharsets.UTF_8));
                assertEquals("mapped", new String(jy.nextMessage(Duration.ofSeconds(5)).getData(),
                        StandardCharsets.UTF_8));

                // a CLAIMS.UPDATE replaces the mapping live, for the connection already there
                NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
                Path sysCreds = JwtFixture.creds(JwtFixture.user(admin, f.sys, "admin", u2 -> { }), admin);
                try (Connection sys = withCreds(java, sysCreds)) {
                    String updated = f.account(jxTo("jz"));
                    Message reply = sys.request("$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE",
                            updated.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                    assertTrue(new String(reply.getData(), StandardCharsets.UTF_8).contains("jwt updated"),
                            new String(reply.getData(), StandardCharsets.UTF_8));
                }
                Subscription jz = c.subscribe("jz");
                c.flush(Duration.ofSeconds(2));
                c.publish("jx", "remapped".getBytes(StandardCharsets.UTF_8));
                assertEquals("remapped", new String(jz.nextMessage(Duration.ofSeconds(5)).getData(),
                        StandardCharsets.UTF_8));
                assertNull(jy.nextMessage(Duration.ofMillis(200)), "the old destination gets nothing now");
            }
        }
    }
}
