package io.natsjvm.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Streams and services between accounts as their JWTs declare, including live changes. */
class ImportsExportsTest {
    final JwtFixture f = new JwtFixture(n -> { }); // APP plays the exporter
    final NKeyPair imp = NKeyPair.create(NKeys.PREFIX_ACCOUNT);

    String importer(Consumer<ObjectNode> nats) {
        ObjectNode c = JwtFixture.claims(imp.publicKey(), "account", "IMP");
        nats.accept(c.with("nats"));
        return Jwts.sign(c, f.operatorSigner);
    }

    static void export(ObjectNode nats, String subject, String type, boolean tokenReq) {
        ObjectNode e = nats.withArray("exports").addObject();
        e.put("name", subject);
        e.put("subject", subject);
        e.put("type", type);
        if (tokenReq) {
            e.put("token_req", true);
        }
    }

    static ObjectNode addImport(ObjectNode nats, String subject, String from, String local, String type) {
        ObjectNode i = nats.withArray("imports").addObject();
        i.put("name", subject);
        i.put("subject", subject);
        i.put("account", from);
        if (local != null) {
            i.put("local_subject", local);
        }
        i.put("type", type);
        return i;
    }

    String config(String importerJwt) {
        return f.config().replace("resolver_preload: {\n", "resolver_preload: {\n  " + imp.publicKey() + ": "
                + importerJwt + "\n");
    }

    Connection user(TestServer s, NKeyPair account, String name) throws Exception {
        NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
        Path creds = JwtFixture.creds(JwtFixture.user(u, account, name, c -> { }), u);
        return JwtAuthTest.connect(s, creds, name);
    }

    @Test
    void streamsAndServicesFlowWithSubjectMapping() throws Exception {
        f.appJwt = f.account(n -> {
            export(n, "events.>", "stream", false);
            export(n, "help.>", "service", false);
        });
        String impJwt = importer(n -> {
            addImport(n, "events.>", f.app.publicKey(), "remote.>", "stream");
            addImport(n, "help.me", f.app.publicKey(), "ask", "service");
        });
        try (TestServer s = TestServer.fromConfig(config(impJwt));
             Connection exporter = user(s, f.app, "exporter"); Connection importer = user(s, imp, "importer")) {
            Subscription remote = importer.subscribe("remote.>");
            importer.flush(Duration.ofSeconds(2));
            exporter.subscribe("help.me"); // responder
            exporter.createDispatcher(m -> exporter.publish(m.getReplyTo(), ("re: " + new String(m.getData())).getBytes()))
                    .subscribe("help.me");
            exporter.flush(Duration.ofSeconds(2));
            exporter.publish("events.a", "one".getBytes());
            Message got = remote.nextMessage(Duration.ofSeconds(3));
            assertNotNull(got, "stream import delivered");
            assertEquals("remote.a", got.getSubject());
            assertEquals("one", new String(got.getData()));
            Message answer = importer.request("ask", "hi".getBytes(), Duration.ofSeconds(3));
            assertNotNull(answer, "service import answered");
            assertEquals("re: hi", new String(answer.getData(), StandardCharsets.UTF_8));
            // Not exported: nothing leaks.
            Subscription leak = importer.subscribe(">");
            importer.flush(Duration.ofSeconds(2));
            exporter.publish("private.x", "secret".getBytes());
            exporter.flush(Duration.ofSeconds(2));
            assertNull(leak.nextMessage(Duration.ofMillis(300)));
        }
    }

    @Test
    void tokenRequiredExportsNeedAValidActivation() throws Exception {
        f.appJwt = f.account(n -> export(n, "private.>", "stream", true));
        String withoutToken = importer(n -> addImport(n, "private.>", f.app.publicKey(), null, "stream"));
        try (TestServer s = TestServer.fromConfig(config(withoutToken));
             Connection exporter = user(s, f.app, "exporter"); Connection importer = user(s, imp, "importer");
             Connection sys = JwtAuthTest.systemUser(s, f)) {
            Subscription sub = importer.subscribe("private.>");
            importer.flush(Duration.ofSeconds(2));
            exporter.publish("private.x", "no".getBytes());
            exporter.flush(Duration.ofSeconds(2));
            assertNull(sub.nextMessage(Duration.ofMillis(300)), "no activation: not wired");

            ObjectNode act = JwtFixture.claims(imp.publicKey(), "activation", "grant");
            act.with("nats").put("subject", "private.>");
            act.with("nats").put("kind", "stream");
            String token = Jwts.sign(act, f.app);
            String withToken = importer(n -> addImport(n, "private.>", f.app.publicKey(), null, "stream")
                    .put("token", token));
            Message r = sys.request("$SYS.REQ.ACCOUNT." + imp.publicKey() + ".CLAIMS.UPDATE",
                    withToken.getBytes(), Duration.ofSeconds(3));
            assertNotNull(r);
            exporter.publish("private.y", "yes".getBytes());
            Message got = sub.nextMessage(Duration.ofSeconds(3));
            assertNotNull(got, "activation accepted and the update applied live");
            assertEquals("private.y", got.getSubject());
        }
    }

    @Test
    void anExportAddedByClaimsUpdateStartsFlowingLive() throws Exception {
        String impJwt = importer(n -> addImport(n, "news.>", f.app.publicKey(), null, "stream"));
        try (TestServer s = TestServer.fromConfig(config(impJwt));
             Connection exporter = user(s, f.app, "exporter"); Connection importer = user(s, imp, "importer");
             Connection sys = JwtAuthTest.systemUser(s, f)) {
            Subscription sub = importer.subscribe("news.>");
            importer.flush(Duration.ofSeconds(2));
            exporter.publish("news.1", "before".getBytes());
            exporter.flush(Duration.ofSeconds(2));
            assertNull(sub.nextMessage(Duration.ofMillis(300)), "not exported yet");
            String exporting = f.account(n -> export(n, "news.>", "stream", false));
            assertNotNull(sys.request("$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE",
                    exporting.getBytes(), Duration.ofSeconds(3)));
            exporter.publish("news.2", "after".getBytes());
            Message got = sub.nextMessage(Duration.ofSeconds(3));
            assertNotNull(got);
            assertEquals("after", new String(got.getData()));
        }
    }

    @Test
    void accountLimitsOnImportsExportsAndWildcardsApply() throws Exception {
        f.appJwt = f.account(n -> {
            export(n, "wild.>", "stream", false);
            export(n, "plain.subject", "stream", false);
            n.with("limits").put("wildcards", false);
        });
        String impJwt = importer(n -> {
            addImport(n, "plain.subject", f.app.publicKey(), null, "stream");
            addImport(n, "wild.>", f.app.publicKey(), null, "stream");
        });
        try (TestServer s = TestServer.fromConfig(config(impJwt));
             Connection exporter = user(s, f.app, "exporter"); Connection importer = user(s, imp, "importer")) {
            Subscription sub = importer.subscribe(">");
            importer.flush(Duration.ofSeconds(2));
            exporter.publish("wild.one", "w".getBytes());
            exporter.publish("plain.subject", "p".getBytes());
            Message got = sub.nextMessage(Duration.ofSeconds(3));
            assertNotNull(got);
            assertEquals("plain.subject", got.getSubject(), "the wildcard export does not count");
            assertNull(sub.nextMessage(Duration.ofMillis(300)));
        }
    }
}
