package io.natsjvm.server.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static io.natsjvm.server.util.ReferenceShape.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claims status service: $SYS.REQ.CLAIMS.STATUS, /claimsz and the claim metrics report the
 * JWT in force per account, where it came from (preload, push, store; lookup and pack are
 * asserted in ClusterResolverTest) and the update outcomes.
 */
class ClaimsStatusTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Connection systemUser(TestServer s, JwtFixture f) throws Exception {
        NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
        return s.connect(o -> {
            try {
                o.authHandler(io.nats.client.Nats.credentials(JwtFixture.creds(
                        JwtFixture.user(admin, f.sys, "admin", u -> { }), admin).toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The status data of this server, optionally for one account. */
    public static JsonNode status(Connection sys, String account) throws Exception {
        String body = account == null ? "" : "{\"account\":\"" + account + "\"}";
        Message m = sys.request("$SYS.REQ.CLAIMS.STATUS", body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(3));
        assertNotNull(m, "no claims status reply");
        return JSON.readTree(m.getData()).get("data");
    }

    /** The status entry of one account, or null. */
    public static JsonNode entry(JsonNode status, String account) {
        for (JsonNode a : status.get("accounts")) {
            if (a.get("account").asText().equals(account)) {
                return a;
            }
        }
        return null;
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void preloadThenPushWithOutcomesAndEnforcement() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        try (TestServer s = TestServer.fromConfig(f.config() + "\nhttp_port: -1\n"); Connection sys = systemUser(s, f)) {
            JsonNode st = status(sys, null);
            assertEquals(true, st.get("operator_mode").asBoolean());
            assertEquals("MEMORY", st.get("resolver").asText());
            assertEquals(2, st.get("num_accounts").asInt());
            JsonNode app = entry(st, f.app.publicKey());
            assertEquals("preload", app.get("source").asText());
            assertEquals("APP", app.get("name").asText());
            assertEquals(f.operatorSigner.publicKey(), app.get("issuer").asText());
            assertEquals(sha256(f.appJwt), app.get("hash").asText());
            assertEquals(Jwts.decode(f.appJwt).id(), app.get("jti").asText());
            assertEquals(false, app.get("in_use").asBoolean(), "nobody logged in to APP yet");

            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String user = JwtFixture.user(u, f.app, "u", c -> { });
            try (RawClient a = JwtFixture.rawLogin(s, user, u, true); RawClient b = JwtFixture.rawLogin(s, user, u, true)) {
                String lowered = f.account(n -> n.with("limits").put("conn", 1));
                sys.request("$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE",
                        lowered.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));
                a.expect("-ERR 'maximum account active connections exceeded'");
                // a forged update is rejected and counted, and changes nothing
                NKeyPair rogue = NKeyPair.create(NKeys.PREFIX_OPERATOR);
                String forged = Jwts.sign(JwtFixture.claims(f.app.publicKey(), "account", "APP"), rogue);
                sys.request("$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE",
                        forged.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));
                sys.request("$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE",
                        lowered.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));

                JsonNode after = status(sys, f.app.publicKey());
                assertEquals(1, after.get("num_accounts").asInt(), "filtered to one account");
                JsonNode pushed = entry(after, f.app.publicKey());
                assertEquals("push", pushed.get("source").asText());
                assertEquals(sha256(lowered), pushed.get("hash").asText());
                assertEquals(true, pushed.get("in_use").asBoolean());
                assertEquals(1, pushed.get("connections").asInt());
                assertEquals(1, after.at("/updates/applied").asLong());
                assertEquals(1, after.at("/updates/rejected").asLong());
                assertEquals(1, after.at("/updates/unchanged").asLong());
                assertEquals(1, after.at("/enforcement/count").asLong());
                assertTrue(after.at("/enforcement/max_ms").asDouble() > 0);

                // the same report over HTTP, and the metrics
                JsonNode http = JSON.readTree(get(s, "/claimsz?acc=" + f.app.publicKey()).body());
                assertEquals(sha256(lowered), entry(http, f.app.publicKey()).get("hash").asText());
                String metrics = get(s, "/metrics").body();
                assertTrue(metrics.contains("nats_claims_updates_total{outcome=\"applied\"} 1.0"), metrics);
                assertTrue(metrics.contains("nats_claims_updates_total{outcome=\"rejected\"} 1.0"), metrics);
                assertTrue(metrics.contains("nats_claims_enforcement_seconds_count 1"), metrics);
                assertTrue(metrics.contains("nats_claims_accounts{source=\"push\"} 1.0"), metrics);
                assertTrue(metrics.contains("nats_claims_accounts{source=\"preload\"} 1.0"), metrics);
            }
        }
    }

    @Test
    void aFullResolverReportsItsStoreAfterARestart() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        Path dir = Files.createTempDirectory("claimsz");
        String conf = "operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey()
                + "\nresolver: { type: full, dir: \"" + dir + "\" }\n"
                + "resolver_preload: { " + f.sys.publicKey() + ": " + f.sysJwt + " }\n";
        String hashBefore;
        try (TestServer s = TestServer.fromConfig(conf); Connection sys = systemUser(s, f)) {
            sys.request("$SYS.REQ.CLAIMS.UPDATE", f.appJwt.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(3));
            JsonNode st = status(sys, null);
            assertEquals("full", st.get("resolver").asText());
            assertEquals("push", entry(st, f.app.publicKey()).get("source").asText());
            hashBefore = st.get("store_hash").asText();
            assertEquals(64, hashBefore.length());
        }
        try (TestServer s = TestServer.fromConfig(conf); Connection sys = systemUser(s, f)) {
            JsonNode st = status(sys, null);
            assertEquals("store", entry(st, f.app.publicKey()).get("source").asText(), st.toString());
            assertEquals(sha256(f.appJwt), entry(st, f.app.publicKey()).get("hash").asText());
            assertEquals(hashBefore, st.get("store_hash").asText(), "same JWTs, same store hash");
            assertNotEquals("", entry(st, f.app.publicKey()).get("since").asText());
        }
    }

    @Test
    void withoutOperatorModeTheReportIsEmpty() throws Exception {
        try (TestServer s = TestServer.fromConfig("http_port: -1\n")) {
            JsonNode st = JSON.readTree(get(s, "/claimsz").body());
            assertEquals(false, st.get("operator_mode").asBoolean());
            assertEquals(0, st.get("accounts").size());
        }
    }

    static HttpResponse<String> get(TestServer s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + s.server().httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }
}
