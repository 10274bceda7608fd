package io.natsjvm.server;

import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;
import io.nats.client.Connection;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config reload applied live, as nats-server 2.9.10 applies it, minus its two defects. */
class ConfigReloadTest {

    /** Options as TestServer starts them (loopback, the same random port). */
    private static ServerOptions options(String config) throws ConfigException {
        ServerOptions o = OptionsLoader.load(ConfigParser.parse(config));
        o.host = "127.0.0.1";
        o.port = 0;
        return o;
    }

    private static final String USERS = """
            authorization {
              users = [
                {user: a, password: a}
                {user: b, password: b, permissions: { subscribe: ["bar", "baz"] }}
                {user: c, password: c}
              ]
            }
            """;

    private static final String USERS_CHANGED = """
            authorization {
              users = [
                {user: b, password: b, permissions: { subscribe: ["baz"] }}
                {user: c, password: changed}
              ]
            }
            """;

    @Test
    void removedUsersAreClosedAndNewPermissionsApplyAtOnce() throws Exception {
        try (TestServer s = TestServer.fromConfig(USERS);
                RawClient a = s.raw(); RawClient b = s.raw(); RawClient c = s.raw(); RawClient pending = s.raw()) {
            a.connect("{\"user\":\"a\",\"pass\":\"a\",\"verbose\":false}");
            b.connect("{\"user\":\"b\",\"pass\":\"b\",\"verbose\":false}");
            c.connect("{\"user\":\"c\",\"pass\":\"c\",\"verbose\":false}");
            b.send("SUB bar 1\r\nSUB baz 2\r\nPING\r\n").expect("PONG");
            s.server().reload(options(USERS_CHANGED));
            a.expect("-ERR 'Authorization Violation'");
            c.expect("-ERR 'Authorization Violation'");
            b.expect("-ERR 'Permissions Violation for Subscription to \"bar\" (sid \"1\")'");
            b.send("PING\r\n").expect("PONG");
            // a login in flight (no CONNECT yet) is not kicked, as 2.9.10 would
            pending.connect("{\"user\":\"b\",\"pass\":\"b\",\"verbose\":false}");
            pending.send("SUB baz 9\r\nPING\r\n").expect("PONG");
        }
    }

    @Test
    void anOptionThatCannotReloadRefusesTheWholeReload() throws Exception {
        try (TestServer s = TestServer.fromConfig("max_payload: 1000\n")) {
            String configLoadTime = (String) s.server().monitor().varz().get("config_load_time");
            ServerOptions next = options("max_payload: 2000\nserver_name: other\n");
            ConfigException e = assertThrows(ConfigException.class, () -> s.server().reload(next));
            assertEquals("config reload not supported for ServerName: old=, new=other", e.getMessage());
            assertEquals(1000, s.server().options().maxPayload, "nothing changed");
            Map<String, Object> varz = s.server().monitor().varz();
            assertEquals(configLoadTime, varz.get("config_load_time"), "a refused reload does not move it");
        }
    }

    @Test
    void limitsApplyToNewAndLiveClients() throws Exception {
        try (TestServer s = TestServer.fromConfig("max_payload: 1000\n"); RawClient live = s.raw()) {
            live.connect("{\"verbose\":false}");
            String before = (String) s.server().monitor().varz().get("config_load_time");
            s.server().reload(options("max_payload: 10\n"));
            try (RawClient fresh = s.raw()) {
                assertTrue(fresh.info().contains("\"max_payload\":10"), fresh.info());
            }
            live.send("PUB x 20\r\n01234567890123456789\r\n");
            live.expect("-ERR 'Maximum Payload Violation'");
            assertNotEquals(before, s.server().monitor().varz().get("config_load_time"));
        }
    }

    @Test
    void routesAddedAndRemovedByReload() throws Exception {
        int pa = Sockets.freePort();
        int pb = Sockets.freePort();
        String a = "cluster { name: r, listen: 127.0.0.1:" + pa + " }\n";
        String aWithRoute = "cluster { name: r, listen: 127.0.0.1:" + pa + ", routes: [nats-route://127.0.0.1:" + pb
                + "] }\n";
        try (TestServer na = TestServer.fromConfig(a);
                TestServer nb = TestServer.fromConfig("cluster { name: r, listen: 127.0.0.1:" + pb + " }\n")) {
            assertTrue(na.server().routes().routes().isEmpty());
            na.server().reload(options(aWithRoute));
            Await.until(() -> nb.server().routes().routes().size() == 1, "the route added by reload");
            na.server().reload(options(a));
            Await.until(() -> nb.server().routes().routes().isEmpty() && na.server().routes().routes().isEmpty(),
                    "the route removed by reload, and not dialled again");
        }
    }

    @Test
    void theReloadRequestOfNatsServer210ReloadsAndRepliesWithTheRefusal() throws Exception {
        String base = "accounts { SYS { users = [ {user: sys, password: sys} ] } }\nsystem_account: SYS\n";
        try (TestServer s = TestServer.fromConfig(base + "max_payload: 1000\n");
                Connection sys = Interest.connect("nats://sys:sys@127.0.0.1:" + s.port())) {
            String subject = "$SYS.REQ.SERVER." + s.server().serverId() + ".RELOAD";
            s.server().configSource(() -> options(base + "max_payload: 2000\n"));
            String ok = new String(sys.request(subject, new byte[0], Duration.ofSeconds(5)).getData(),
                    StandardCharsets.UTF_8);
            assertTrue(ok.contains("\"server\"") && !ok.contains("\"error\""), ok);
            assertEquals(2000, s.server().options().maxPayload);
            s.server().configSource(() -> options(base + "server_name: renamed\n"));
            String refused = new String(sys.request(subject, new byte[0], Duration.ofSeconds(5)).getData(),
                    StandardCharsets.UTF_8);
            assertTrue(refused.contains("\"code\":500") && refused.contains("config reload not supported for ServerName"),
                    refused);
            assertEquals(2000, s.server().options().maxPayload, "nothing changed");
        }
    }

    /**
     * Rotating the client certificate by reload: new connections get the new one, live ones stay;
     * the reload is logged as the reference logs it.
     */
    @Test
    void aReloadedTlsBlockServesTheNewCertificateToNewClients() throws Exception {
        TestCerts oldCa = new TestCerts("Old CA");
        TestCerts newCa = new TestCerts("New CA");
        TestCerts.Issued oldCert = oldCa.server();
        TestCerts.Issued newCert = newCa.server();
        String block = "tls {\n  cert_file: \"%s\"\n  key_file: \"%s\"\n}\n";
        try (TestServer s = TestServer.fromConfig(String.format(block, oldCert.certFile(), oldCert.keyFile()));
                Connection live = tlsClient(s, oldCa)) {
            s.server().reload(options(String.format(block, newCert.certFile(), newCert.keyFile())));
            try (Connection fresh = tlsClient(s, newCa)) {
                fresh.flush(Duration.ofSeconds(2));
            }
            assertThrows(Exception.class, () -> tlsClient(s, oldCa).close(), "the old certificate is gone");
            live.flush(Duration.ofSeconds(2));
            assertEquals(Connection.Status.CONNECTED, live.getStatus(), "a live connection keeps its session");
        }
    }

    private static Connection tlsClient(TestServer s, TestCerts trusted) throws Exception {
        return Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + s.port())
                .sslContext(trusted.clientContext(null)).noReconnect().connectionTimeout(Duration.ofSeconds(3))
                .build());
    }

    /** no_auth_user: a CONNECT without credentials logs in as that user, with its permissions. */
    @Test
    void noAuthUserLogsInCredentialLessClients() throws Exception {
        try (TestServer s = TestServer.fromConfig("""
                authorization { users: [ {user: guest, password: g, permissions: {publish: "public.>"}},
                                         {user: admin, password: a} ] }
                no_auth_user: guest
                """); RawClient anon = s.raw(); RawClient wrong = s.raw()) {
            anon.connect("{\"verbose\":false}");
            anon.send("PUB public.x 0\r\n\r\nPUB private.x 0\r\n\r\n");
            anon.expect("-ERR 'Permissions Violation for Publish to \"private.x\"'");
            wrong.send("CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"nope\"}\r\nPING\r\n");
            wrong.expect("-ERR 'Authorization Violation'");
        }
    }

    /** As the reference: a changed leafnodes (or websocket) block refuses the reload, never ignored. */
    @Test
    void leafnodeAndWebsocketChangesAreRefused() throws Exception {
        try (TestServer s = TestServer.fromConfig("leafnodes { listen: 127.0.0.1:-1, authorization { user: l, password: p } }\n")) {
            ConfigException e = assertThrows(ConfigException.class, () -> s.server().reload(options(
                    "leafnodes { listen: 127.0.0.1:-1, authorization { user: l, password: changed } }\n")));
            assertTrue(e.getMessage().startsWith("config reload not supported for LeafNode: old="), e.getMessage());
            assertTrue(!e.getMessage().contains("changed"), "no secret in the message: " + e.getMessage());
            s.server().reload(options("leafnodes { listen: 127.0.0.1:-1, authorization { user: l, password: p } }\n"
                    + "max_payload: 2000\n"));
            assertEquals(2000, s.server().options().maxPayload, "the same block reloads the rest");
            ConfigException ws = assertThrows(ConfigException.class, () -> s.server().reload(options(
                    "leafnodes { listen: 127.0.0.1:-1, authorization { user: l, password: p } }\n"
                            + "websocket { port: 8080, no_tls: true }\n")));
            assertTrue(ws.getMessage().startsWith("config reload not supported for Websocket"), ws.getMessage());
        }
    }
}
