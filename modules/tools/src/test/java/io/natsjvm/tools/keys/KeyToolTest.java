package io.natsjvm.tools.keys;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.util.TestCerts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/keys end to end: create, write configs, run a server on them, log in, edit and push live. */
class KeyToolTest {
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int keys(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--dir";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return KeyTool.run(all, new PrintStream(out, true), new PrintStream(err, true));
    }

    Connection login(NatsServer s, String account, String user) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + s.port())
                .authHandler(Nats.credentials(dir.resolve("creds/" + account + "/" + user + ".creds").toString()))
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(3)).build());
    }

    static NatsServer start(Path conf) throws Exception {
        ServerOptions o = OptionsLoader.loadFile(conf);
        o.host = "127.0.0.1";
        o.port = 0;
        o.httpPort = 0;
        return new NatsServer(o).start();
    }

    @Test
    void createRunEditAndPushLive() throws Exception {
        dir = Files.createTempDirectory("keys");
        assertEquals(0, keys("init", "--operator", "TEST"), err.toString());
        assertEquals(0, keys("account", "add", "APP", "--conn", "3"), err.toString());
        assertEquals(0, keys("user", "add", "APP", "alice"), err.toString());
        assertEquals(0, keys("user", "add", "APP", "bob", "--pub-allow", "ok.>"), err.toString());
        assertEquals(0, keys("config"), err.toString());
        assertTrue(Files.readString(dir.resolve("creds/APP/alice.creds")).contains("BEGIN USER NKEY SEED"));
        assertEquals(2, keys("account", "add", "APP"), "an existing account is not overwritten");

        for (String conf : new String[] {"server-memory.conf", "server-full.conf"}) {
            NatsServer s = start(dir.resolve(conf));
            try (Connection a1 = login(s, "APP", "alice"); Connection a2 = login(s, "APP", "alice");
                 Connection bob = login(s, "APP", "bob")) {
                assertEquals(0, keys("account", "edit", "APP", "--conn", "2", "--revoke", "bob"), err.toString());
                assertEquals(0, keys("push", "APP", "-s", "nats://127.0.0.1:" + s.port()), err.toString());
                assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"message\":\"jwt updated\""), out.toString());
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while ((a1.getStatus() == Connection.Status.CONNECTED ? 1 : 0)
                        + (a2.getStatus() == Connection.Status.CONNECTED ? 1 : 0)
                        + (bob.getStatus() == Connection.Status.CONNECTED ? 1 : 0) > 1 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(Connection.Status.CONNECTED, a2.getStatus(), "the newest connection stays");
                assertTrue(bob.getStatus() != Connection.Status.CONNECTED, "revoked user closed");
                assertThrows(Exception.class, () -> login(s, "APP", "bob"));
            } finally {
                s.shutdown();
                keys("account", "edit", "APP", "--conn", "3", "--unrevoke", "bob");
            }
        }
    }

    /**
     * {@code config --tls-cert/--tls-key/--tls-ca} writes a tls block; the server runs on it and a
     * {@code .creds} login works over TLS (operator mode over TLS), a plain one does not.
     */
    @Test
    void configWithTlsFilesServesCredsLoginsOverTls() throws Exception {
        dir = Files.createTempDirectory("keys-tls");
        TestCerts certs = new TestCerts("Keys CA");
        TestCerts.Issued server = certs.server();
        assertEquals(0, keys("init"), err.toString());
        assertEquals(0, keys("account", "add", "APP"), err.toString());
        assertEquals(0, keys("user", "add", "APP", "alice"), err.toString());
        assertEquals(2, keys("config", "--tls-cert", server.certFile().toString()), "a key is needed too");
        assertEquals(2, keys("config", "--tls-cert", server.certFile().toString(), "--tls-key", "/nope.pem"));
        assertEquals(0, keys("config", "--tls-cert", server.certFile().toString(), "--tls-key",
                server.keyFile().toString(), "--tls-ca", certs.ca.certFile().toString()), err.toString());
        String conf = Files.readString(dir.resolve("server-memory.conf"));
        assertTrue(conf.contains("tls {\n  cert_file: \"" + server.certFile().toAbsolutePath() + "\""), conf);
        NatsServer s = start(dir.resolve("server-memory.conf"));
        try (Connection alice = Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + s.port())
                .sslContext(certs.clientContext(null))
                .authHandler(Nats.credentials(dir.resolve("creds/APP/alice.creds").toString()))
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(5)).build())) {
            assertEquals(Connection.Status.CONNECTED, alice.getStatus());
            assertTrue(alice.getServerInfo().isTLSRequired());
            assertThrows(Exception.class, () -> login(s, "APP", "alice"), "no plain-text login");
        } finally {
            s.shutdown();
        }
    }
}
