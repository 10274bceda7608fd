package io.natsjvm.server.auth;
import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceShape;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static io.natsjvm.server.util.ReferenceShape.assertSameShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operator mode with the MEMORY resolver: .creds logins through jnats, every refusal, limits. */
class JwtAuthTest {
    static Connection connect(TestServer s, Path creds, String name) throws Exception {
        return Nats.connect(new Options.Builder().server(s.url()).authHandler(Nats.credentials(creds.toString()))
                .connectionName(name).maxReconnects(0).build());
    }

    static Connection systemUser(TestServer s, JwtFixture f) throws Exception {
        NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
        return connect(s, JwtFixture.creds(JwtFixture.user(admin, f.sys, "admin", u -> { }), admin), "sys");
    }

    static JsonNode next(Subscription sub) throws Exception {
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "no event");
        return ReferenceShape.JSON.readTree(m.getData());
    }

    /** As the reference: account INFO of a JWT account carries the JWT, its issuer and its decoded claims. */
    @Test
    void accountInfoCarriesTheJwt() throws Exception {
        JwtFixture f = new JwtFixture(n -> n.putArray("tags").add("team:a"));
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = systemUser(s, f)) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            JwtFixture.rawLogin(s, JwtFixture.user(u, f.app, "u", c -> { }), u, true).close();
            Message m = sys.request("$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".INFO", new byte[0],
                    Duration.ofSeconds(3));
            JsonNode data = ReferenceShape.JSON.readTree(m.getData()).path("data");
            assertEquals(f.appJwt, data.path("jwt").asText());
            assertEquals(f.operatorSigner.publicKey(), data.path("issuer_key").asText());
            assertEquals("APP", data.path("name_tag").asText());
            assertEquals("team:a", data.path("tags").path(0).asText());
            assertEquals(f.app.publicKey(), data.path("decoded_jwt").path("sub").asText());
            assertEquals(-1, data.path("decoded_jwt").path("nats").path("limits").path("conn").asInt());
        }
    }

    /** 2.10's USER.INFO for a .creds user: its nkey, its account key, its permissions and the time left. */
    @Test
    void userInfoOfAJwtUser() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config())) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            long exp = System.currentTimeMillis() / 1000 + 3600;
            String jwt = JwtFixture.user(u, f.app, "u", c -> {
                c.put("exp", exp);
                c.with("nats").with("pub").putArray("allow").add("$SYS.REQ.USER.INFO").add("orders.>");
            });
            try (Connection c = connect(s, JwtFixture.creds(jwt, u), "who")) {
                Message m = c.request("$SYS.REQ.USER.INFO", new byte[0], Duration.ofSeconds(3));
                JsonNode data = ReferenceShape.JSON.readTree(m.getData()).path("data");
                assertEquals(u.publicKey(), data.path("user").asText());
                assertEquals(f.app.publicKey(), data.path("account").asText());
                assertEquals("[\"$SYS.REQ.USER.INFO\",\"orders.>\"]", data.at("/permissions/publish/allow").toString());
                long expires = data.path("expires").asLong();
                assertEquals(0, expires % 1_000_000_000L, "whole seconds, in nanoseconds");
                assertTrue(expires > 3590L * 1_000_000_000L && expires <= 3600L * 1_000_000_000L, data.toString());
            }
        }
    }

    /**
     * A JWT login is checked on a worker thread (its signatures use every core when many log in
     * at once): what the client wrote after CONNECT waits for the verdict and is served in order;
     * after a refusal nothing of it is.
     */
    @Test
    void whatFollowsConnectInTheSameWriteWaitsForTheLoginAndKeepsItsOrder() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config())) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = JwtFixture.user(u, f.app, "u", c -> { });
            try (RawClient c = JwtFixture.rawLoginThen(s.port(), jwt, u, "SUB t 1\r\nPUB t 2\r\nhi\r\nPING\r\n"
                    + "UNSUB 1\r\nPUB t 3\r\nbye\r\nPING\r\n")) {
                c.expect("MSG t 1 2").expect("hi").expect("PONG").expect("PONG");
            }
            NKeyPair stranger = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
            try (RawClient c = JwtFixture.rawLoginThen(s.port(), JwtFixture.user(u, stranger, "x", x -> { }), u,
                    "SUB t 1\r\nPING\r\n")) {
                c.expect("-ERR 'Authorization Violation'");
                c.expectClosed();
            }
        }
    }

    @Test
    void credsLoginWorksAndTheConnectEventCarriesTheJwt() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = systemUser(s, f)) {
            Subscription events = sys.subscribe("$SYS.ACCOUNT." + f.app.publicKey() + ".CONNECT");
            sys.flush(Duration.ofSeconds(2));
            NKeyPair alice = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = JwtFixture.user(alice, f.app, "alice", u -> { });
            try (Connection c = connect(s, JwtFixture.creds(jwt, alice), "probe-jwt-ev")) {
                Subscription sub = c.subscribe("greet");
                c.publish("greet", "hi".getBytes());
                assertEquals("hi", new String(sub.nextMessage(Duration.ofSeconds(2)).getData()));
                String body = new String(events.nextMessage(Duration.ofSeconds(5)).getData(), StandardCharsets.UTF_8);
                JsonNode ev = assertSameShape("client_connect_jwt.json", body);
                assertEquals(f.app.publicKey(), ev.at("/client/acc").asText());
                assertEquals(alice.publicKey(), ev.at("/client/user").asText());
                assertEquals(f.app.publicKey(), ev.at("/client/issuer_key").asText());
                assertEquals("alice", ev.at("/client/name_tag").asText());
                assertEquals(jwt, ev.at("/client/jwt").asText());
            }
        }
    }

    @Test
    void everyRefusalIsAnAuthorizationViolationWithAnAuthErrEvent() throws Exception {
        JwtFixture f = new JwtFixture(n -> n.putObject("revocations"));
        NKeyPair revokedUser = NKeyPair.create(NKeys.PREFIX_USER);
        f.appJwt = f.account(n -> n.putObject("revocations").put(revokedUser.publicKey(),
                System.currentTimeMillis() / 1000 + 60));
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = systemUser(s, f)) {
            Subscription errs = sys.subscribe("$SYS.SERVER." + s.server().serverId() + ".CLIENT.AUTH.ERR");
            sys.flush(Duration.ofSeconds(2));
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            NKeyPair stranger = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
            NKeyPair otherUser = NKeyPair.create(NKeys.PREFIX_USER);
            long now = System.currentTimeMillis() / 1000;
            // signed by an unknown key (not the account, not its signing key)
            refused(s, errs, JwtFixture.user(u, stranger, "x", c -> c.with("nats").put("issuer_account",
                    f.app.publicKey())), u);
            // account the resolver does not know
            refused(s, errs, JwtFixture.user(u, stranger, "x", c -> { }), u);
            // expired, not yet valid
            refused(s, errs, JwtFixture.user(u, f.app, "x", c -> c.put("exp", now - 5)), u);
            refused(s, errs, JwtFixture.user(u, f.app, "x", c -> c.put("nbf", now + 3600)), u);
            // revoked
            refused(s, errs, JwtFixture.user(revokedUser, f.app, "x", c -> { }), revokedUser);
            // wrong nonce signature: the JWT is for u, the nonce is signed by someone else
            refused(s, errs, JwtFixture.user(u, f.app, "x", c -> { }), otherUser);
            // address outside the user's src, connection type not allowed
            refused(s, errs, JwtFixture.user(u, f.app, "x", c -> c.with("nats").putArray("src").add("10.9.0.0/16")), u);
            refused(s, errs, JwtFixture.user(u, f.app, "x",
                    c -> c.with("nats").putArray("allowed_connection_types").add("WEBSOCKET")), u);
            // bad JWT signature
            String good = JwtFixture.user(u, f.app, "x", c -> { });
            refused(s, errs, good.substring(0, good.length() - 3) + (good.endsWith("AAA") ? "BBB" : "AAA"), u);
        }
    }

    @Test
    void srcAndConnectionTypesThatIncludeTheClientAreAccepted() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        String jwt = JwtFixture.user(u, f.app, "x", c -> {
            c.with("nats").putArray("src").add("10.0.0.0/8").add("127.0.0.0/8");
            c.with("nats").putArray("allowed_connection_types").add("STANDARD");
        });
        try (TestServer s = TestServer.fromConfig(f.config())) {
            JwtFixture.rawLogin(s, jwt, u, true).close();
        }
    }

    @Test
    void bearerTokensNeedNoSignatureUnlessTheAccountForbidsThem() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        String bearer = JwtFixture.user(u, f.app, "b", c -> c.with("nats").put("bearer_token", true));
        try (TestServer s = TestServer.fromConfig(f.config()); RawClient raw = s.raw()) {
            raw.send("CONNECT {\"verbose\":false,\"jwt\":\"" + bearer + "\"}\r\nPING\r\n").expect("PONG");
        }
        f.appJwt = f.account(n -> n.with("limits").put("disallow_bearer", true));
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = systemUser(s, f)) {
            Subscription errs = sys.subscribe("$SYS.SERVER." + s.server().serverId() + ".CLIENT.AUTH.ERR");
            sys.flush(Duration.ofSeconds(2));
            try (RawClient raw = s.raw()) {
                raw.send("CONNECT {\"jwt\":\"" + bearer + "\"}\r\nPING\r\n").expect("-ERR 'Authorization Violation'");
            }
            assertEquals("Authentication Failure", next(errs).get("reason").asText());
        }
    }

    private static void refused(TestServer s, Subscription errs, String jwt, NKeyPair signer) throws Exception {
        try (RawClient raw = JwtFixture.rawLogin(s, jwt, signer, false)) {
            raw.send("PING\r\n");
            raw.expect("-ERR 'Authorization Violation'");
            raw.expectClosed();
        }
        JsonNode ev = assertSameShape("auth_error_jwt.json", new String(errs.nextMessage(Duration.ofSeconds(5)).getData(),
                StandardCharsets.UTF_8));
        assertEquals("$G", ev.at("/client/acc").asText());
        assertEquals(jwt, ev.at("/client/jwt").asText());
    }

    @Test
    void accountAndUserLimitsAndPermissionsApply() throws Exception {
        JwtFixture f = new JwtFixture(n -> n.with("limits").put("conn", 2).put("payload", 64));
        try (TestServer s = TestServer.fromConfig(f.config())) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            Path creds = JwtFixture.creds(JwtFixture.user(u, f.app, "limited", c -> {
                c.with("nats").putObject("pub").putArray("allow").add("ok.>");
                c.with("nats").put("subs", 1);
            }), u);
            String jwt = Files.readString(creds).lines().skip(1).findFirst().orElseThrow();
            try (Connection c1 = connect(s, creds, "one"); Connection c2 = connect(s, creds, "two")) {
                assertThrows(Exception.class, () -> connect(s, creds, "three"));
                try (RawClient raw = JwtFixture.rawLogin(s, jwt, u, false)) {
                    raw.expect("-ERR 'maximum account active connections exceeded'");
                    raw.expectClosed();
                }
            }
            try (RawClient raw = JwtFixture.rawLogin(s, jwt, u, false)) {
                raw.send("PUB nope 1\r\nx\r\nSUB a 1\r\nSUB b 2\r\nPING\r\n");
                raw.expect("-ERR 'Permissions Violation for Publish to \"nope\"'");
                raw.expect("-ERR 'maximum subscriptions exceeded'");
                raw.expect("PONG");
                raw.send("PUB ok.x 65\r\n" + "x".repeat(65) + "\r\n");
                raw.expect("-ERR 'Maximum Payload Violation'");
            }
        }
    }

    @Test
    void userAndAccountExpiryCloseLiveConnections() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        JwtFixture f = new JwtFixture(n -> { });
        NKeyPair other = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        var oc = JwtFixture.claims(other.publicKey(), "account", "SHORT");
        oc.put("exp", now + 2);
        String shortLived = Jwts.sign(oc, f.operatorSigner);
        String config = f.config().replace("resolver_preload: {\n", "resolver_preload: {\n  " + other.publicKey()
                + ": " + shortLived + "\n");
        try (TestServer s = TestServer.fromConfig(config)) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            RawClient user = JwtFixture.rawLogin(s, JwtFixture.user(u, f.app, "u", c -> c.put("exp", now + 2)), u, true);
            RawClient inShort = JwtFixture.rawLogin(s, JwtFixture.user(u, other, "u", c -> { }), u, true);
            user.expect("-ERR 'User Authentication Expired'");
            user.expectClosed();
            inShort.expect("-ERR 'Account Authentication Expired'");
            inShort.expectClosed();
        }
    }

    @Test
    void connectTimesAreEnforced() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss");
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        String inside = JwtFixture.user(u, f.app, "in", c -> {
            c.with("nats").put("times_location", "UTC");
            c.with("nats").putArray("times").addObject().put("start", now.minusMinutes(5).format(hms))
                    .put("end", now.plusMinutes(5).format(hms));
        });
        String outside = JwtFixture.user(u, f.app, "out", c -> {
            c.with("nats").put("times_location", "UTC");
            c.with("nats").putArray("times").addObject().put("start", now.plusMinutes(10).format(hms))
                    .put("end", now.plusMinutes(20).format(hms));
        });
        try (TestServer s = TestServer.fromConfig(f.config())) {
            JwtFixture.rawLogin(s, inside, u, true).close();
            try (RawClient raw = JwtFixture.rawLogin(s, outside, u, false)) {
                raw.expect("-ERR 'Authorization Violation'");
            }
        }
    }

    /**
     * nsc's scoped signing keys: the user JWT carries no permissions, the key's template applies
     * with its placeholders filled in for the user, and a scoped user with its own permissions is
     * refused (as nats-server refuses it).
     */
    @Test
    void scopedSigningKeyTemplatesBecomeTheUsersPermissions() throws Exception {
        NKeyPair scopedKey = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        JwtFixture f = new JwtFixture(n -> {
            n.putArray("tags").add("region:eu");
            var scope = n.putArray("signing_keys").addObject();
            scope.put("kind", "user_scope").put("key", scopedKey.publicKey()).put("role", "team");
            var t = scope.putObject("template");
            t.putObject("pub").putArray("allow").add("{{name()}}.>").add("svc.{{tag(dept)}}.{{account-tag(region)}}")
                    .add("never.{{tag(missing)}}");
            t.putObject("sub").putArray("allow").add("_INBOX.>").add("{{name()}}.>");
            t.put("subs", 2).put("data", -1).put("payload", -1);
        });
        try (TestServer s = TestServer.fromConfig(f.config())) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = JwtFixture.user(u, scopedKey, "alice", c -> {
                // nsc's scoped users carry no limits at all (SetScoped clears them)
                c.with("nats").remove(List.of("subs", "data", "payload"));
                c.with("nats").put("issuer_account", f.app.publicKey());
                c.with("nats").putArray("tags").add("dept:sales").add("dept:ops");
            });
            try (RawClient raw = JwtFixture.rawLogin(s, jwt, u, true)) {
                raw.send("PUB alice.x 0\r\n\r\nPUB svc.sales.eu 0\r\n\r\nPUB svc.ops.eu 0\r\n\r\n"
                        + "PUB bob.x 0\r\n\r\nPUB never.x 0\r\n\r\nSUB alice.in 1\r\nSUB bob.in 2\r\nPING\r\n");
                raw.expect("-ERR 'Permissions Violation for Publish to \"bob.x\"'");
                raw.expect("-ERR 'Permissions Violation for Publish to \"never.x\"'");
                raw.expect("-ERR 'Permissions Violation for Subscription to \"bob.in\"'");
                raw.expect("PONG");
                // subs: 2 from the template (alice.in is one)
                raw.send("SUB _INBOX.a 3\r\nSUB _INBOX.b 4\r\nPING\r\n");
                raw.expect("-ERR 'maximum subscriptions exceeded'").expect("PONG");
            }
            String own = JwtFixture.user(u, scopedKey, "alice", c -> {
                c.with("nats").put("issuer_account", f.app.publicKey());
                c.with("nats").putObject("pub").putArray("allow").add(">");
            });
            try (RawClient raw = JwtFixture.rawLogin(s, own, u, false)) {
                raw.expect("-ERR 'Authorization Violation'").expectClosed();
            }
        }
    }
}
