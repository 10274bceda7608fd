package io.natsjvm.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which JWT imports an export lets in, compared with nats-server 2.9.10 on the same accounts: an
 * export with an account token position admits only the account named at that token of the
 * imported subject; the exporter's revocation of an activation stops imports whose activation
 * was issued before it; an activation that expires stops its import then, not only at the next
 * claims update. Each of these was "no restriction" before.
 */
class ImportAuthorizationTest {
    final JwtFixture f = new JwtFixture(n -> { }); // APP exports
    final NKeyPair one = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
    final NKeyPair two = NKeyPair.create(NKeys.PREFIX_ACCOUNT);

    private String account(NKeyPair key, String name, Consumer<ObjectNode> nats) {
        ObjectNode c = JwtFixture.claims(key.publicKey(), "account", name);
        nats.accept(c.with("nats"));
        return Jwts.sign(c, f.operatorSigner);
    }

    private String config(String oneJwt, String twoJwt) {
        return f.config().replace("resolver_preload: {\n", "resolver_preload: {\n  " + one.publicKey() + ": " + oneJwt
                + "\n  " + two.publicKey() + ": " + twoJwt + "\n");
    }

    private static Connection user(int port, NKeyPair account) throws Exception {
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        Path creds = JwtFixture.creds(JwtFixture.user(u, account, "u", c -> { }), u);
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                .authHandler(Nats.credentials(creds.toString())).maxReconnects(0).build());
    }

    /** The exporter answers "svc.>" requests; each importer asks {@code subject} once. */
    private List<String> asks(int port, String subject) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection app = user(port, f.app); Connection c1 = user(port, one); Connection c2 = user(port, two)) {
            app.createDispatcher(m -> app.publish(m.getReplyTo(), ("re " + m.getSubject()).getBytes(StandardCharsets.UTF_8)))
                    .subscribe("svc.>");
            app.flush(Duration.ofSeconds(2));
            out.add("one: " + answer(c1, subject));
            out.add("two: " + answer(c2, subject));
        }
        return out;
    }

    /** The answer's text, or "no answer" (no responders, or none within 1.5 s). */
    static String answer(Connection c, String subject) {
        CompletableFuture<Message> f = c.requestWithTimeout(subject, "q".getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(1500));
        try {
            return new String(f.get(3, TimeUnit.SECONDS).getData(), StandardCharsets.UTF_8);
        } catch (Exception noResponders) {
            return "no answer";
        }
    }

    static void export(ObjectNode nats, String subject, Consumer<ObjectNode> tweak) {
        ObjectNode e = nats.withArray("exports").addObject();
        e.put("subject", subject);
        e.put("type", "service");
        tweak.accept(e);
    }

    static ObjectNode serviceImport(ObjectNode nats, String subject, String from) {
        ObjectNode i = nats.withArray("imports").addObject();
        i.put("subject", subject);
        i.put("account", from);
        i.put("type", "service");
        return i;
    }

    @Test
    void anAccountTokenPositionAdmitsOnlyTheAccountItNames() throws Exception {
        f.appJwt = f.account(n -> export(n, "svc.*", e -> e.put("account_token_position", 2)));
        String mine = "svc." + one.publicKey();
        // one imports its own token; two imports one's token: refused
        String config = config(account(one, "ONE", n -> serviceImport(n, mine, f.app.publicKey())),
                account(two, "TWO", n -> serviceImport(n, mine, f.app.publicKey())));
        List<String> ours = Differential.sameAsReference(config, port -> asks(port, mine));
        assertEquals(List.of("one: re " + mine, "two: no answer"), ours);
    }

    @Test
    void anExportRevocationStopsActivationsIssuedBeforeIt() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        f.appJwt = f.account(n -> export(n, "svc.>", e -> e.put("token_req", true).putObject("revocations")
                .put(one.publicKey(), now)));
        String oneImport = account(one, "ONE", n -> serviceImport(n, "svc.x", f.app.publicKey())
                .put("token", activation(one, "svc.x", now - 60, 0)));
        String twoImport = account(two, "TWO", n -> serviceImport(n, "svc.x", f.app.publicKey())
                .put("token", activation(two, "svc.x", now - 60, 0)));
        List<String> ours = Differential.sameAsReference(config(oneImport, twoImport), port -> asks(port, "svc.x"));
        assertEquals(List.of("one: no answer", "two: re svc.x"), ours);
    }

    @Test
    void anExpiredActivationStopsItsImport() throws Exception {
        List<String> ours;
        try (TestServer java = TestServer.fromConfig(expiringConfig())) {
            ours = untilExpired(java.port());
        }
        assertEquals(List.of("one: re svc.x", "two: re svc.x", "one after expiry: no answer", "two: re svc.x"), ours);
        try (ReferenceServer ref = ReferenceServer.start(expiringConfig())) {
            assertEquals(untilExpired(ref.port()), ours, "nats-server 2.9.10 (expected) and this server (actual)");
        }
    }

    /** One's activation expires 3 s from now (each server gets its own), two's never. */
    private String expiringConfig() {
        long now = System.currentTimeMillis() / 1000;
        f.appJwt = f.account(n -> export(n, "svc.>", e -> e.put("token_req", true)));
        return config(account(one, "ONE", n -> serviceImport(n, "svc.x", f.app.publicKey())
                        .put("token", activation(one, "svc.x", now, now + 3))),
                account(two, "TWO", n -> serviceImport(n, "svc.x", f.app.publicKey())
                        .put("token", activation(two, "svc.x", now, 0))));
    }

    private List<String> untilExpired(int port) throws Exception {
        List<String> out = new ArrayList<>(asks(port, "svc.x"));
        try (Connection app = user(port, f.app); Connection c1 = user(port, one); Connection c2 = user(port, two)) {
            app.createDispatcher(m -> app.publish(m.getReplyTo(), ("re " + m.getSubject()).getBytes(StandardCharsets.UTF_8)))
                    .subscribe("svc.>");
            app.flush(Duration.ofSeconds(2));
            // the activation expires at a wall-clock second: ask until it has (10 s at most)
            String last = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !(last = answer(c1, "svc.x")).equals("no answer")) {
                Thread.onSpinWait();
            }
            out.add("one after expiry: " + last);
            out.add("two: " + answer(c2, "svc.x"));
        }
        return out;
    }

    private String activation(NKeyPair importer, String subject, long issuedAt, long expires) {
        ObjectNode act = JwtFixture.claims(importer.publicKey(), "activation", "grant");
        act.put("iat", issuedAt);
        if (expires > 0) {
            act.put("exp", expires);
        }
        act.with("nats").put("subject", subject);
        act.with("nats").put("kind", "service");
        return Jwts.sign(act, f.app);
    }
}
