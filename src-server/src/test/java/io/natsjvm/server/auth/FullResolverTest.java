package io.natsjvm.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.natsjvm.server.util.ReferenceShape.JSON;
import static io.natsjvm.server.util.ReferenceShape.assertSameShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full resolver: its requests, its directory across a restart and after a crash mid-write. */
class FullResolverTest {
    static String config(JwtFixture f, Path dir) {
        return "operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey()
                + "\nresolver: { type: full, dir: \"" + dir + "\", allow_delete: true }\n"
                + "resolver_preload: { " + f.sys.publicKey() + ": " + f.sysJwt + " }\n";
    }

    static String request(Connection c, String subject, String body) throws Exception {
        Message m = c.request(subject, body.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));
        return m == null ? null : new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void pushListLookupRestartCrashAndDelete() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        Path dir = Files.createTempDirectory("jwt-store");
        NKeyPair alice = NKeyPair.create(NKeys.PREFIX_USER);
        String aliceJwt = JwtFixture.user(alice, f.app, "alice", c -> { });
        try (TestServer s = TestServer.fromConfig(config(f, dir)); Connection sys = JwtAuthTest.systemUser(s, f)) {
            // Not known yet: login refused, lookup silent.
            try (RawClient raw = JwtFixture.rawLogin(s, aliceJwt, alice, false)) {
                raw.expect("-ERR 'Authorization Violation'");
            }
            assertNull(sys.request("$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.LOOKUP", new byte[0],
                    Duration.ofMillis(500)));
            JsonNode pushed = assertSameShape("claims_update_reply_full.json",
                    request(sys, "$SYS.REQ.CLAIMS.UPDATE", f.appJwt));
            assertEquals(f.app.publicKey(), pushed.at("/data/account").asText());
            JwtFixture.rawLogin(s, aliceJwt, alice, true).close();
            JsonNode list = assertSameShape("claims_list_reply.json", request(sys, "$SYS.REQ.CLAIMS.LIST", ""));
            List<String> ids = new ArrayList<>();
            list.get("data").forEach(n -> ids.add(n.asText()));
            assertTrue(ids.containsAll(List.of(f.sys.publicKey(), f.app.publicKey())), ids.toString());
            assertEquals(f.appJwt, request(sys, "$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.LOOKUP", ""));
            JsonNode garbage = JSON.readTree(request(sys, "$SYS.REQ.CLAIMS.UPDATE", "not a jwt"));
            assertEquals(500, garbage.at("/error/code").asInt());
        }
        assertTrue(Files.exists(dir.resolve(f.app.publicKey() + ".jwt")));

        // A crash mid-write leaves a temporary file (and maybe junk): neither is served, the good JWT is.
        NKeyPair ghost = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        Files.writeString(dir.resolve(f.app.publicKey() + ".jwt.tmp"), "eyJ-half-written");
        Files.writeString(dir.resolve(ghost.publicKey() + ".jwt"), "garbage");
        try (TestServer s = TestServer.fromConfig(config(f, dir)); Connection sys = JwtAuthTest.systemUser(s, f)) {
            JwtFixture.rawLogin(s, aliceJwt, alice, true).close(); // survived the restart
            assertTrue(Files.notExists(dir.resolve(f.app.publicKey() + ".jwt.tmp")));
            assertNull(sys.request("$SYS.REQ.ACCOUNT." + ghost.publicKey() + ".CLAIMS.LOOKUP", new byte[0],
                    Duration.ofMillis(500)));

            // Delete: only a self-signed request by a trusted operator key.
            ObjectNode del = JwtFixture.claims(f.app.publicKey(), "generic", "delete");
            del.with("nats").putArray("accounts").add(f.app.publicKey());
            JsonNode refused = JSON.readTree(request(sys, "$SYS.REQ.CLAIMS.DELETE", Jwts.sign(del, f.app)));
            assertTrue(refused.at("/error/description").asText().contains("failed"), refused.toString());
            ObjectNode ok = JwtFixture.claims(f.operator.publicKey(), "generic", "delete");
            ok.with("nats").putArray("accounts").add(f.app.publicKey());
            JsonNode deleted = JSON.readTree(request(sys, "$SYS.REQ.CLAIMS.DELETE", Jwts.sign(ok, f.operator)));
            assertEquals("deleted 1 accounts", deleted.at("/data/message").asText(), deleted.toString());
            ObjectNode sysDel = JwtFixture.claims(f.operator.publicKey(), "generic", "delete");
            sysDel.with("nats").putArray("accounts").add(f.sys.publicKey());
            JsonNode noSys = JSON.readTree(request(sys, "$SYS.REQ.CLAIMS.DELETE", Jwts.sign(sysDel, f.operator)));
            assertTrue(noSys.at("/error/description").asText().contains("not allowed to delete system account"));
            try (RawClient raw = JwtFixture.rawLogin(s, aliceJwt, alice, false)) {
                raw.expect("-ERR 'Authorization Violation'");
            }
        }
    }
}
