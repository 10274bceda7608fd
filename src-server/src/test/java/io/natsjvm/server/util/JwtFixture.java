package io.natsjvm.server.util;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An operator (with a signing key), a system account SYS and an application account APP, signed
 * with our own JWT code, and a server config for the MEMORY resolver that preloads them.
 */
public final class JwtFixture {
    public final NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);
    public final NKeyPair operatorSigner = NKeyPair.create(NKeys.PREFIX_OPERATOR);
    public final NKeyPair sys = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
    public final NKeyPair app = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
    public final String operatorJwt;
    public String sysJwt;
    public String appJwt;

    public JwtFixture(Consumer<ObjectNode> appNats) {
        ObjectNode op = claims(operator.publicKey(), "operator", "OP");
        op.with("nats").putArray("signing_keys").add(operatorSigner.publicKey());
        op.with("nats").put("system_account", sys.publicKey());
        operatorJwt = Jwts.sign(op, operator);
        sysJwt = Jwts.sign(claims(sys.publicKey(), "account", "SYS"), operatorSigner);
        appJwt = account(appNats);
    }

    /** A (re)signed APP account JWT with the given nats block additions. */
    public String account(Consumer<ObjectNode> appNats) {
        ObjectNode a = claims(app.publicKey(), "account", "APP");
        appNats.accept(a.with("nats"));
        return Jwts.sign(a, operatorSigner);
    }

    public static ObjectNode claims(String sub, String type, String name) {
        return Jwts.claims(sub, name, type);
    }

    public String config() {
        return "operator: " + operatorJwt + "\nsystem_account: " + sys.publicKey() + "\nresolver: MEMORY\n"
                + "resolver_preload: {\n  " + sys.publicKey() + ": " + sysJwt + "\n  " + app.publicKey() + ": "
                + appJwt + "\n}\n";
    }

    /** A user of {@code account} signed by {@code signer}, with extra nats claims. */
    public static String user(NKeyPair user, NKeyPair signer, String name, Consumer<ObjectNode> tweak) {
        ObjectNode u = claims(user.publicKey(), "user", name);
        tweak.accept(u);
        return Jwts.sign(u, signer);
    }

    /** An nsc-style .creds file. */
    public static Path creds(String jwt, NKeyPair user) throws Exception {
        Path p = Files.createTempFile("user", ".creds");
        Files.writeString(p, "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + user.encodedSeed() + "\n------END USER NKEY SEED------\n");
        p.toFile().deleteOnExit();
        return p;
    }

    /** Logs in over a raw socket: reads the nonce from INFO, signs it, sends CONNECT (+ PING when {@code ping}). */
    public static RawClient rawLogin(TestServer s, String jwt, NKeyPair user, boolean ping) throws Exception {
        return rawLogin(s.port(), jwt, user, ping);
    }

    /** As {@link #rawLogin(TestServer, String, NKeyPair, boolean)}, on any server's port (nats-server too). */
    public static RawClient rawLogin(int port, String jwt, NKeyPair user, boolean ping) throws Exception {
        RawClient raw = rawLoginThen(port, jwt, user, ping ? "PING\r\n" : "");
        if (ping) {
            raw.expect("PONG");
        }
        return raw;
    }

    /** Sends CONNECT (signed nonce) and {@code after} in one write; reads nothing back. */
    public static RawClient rawLoginThen(int port, String jwt, NKeyPair user, String after) throws Exception {
        RawClient raw = new RawClient(port);
        Matcher m = Pattern.compile("\"nonce\":\"([^\"]+)\"").matcher(raw.info());
        if (!m.find()) {
            throw new AssertionError("no nonce in " + raw.info());
        }
        String sig = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(user.sign(m.group(1).getBytes(StandardCharsets.US_ASCII)));
        raw.send("CONNECT {\"verbose\":false,\"jwt\":\"" + jwt + "\",\"sig\":\"" + sig + "\",\"lang\":\"raw\",\"version\":\"0.0.1\"}\r\n"
                + after);
        return raw;
    }
}
