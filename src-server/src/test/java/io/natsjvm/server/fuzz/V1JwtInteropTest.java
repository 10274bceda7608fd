package io.natsjvm.server.fuzz;

import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * v1 JWTs (header alg "ed25519", type at the top of the claims, the signature over the claims part
 * alone), as older nsc wrote them and as jnats's own test suite still uses: decoded through the Go
 * library's migration, with the same verdicts as nats-server 2.9.10.
 */
class V1JwtInteropTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String V1_HEADER = "{\"typ\":\"jwt\",\"alg\":\"ed25519\"}";

    private final NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);
    private final NKeyPair sys = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
    private final NKeyPair app = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
    private final NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);

    /** A v1 token: the signature covers the base64 claims only. */
    static String v1(String claims, NKeyPair signer) {
        String body = B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        return B64.encodeToString(V1_HEADER.getBytes(StandardCharsets.UTF_8)) + "." + body + "."
                + B64.encodeToString(signer.sign(body.getBytes(StandardCharsets.US_ASCII)));
    }

    private String claims(String sub, String iss, String type, String nats) {
        return "{\"jti\":\"J" + sub.substring(0, 8) + "\",\"iat\":1543955253,\"iss\":\"" + iss + "\",\"name\":\"n\","
                + "\"sub\":\"" + sub + "\",\"type\":\"" + type + "\",\"nats\":" + nats + "}";
    }

    private String config(String appLimits) {
        String op = v1(claims(operator.publicKey(), operator.publicKey(), "operator", "{}"), operator);
        String sysJwt = v1(claims(sys.publicKey(), operator.publicKey(), "account",
                "{\"limits\":{\"conn\":-1,\"subs\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1}}"), operator);
        String appJwt = v1(claims(app.publicKey(), operator.publicKey(), "account", "{\"limits\":" + appLimits + "}"),
                operator);
        return "operator: " + op + "\nsystem_account: " + sys.publicKey() + "\nresolver: MEMORY\n"
                + "resolver_preload: {\n  " + sys.publicKey() + ": " + sysJwt + "\n  " + app.publicKey() + ": "
                + appJwt + "\n}\n";
    }

    @Test
    void v1ChainsLogInWithTheReferencesVerdicts() throws Exception {
        String plainUser = v1(claims(user.publicKey(), app.publicKey(), "user", "{\"pub\":{},\"sub\":{}}"), app);
        String limitedUser = v1(claims(user.publicKey(), app.publicKey(), "user",
                "{\"pub\":{\"allow\":[\"foo.>\"]},\"sub\":{\"allow\":[\"foo.>\"]},\"payload\":1}"), app);
        String v2Signed = JwtMutator.sign("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}",
                claims(user.publicKey(), app.publicKey(), "user", "{}"), app);
        for (String limits : new String[] {"{\"conn\":-1,\"subs\":-1,\"payload\":-1}", "{}"}) {
            String config = config(limits);
            try (ReferenceServer reference = ReferenceServer.start(config);
                 TestServer ours = TestServer.fromConfig(config)) {
                for (String jwt : new String[] {plainUser, limitedUser, v2Signed}) {
                    String theirs = JwtDifferentialFuzzTest.login(reference.port(), jwt, user);
                    assertEquals(theirs, JwtDifferentialFuzzTest.login(ours.port(), jwt, user),
                            "account limits " + limits + ", user " + jwt);
                }
                if (limits.contains("conn")) {
                    assertTrue(JwtDifferentialFuzzTest.login(ours.port(), plainUser, user).contains("MSG foo.a"),
                            "a v1 user logs in and gets its messages");
                }
            }
        }
    }
}
