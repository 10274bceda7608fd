package io.natsjvm.server.auth;
import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceShape;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.natsjvm.server.util.ReferenceShape.assertSameShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLAIMS.UPDATE with live connections (MEMORY resolver). */
class ClaimsUpdateTest {
    static JsonNode push(Connection sys, String subject, String jwt, String reference) throws Exception {
        Message m = sys.request(subject, jwt.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(5));
        return assertSameShape(reference, new String(m.getData(), StandardCharsets.UTF_8));
    }

    static String reqSubject(JwtFixture f) {
        return "$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE";
    }

    @Test
    void loweringMaxConnectionsClosesTheOldestAndKeepsTheNewest() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = JwtAuthTest.systemUser(s, f)) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = JwtFixture.user(u, f.app, "u", c -> { });
            RawClient oldest = JwtFixture.rawLogin(s, jwt, u, true);
            RawClient middle = JwtFixture.rawLogin(s, jwt, u, true);
            RawClient newest = JwtFixture.rawLogin(s, jwt, u, true);
            JsonNode r = push(sys, reqSubject(f), f.account(n -> n.with("limits").put("conn", 1)),
                    "claims_update_reply.json");
            assertEquals(200, r.at("/data/code").asInt());
            assertEquals("jwt updated", r.at("/data/message").asText());
            assertEquals(f.app.publicKey(), r.at("/data/account").asText());
            oldest.expect("-ERR 'maximum account active connections exceeded'");
            oldest.expectClosed();
            middle.expect("-ERR 'maximum account active connections exceeded'");
            middle.expectClosed();
            newest.send("PING\r\n").expect("PONG");
            // And the limit holds for new logins.
            RawClient another = JwtFixture.rawLogin(s, jwt, u, false);
            another.expect("-ERR 'maximum account active connections exceeded'");
            newest.close();
            another.close();
        }
    }

    @Test
    void revokingAConnectedUserClosesOnlyThatUser() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = JwtAuthTest.systemUser(s, f)) {
            NKeyPair bad = NKeyPair.create(NKeys.PREFIX_USER);
            NKeyPair good = NKeyPair.create(NKeys.PREFIX_USER);
            RawClient badConn = JwtFixture.rawLogin(s, JwtFixture.user(bad, f.app, "bad", c -> { }), bad, true);
            RawClient goodConn = JwtFixture.rawLogin(s, JwtFixture.user(good, f.app, "good", c -> { }), good, true);
            long now = System.currentTimeMillis() / 1000;
            // The old subject, published without a reply, is honoured too.
            sys.publish("$SYS.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE",
                    f.account(n -> n.putObject("revocations").put(bad.publicKey(), now + 1)).getBytes());
            badConn.expect("-ERR 'User Authentication Revoked'");
            badConn.expectClosed();
            goodConn.send("PING\r\n").expect("PONG");
            goodConn.close();
        }
    }

    @Test
    void badSignatureAndOlderUpdatesAreRefusedAndChangeNothing() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = JwtAuthTest.systemUser(s, f)) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = JwtFixture.user(u, f.app, "u", c -> { });
            RawClient a = JwtFixture.rawLogin(s, jwt, u, true);
            RawClient b = JwtFixture.rawLogin(s, jwt, u, true);
            // Signed by an operator this server does not trust.
            NKeyPair rogue = NKeyPair.create(NKeys.PREFIX_OPERATOR);
            var claims = JwtFixture.claims(f.app.publicKey(), "account", "APP");
            claims.with("nats").with("limits").put("conn", 0);
            JsonNode r = push(sys, reqSubject(f), Jwts.sign(claims, rogue), "claims_update_error_reply.json");
            assertEquals(500, r.at("/error/code").asInt());
            assertTrue(r.at("/error/description").asText().contains("not a trusted operator key"), r.toString());
            // Older than the JWT in force.
            var old = JwtFixture.claims(f.app.publicKey(), "account", "APP");
            old.put("iat", System.currentTimeMillis() / 1000 - 3600);
            old.with("nats").with("limits").put("conn", 0);
            JsonNode r2 = push(sys, reqSubject(f), Jwts.sign(old, f.operatorSigner), "claims_update_error_reply.json");
            assertTrue(r2.at("/error/description").asText().contains("before the JWT in force"), r2.toString());
            // For another account than the subject says.
            JsonNode r3 = push(sys, "$SYS.REQ.ACCOUNT." + f.sys.publicKey() + ".CLAIMS.UPDATE", f.appJwt,
                    "claims_update_error_reply.json");
            assertEquals("jwt update resulted in error - subject does not match jwt content",
                    r3.at("/error/description").asText());
            a.send("PING\r\n").expect("PONG");
            b.send("PING\r\n").expect("PONG");
            // An identical JWT is a no-op that still answers.
            JsonNode same = push(sys, reqSubject(f), f.appJwt, "claims_update_reply.json");
            assertEquals(200, same.at("/data/code").asInt());
            a.close();
            b.close();
        }
    }

    @Test
    void loweredPayloadAppliesToTheNextPublish() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = JwtAuthTest.systemUser(s, f)) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            RawClient c = JwtFixture.rawLogin(s, JwtFixture.user(u, f.app, "u", x -> { }), u, true);
            c.send("PUB a 20\r\n" + "x".repeat(20) + "\r\nPING\r\n").expect("PONG");
            push(sys, reqSubject(f), f.account(n -> n.with("limits").put("payload", 10)), "claims_update_reply.json");
            c.send("PING\r\n").expect("PONG");
            c.send("PUB a 20\r\n" + "x".repeat(20) + "\r\n").expect("-ERR 'Maximum Payload Violation'");
            c.close();
        }
    }

    @Test
    void removingASigningKeyClosesItsUsers() throws Exception {
        NKeyPair signer = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        JwtFixture f = new JwtFixture(n -> n.putArray("signing_keys").add(signer.publicKey()));
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = JwtAuthTest.systemUser(s, f)) {
            NKeyPair scoped = NKeyPair.create(NKeys.PREFIX_USER);
            NKeyPair direct = NKeyPair.create(NKeys.PREFIX_USER);
            RawClient viaSigner = JwtFixture.rawLogin(s, JwtFixture.user(scoped, signer, "scoped",
                    c -> c.with("nats").put("issuer_account", f.app.publicKey())), scoped, true);
            RawClient viaAccount = JwtFixture.rawLogin(s, JwtFixture.user(direct, f.app, "direct", c -> { }), direct, true);
            push(sys, reqSubject(f), f.account(n -> { }), "claims_update_reply.json");
            viaSigner.expectClosed();
            viaAccount.send("PING\r\n").expect("PONG");
            viaAccount.close();
        }
    }

    @Test
    void memoryResolverSkipsAccountsNotInUseAsTheReferenceDoes() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config()); Connection sys = JwtAuthTest.systemUser(s, f)) {
            JsonNode r = push(sys, reqSubject(f), f.account(n -> n.with("limits").put("conn", 0)),
                    "claims_update_reply.json");
            assertEquals("jwt update skipped", r.at("/data/message").asText());
            // Nothing was stored: users still log in under the preloaded limits.
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            JwtFixture.rawLogin(s, JwtFixture.user(u, f.app, "u", c -> { }), u, true).close();
            Message empty = sys.request(reqSubject(f), new byte[0], Duration.ofSeconds(3));
            assertEquals("jwt update error - request body is empty", ReferenceShape.JSON
                    .readTree(empty.getData()).at("/error/description").asText());
        }
    }
}
