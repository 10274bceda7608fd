package io.natsjvm.interop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.NKey;
import io.nats.jwt.JwtUtils;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User JWTs made by another implementation log in: io.nats:jwt-java's {@code JwtUtils.issueUserJWT}
 * (signed by the account, or by an account signing key) and a token assembled by hand. The server
 * and raw client come from the server's test harness (its test-jar), as for every wire test.
 */
class JwtJavaInteropTest {
    NKey account;
    NKey accountSigner;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        account = NKey.createAccount(null);
        accountSigner = NKey.createAccount(null);
        String accountKey = new String(account.getPublicKey());
        NKeyPair sys = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        ObjectNode op = claims(operator.publicKey(), "operator");
        op.with("nats").put("system_account", sys.publicKey());
        ObjectNode acc = claims(accountKey, "account");
        acc.with("nats").putArray("signing_keys").add(new String(accountSigner.getPublicKey()));
        String config = "operator: " + Jwts.sign(op, operator) + "\nresolver: MEMORY\nresolver_preload: {\n  "
                + sys.publicKey() + ": " + Jwts.sign(claims(sys.publicKey(), "account"), operator) + "\n  "
                + accountKey + ": " + Jwts.sign(acc, operator) + "\n}\n";
        server = TestServer.fromConfig(config);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ObjectNode claims(String sub, String type) {
        return Jwts.claims(sub, type, type);
    }

    /** CONNECT with the JWT, signing the nonce with the user's nkey-java key; returns the first reply line. */
    String login(String jwt, NKey user) throws Exception {
        try (RawClient c = server.raw()) {
            Matcher m = Pattern.compile("\"nonce\":\"([^\"]+)\"").matcher(c.info());
            assertTrue(m.find(), "INFO carries a nonce");
            String sig = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(user.sign(m.group(1).getBytes(StandardCharsets.US_ASCII)));
            c.send("CONNECT {\"jwt\":\"" + jwt + "\",\"sig\":\"" + sig + "\",\"verbose\":false}\r\nPING\r\n");
            return c.readLine();
        }
    }

    @Test
    void jwtJavaUsersLogIn() throws Exception {
        NKey user = NKey.createUser(null);
        String accountKey = new String(account.getPublicKey());
        assertEquals("PONG", login(JwtUtils.issueUserJWT(account, accountKey, new String(user.getPublicKey()),
                "jwt-java-user"), user));
        assertEquals("PONG", login(JwtUtils.issueUserJWT(accountSigner, accountKey,
                new String(user.getPublicKey()), "scoped-user"), user));
        // A signing key the account does not list is refused.
        NKey stranger = NKey.createAccount(null);
        assertEquals("-ERR 'Authorization Violation'", login(JwtUtils.issueUserJWT(stranger, accountKey,
                new String(user.getPublicKey()), "nope"), user));
    }

    @Test
    void handBuiltTokensLogIn() throws Exception {
        NKey user = NKey.createUser(null);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}".getBytes());
        String body = b64.encodeToString(("{\"jti\":\"HANDMADE\",\"iat\":" + now + ",\"iss\":\""
                + new String(account.getPublicKey()) + "\",\"name\":\"hand\",\"sub\":\"" + new String(user.getPublicKey())
                + "\",\"nats\":{\"pub\":{},\"sub\":{},\"subs\":-1,\"data\":-1,\"payload\":-1,\"type\":\"user\","
                + "\"version\":2}}").getBytes(StandardCharsets.UTF_8));
        String sig = b64.encodeToString(account.sign((header + "." + body).getBytes(StandardCharsets.US_ASCII)));
        assertEquals("PONG", login(header + "." + body + "." + sig, user));
    }
}
