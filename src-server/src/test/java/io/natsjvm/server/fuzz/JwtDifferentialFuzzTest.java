package io.natsjvm.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.TreeSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential fuzzing of JWT decoding: seeded mutations of a valid user JWT and of a valid account
 * JWT (by class: types, missing fields, ranges, nesting, encoding, signatures) are presented to
 * nats-server 2.9.10 and to this server with the same operator, accounts and config. A user JWT is
 * presented as a login followed by a probe of subscriptions, publishes and limits; an account JWT as
 * a CLAIMS.UPDATE followed by such a login. Both servers must reach the same outcome: refused, or
 * accepted with the same permissions and limits in force.
 *
 * <p>CI runs a short seeded run; {@code -Dfuzz.cases=2000 -Dfuzz.seed=N} runs a longer one.
 */
class JwtDifferentialFuzzTest {
    private static final int CASES = Integer.getInteger("fuzz.cases", 150);
    private static final long SEED = Long.getLong("fuzz.seed", 20261205L);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Subscriptions, publishes inside and outside the permissions, a payload of 2 bytes, then PING. */
    private static final String PROBE = "SUB foo.a 1\r\nSUB bar 2\r\nSUB foo.b 3\r\nPUB foo.a 1\r\nx\r\n"
            + "PUB bar 1\r\ny\r\nPUB foo.b 2\r\nxy\r\nPING\r\n";

    private static final List<String> USER_PATHS = List.of("exp", "nbf", "iat", "name", "jti", "aud", "nats",
            "nats.pub", "nats.pub.allow", "nats.pub.allow.0", "nats.pub.deny", "nats.sub", "nats.sub.allow",
            "nats.sub.allow.0", "nats.sub.deny", "nats.resp", "nats.resp.max", "nats.resp.ttl", "nats.src",
            "nats.src.0", "nats.times", "nats.times.0", "nats.times.0.start", "nats.times.0.end",
            "nats.times_location", "nats.subs", "nats.data", "nats.payload", "nats.bearer_token",
            "nats.allowed_connection_types", "nats.allowed_connection_types.0", "nats.version", "nats.type",
            "nats.tags", "nats.issuer_account");

    private static final List<String> ACCOUNT_PATHS = List.of("exp", "nbf", "iat", "name", "jti", "nats",
            "nats.limits", "nats.limits.conn", "nats.limits.subs", "nats.limits.payload", "nats.limits.data",
            "nats.limits.imports", "nats.limits.exports", "nats.limits.wildcards", "nats.limits.leaf",
            "nats.limits.disallow_bearer", "nats.signing_keys", "nats.signing_keys.0", "nats.revocations",
            "nats.revocations.UX", "nats.exports", "nats.exports.0", "nats.exports.0.type",
            "nats.exports.0.subject", "nats.exports.0.response_type", "nats.exports.0.token_req",
            "nats.imports", "nats.imports.0.type", "nats.imports.0.account", "nats.imports.0.subject",
            "nats.default_permissions", "nats.default_permissions.pub", "nats.default_permissions.pub.allow",
            "nats.mappings", "nats.description", "nats.tags", "nats.version", "nats.type");

    private final JwtFixture f = new JwtFixture(n -> { });
    private final NKeyPair sysUser = NKeyPair.create(NKeys.PREFIX_USER);
    private final NKeyPair signingKey = NKeyPair.create(NKeys.PREFIX_ACCOUNT);

    @Test
    void mutatedUserJwtsGetTheReferencesVerdict() throws Exception {
        try (Servers s = new Servers(config(f.appJwt))) {
            NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
            ObjectNode base = baseUser(user);
            assertEquals(s.ours(JwtMutator.sign(header(), base.toString(), f.app), user),
                    s.theirs(JwtMutator.sign(header(), base.toString(), f.app), user));
            JwtMutator m = new JwtMutator(SEED, USER_PATHS);
            List<String> differences = new ArrayList<>();
            int[] accepted = new int[1];
            for (int i = 0; i < CASES; i++) {
                JwtMutator.Mutation mu = m.next(base, f.app);
                String theirs = s.theirs(mu.token(), user);
                String ours = s.ours(mu.token(), user);
                if (!theirs.startsWith("refused")) {
                    accepted[0]++;
                }
                if (!theirs.equals(ours)) {
                    differences.add("#" + i + " " + mu.kind() + " " + mu.description() + "\n    nats-server: "
                            + theirs + "\n    ours:        " + ours);
                }
            }
            assertTrue(differences.isEmpty(), differences.size() + " of " + CASES + " user JWTs judged differently:\n"
                    + String.join("\n", differences));
            assertTrue(accepted[0] > 0 && accepted[0] < CASES, "the mutations must both pass and fail: " + accepted[0]);
        }
    }

    @Test
    void mutatedAccountJwtsGetTheReferencesVerdict() throws Exception {
        try (Servers s = new Servers(config(f.appJwt))) {
            NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
            String userJwt = JwtFixture.user(user, f.app, "u", c -> { });
            JwtMutator m = new JwtMutator(SEED + 1, ACCOUNT_PATHS);
            List<String> differences = new ArrayList<>();
            // newer than the preloaded JWT: both servers keep an older update out of force
            long iat = System.currentTimeMillis() / 1000 + 1;
            int cases = Math.max(20, CASES / 2);
            String first = JwtMutator.sign(header(), signedBase(iat - 1), f.operatorSigner);
            assertEquals("update:ok", s.theirsUpdate(f.app.publicKey(), first));
            assertEquals("update:ok", s.oursUpdate(f.app.publicKey(), first));
            String baseline = s.theirs(userJwt, user);
            assertEquals(baseline, s.ours(userJwt, user));
            for (int i = 0; i < cases; i++) {
                // every case starts from the same account: the base, pushed with a newer iat
                String reset = JwtMutator.sign(header(), signedBase(iat + 2L * i), f.operatorSigner);
                assertEquals("update:ok", s.theirsUpdate(f.app.publicKey(), reset));
                assertEquals("update:ok", s.oursUpdate(f.app.publicKey(), reset));
                JwtMutator.Mutation mu = m.next(baseAccount(iat + 2L * i + 1), f.operatorSigner);
                String theirsUpdate = s.theirsUpdate(f.app.publicKey(), mu.token());
                String oursUpdate = s.oursUpdate(f.app.publicKey(), mu.token());
                String theirs = s.theirs(userJwt, user);
                String ours = s.ours(userJwt, user);
                // What the reference refuses we refuse. It answers "jwt updated" for a JWT it then
                // keeps out of force (untrusted issuer, older than the stored one); we refuse those
                // openly, so there only the effect is compared.
                boolean sameVerdict = theirsUpdate.equals(oursUpdate)
                        || (theirsUpdate.equals("update:ok") && oursUpdate.equals("update:error")
                            && theirs.equals(baseline));
                if (!sameVerdict || !theirs.equals(ours)) {
                    differences.add("#" + i + " " + mu.kind() + " " + mu.description() + "\n    nats-server: "
                            + theirsUpdate + " / " + theirs + "\n    ours:        " + oursUpdate + " / " + ours);
                }
            }
            assertTrue(differences.isEmpty(), differences.size() + " of " + cases
                    + " account JWTs judged differently:\n" + String.join("\n", differences));
        }
    }

    private ObjectNode baseUser(NKeyPair user) {
        ObjectNode c = Jwts.claims(user.publicKey(), "fuzz", "user");
        ObjectNode n = c.with("nats");
        n.putObject("pub").putArray("allow").add("foo.>").add("_INBOX.>");
        n.with("pub").putArray("deny").add("foo.secret");
        n.putObject("sub").putArray("allow").add("foo.>").add("_INBOX.>");
        n.putObject("resp").put("max", 1).put("ttl", 0);
        n.putArray("src").add("127.0.0.0/8");
        n.putArray("times").addObject().put("start", "00:00:00").put("end", "23:59:59");
        n.put("times_location", "UTC");
        n.put("subs", 10).put("payload", 1024).put("bearer_token", false);
        n.putArray("allowed_connection_types").add("STANDARD");
        n.putArray("tags").add("fuzz");
        c.put("exp", System.currentTimeMillis() / 1000 + 3600);
        return c;
    }

    private ObjectNode baseAccount(long iat) {
        ObjectNode c = Jwts.claims(f.app.publicKey(), "APP", "account");
        ObjectNode n = c.with("nats");
        n.with("limits").put("conn", 10).put("subs", 10).put("payload", 1024);
        n.putArray("signing_keys").add(signingKey.publicKey());
        n.putObject("revocations").put(NKeyPair.create(NKeys.PREFIX_USER).publicKey(), iat);
        n.putArray("exports").addObject().put("name", "svc").put("subject", "svc.>").put("type", "service");
        n.putArray("imports").addObject().put("name", "ev").put("subject", "events.>").put("account", f.sys.publicKey())
                .put("type", "stream");
        n.putObject("default_permissions").putObject("pub").putArray("allow").add(">");
        n.putArray("tags").add("fuzz");
        c.put("iat", iat);
        return c;
    }

    private String signedBase(long iat) {
        ObjectNode c = baseAccount(iat);
        c.put("iss", f.operatorSigner.publicKey());
        return c.toString();
    }

    private static String header() {
        return "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";
    }

    private String config(String appJwt) {
        String sysJwt = f.sysJwt;
        return "operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey() + "\n"
                + "resolver: { type: full, dir: \"$DIR/jwt\", allow_delete: false }\n"
                + "resolver_preload: {\n  " + f.sys.publicKey() + ": " + sysJwt + "\n  " + f.app.publicKey() + ": "
                + appJwt + "\n}\n";
    }

    /** The reference and this server, each with its own JWT directory, plus a system user on each. */
    private final class Servers implements AutoCloseable {
        private final ReferenceServer reference;
        private final TestServer ours;
        private final Connection referenceSys;
        private final Connection oursSys;
        private final Path oursDir;

        Servers(String config) throws Exception {
            reference = ReferenceServer.start(config);
            oursDir = Files.createTempDirectory("nats-ours");
            ours = TestServer.fromConfig(config.replace("$DIR", oursDir.toString()));
            Path creds = JwtFixture.creds(JwtFixture.user(sysUser, f.sys, "sys", c -> { }), sysUser);
            referenceSys = connect(reference.url(), creds);
            oursSys = connect(ours.url(), creds);
        }

        private Connection connect(String url, Path creds) throws Exception {
            return Nats.connect(new Options.Builder().server(url).authHandler(Nats.credentials(creds.toString()))
                    .connectionTimeout(Duration.ofSeconds(5)).noReconnect().build());
        }

        String theirs(String jwt, NKeyPair user) throws IOException {
            return login(reference.port(), jwt, user);
        }

        String ours(String jwt, NKeyPair user) throws IOException {
            return login(ours.port(), jwt, user);
        }

        String theirsUpdate(String account, String jwt) throws Exception {
            return update(referenceSys, account, jwt);
        }

        String oursUpdate(String account, String jwt) throws Exception {
            return update(oursSys, account, jwt);
        }

        @Override
        public void close() throws Exception {
            referenceSys.close();
            oursSys.close();
            ours.close();
            reference.close();
        }
    }

    /** CLAIMS.UPDATE: "update:ok" or "update:error" (the codes and texts have their own tests). */
    private static String update(Connection sys, String account, String jwt) throws Exception {
        Message reply = sys.request("$SYS.REQ.ACCOUNT." + account + ".CLAIMS.UPDATE",
                jwt.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(3));
        if (reply == null) {
            return "update:no reply";
        }
        JsonNode r = JSON.readTree(reply.getData());
        return r.has("error") ? "update:error" : "update:ok";
    }

    private static final Pattern NONCE = Pattern.compile("\"nonce\":\"([^\"]+)\"");

    /**
     * Logs in with the JWT (the nonce signed by the user's key), runs {@link #PROBE} and describes
     * what came back: "refused", "expired", or the lines up to PONG or the close.
     */
    static String login(int port, String jwt, NKeyPair user) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            String info = line(in);
            Matcher m = NONCE.matcher(info == null ? "" : info);
            String sig = m.find() ? Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(user.sign(m.group(1).getBytes(StandardCharsets.US_ASCII))) : "";
            String connect = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,\"headers\":true,"
                    + "\"jwt\":" + JSON.writeValueAsString(jwt) + ",\"sig\":\"" + sig + "\"}\r\n";
            s.getOutputStream().write((connect + PROBE).getBytes(StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String l = line(in); l != null; l = line(in)) {
                if (l.contains("Authorization Violation")) {
                    return "refused";
                }
                if (l.contains("Authentication Expired")) {
                    return "expired";
                }
                if (l.contains("maximum account active connections exceeded")) {
                    // refused; the reference may also send the subscription-limit error of its
                    // own goroutine before closing, or not
                    return "refused: account connections";
                }
                lines.add(l);
                if (l.equals("PONG") || l.endsWith("<timeout>")) {
                    break;
                }
            }
            // as a set: the reference sends some errors from another goroutine, in no fixed order
            // and sometimes after the PONG
            return String.join(" | ", new TreeSet<>(lines));
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.UTF_8);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
        } catch (SocketTimeoutException e) {
            return b.size() == 0 ? "<timeout>" : b.toString(StandardCharsets.UTF_8) + "<timeout>";
        } catch (IOException reset) {
            return null;
        }
        return null;
    }
}
