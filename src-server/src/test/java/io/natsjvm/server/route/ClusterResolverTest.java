package io.natsjvm.server.route;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.resolver.DirResolver;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.auth.JwtAuthenticator;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.natsjvm.server.route.MixedClusterTest.clusterConf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full resolver across a cluster: updates everywhere, lookups from peers, pack sync. */
class ClusterResolverTest {

    /** A full resolver node; {@code withApp}: the APP account is preloaded here. */
    static String fullResolver(JwtFixture f, String dir, boolean withApp, String interval) {
        return "operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey()
                + "\nresolver: { type: full, dir: \"" + dir + "\", interval: \"" + interval + "\" }\n"
                + "resolver_preload: { " + f.sys.publicKey() + ": " + f.sysJwt
                + (withApp ? "\n  " + f.app.publicKey() + ": " + f.appJwt : "") + " }\n";
    }

    /** APP's JWT with a conn limit, issued later than the fixture's (ties in "newest wins" are no test). */
    static String newerApp(JwtFixture f, int conn) {
        ObjectNode a = JwtFixture.claims(f.app.publicKey(), "account", "APP");
        a.put("iat", System.currentTimeMillis() / 1000 + 10);
        a.with("nats").with("limits").put("conn", conn);
        return Jwts.sign(a, f.operatorSigner);
    }

    /** The peers' LOOKUP responders are known here (their RS+ arrived): a lookup can reach them. */
    static void awaitPeerResponders(TestServer s, JwtFixture f, int peers) {
        var index = s.server().accounts().get(f.sys.publicKey()).subjects();
        String lookup = "$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.LOOKUP";
        Await.until(() -> index.match(lookup).plain().length >= 1 + peers, "the peers' lookup interest");
    }

    private static String stored(TestServer s, String key) {
        JwtAuthenticator jwt = (JwtAuthenticator) s.server().authenticator();
        return ((DirResolver) jwt.resolver()).fetch(key);
    }

    private static Connection systemUser(TestServer s, JwtFixture f) throws Exception {
        NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
        return Nats.connect(new Options.Builder().server(s.url())
                .authHandler(Nats.credentials(JwtFixture.creds(
                        JwtFixture.user(admin, f.sys, "admin", u -> { }), admin).toString()))
                .noReconnect().build());
    }

    @Test
    void anAccountKnownToOneNodeIsLookedUpByAnotherAtLogin() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        int seed = Sockets.freePort();
        try (TestServer has = TestServer.fromConfig(fullResolver(f, Files.createTempDirectory("a").toString(), true, "1m")
                + clusterConf(seed));
                TestServer lacks = TestServer.fromConfig(fullResolver(f, Files.createTempDirectory("b").toString(),
                        false, "1m") + clusterConf(Sockets.freePort(), seed))) {
            Await.until(() -> lacks.server().routes().routes().size() == 1, "route up");
            awaitPeerResponders(lacks, f, 1);
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            try (RawClient c = JwtFixture.rawLogin(lacks, JwtFixture.user(u, f.app, "u", x -> { }), u, true)) {
                assertEquals(f.appJwt, stored(lacks, f.app.publicKey()), "the looked-up JWT is stored");
                assertEquals(ClaimsLedger.Source.LOOKUP,
                        lacks.server().claimsLedger().get(f.app.publicKey()).source(), "the claims status knows how");
            }
        }
    }

    @Test
    void anAccountKnownToANatsServerPeerIsLookedUpToo() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        int rc = Sockets.freePort();
        try (ReferenceServer ref = ReferenceServer.start(fullResolver(f, "$DIR/jwt", true, "1m") + clusterConf(rc));
                TestServer java = TestServer.fromConfig(fullResolver(f, Files.createTempDirectory("b").toString(),
                        false, "1m") + clusterConf(Sockets.freePort(), rc))) {
            Await.until(() -> java.server().routes().routes().size() == 1, "route up");
            awaitPeerResponders(java, f, 1);
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            try (RawClient c = JwtFixture.rawLogin(java, JwtFixture.user(u, f.app, "u", x -> { }), u, true)) {
                assertEquals(f.appJwt, stored(java, f.app.publicKey()));
            }
        }
    }

    @Test
    void anUpdatePushedToOneNodeIsAppliedOnAllOfThem() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        int rc = Sockets.freePort();
        try (ReferenceServer ref = ReferenceServer.start(fullResolver(f, "$DIR/jwt", true, "1m") + clusterConf(rc));
                TestServer java = TestServer.fromConfig(fullResolver(f, Files.createTempDirectory("b").toString(),
                        true, "1m") + clusterConf(Sockets.freePort(), rc));
                Connection sys = systemUser(java, f)) {
            Await.until(() -> java.server().routes().routes().size() == 1, "route up");
            String newer = newerApp(f, 7);
            Await.until(() -> {
                try {
                    sys.request("$SYS.REQ.CLAIMS.UPDATE", newer.getBytes(StandardCharsets.US_ASCII),
                            Duration.ofSeconds(2));
                    return newer.equals(Files.readString(ref.dir().resolve("jwt").resolve(f.app.publicKey() + ".jwt")));
                } catch (Exception e) {
                    return false;
                }
            }, "the reference stored the update pushed to this server");
            Await.until(() -> newer.equals(stored(java, f.app.publicKey())), "this server stored it too");
        }
    }

    @Test
    void aNodeThatWasDownCatchesUpByPackAndRefusesUnsignedJwts() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        Path dirB = Files.createTempDirectory("b");
        int seed = Sockets.freePort();
        int portB = Sockets.freePort();
        try (TestServer a = TestServer.fromConfig(fullResolver(f, Files.createTempDirectory("a").toString(), true, "1s")
                + clusterConf(seed))) {
            String newer = newerApp(f, 9);
            // B is down while A gets the update
            try (Connection sys = systemUser(a, f)) {
                sys.request("$SYS.REQ.CLAIMS.UPDATE", newer.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));
            }
            assertEquals(newer, stored(a, f.app.publicKey()));
            try (TestServer b = TestServer.fromConfig(fullResolver(f, dirB.toString(), true, "1s")
                    + clusterConf(portB, seed))) {
                Await.until(() -> newer.equals(stored(b, f.app.publicKey())), "B merged A's newer JWT by PACK");
                assertEquals(ClaimsLedger.Source.PACK, b.server().claimsLedger().get(f.app.publicKey()).source());

                // a peer that answers PACK with a JWT nobody trusted signed: refused
                NKeyPair rogue = NKeyPair.create(NKeys.PREFIX_OPERATOR);
                String forged = Jwts.sign(JwtFixture.claims(f.app.publicKey(), "account", "APP"), rogue);
                AtomicInteger answered = new AtomicInteger();
                try (Connection sys = systemUser(a, f)) {
                    Dispatcher d = sys.createDispatcher(m -> {
                        if (m.getReplyTo() != null) {
                            sys.publish(m.getReplyTo(), (f.app.publicKey() + "|" + forged)
                                    .getBytes(StandardCharsets.US_ASCII));
                            sys.publish(m.getReplyTo(), new byte[0]);
                            answered.incrementAndGet();
                        }
                    });
                    d.subscribe("$SYS.REQ.CLAIMS.PACK");
                    sys.flush(Duration.ofSeconds(2));
                    Await.until(() -> answered.get() >= 3, "pack requests answered with a forged JWT");
                    sys.flush(Duration.ofSeconds(2));
                }
                assertEquals(newer, stored(b, f.app.publicKey()), "the forged JWT was not merged");
                assertEquals(newer, stored(a, f.app.publicKey()));
                assertTrue(Files.readString(dirB.resolve(f.app.publicKey() + ".jwt")).equals(newer));
            }
        }
    }
}
