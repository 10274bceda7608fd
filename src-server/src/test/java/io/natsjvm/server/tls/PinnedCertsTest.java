package io.natsjvm.server.tls;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ClusterConf;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pinned_certs}: after the handshake, a peer whose certificate's public key digest is not
 * listed is refused ({@code TLS handshake error: certificate not pinned}), for clients (compared
 * with nats-server on the same certificates) and routes; a reload that unpins a certificate
 * disconnects the clients that use it.
 */
class PinnedCertsTest {

    private static String clientTls(TestCerts certs, TestCerts.Issued server, String... pins) {
        return "tls {\n  cert_file: \"" + server.certFile() + "\"\n  key_file: \"" + server.keyFile() + "\"\n"
                + "  ca_file: \"" + certs.ca.certFile() + "\"\n  verify: true\n  pinned_certs: [" + String.join(", ",
                Arrays.stream(pins).map(p -> "\"" + p + "\"").toList()) + "]\n}\n";
    }

    private static Connection connect(int port, SSLContext ctx) throws Exception {
        return Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + port).sslContext(ctx)
                .connectionTimeout(Duration.ofSeconds(5)).noReconnect().build());
    }

    private static boolean admitted(int port, SSLContext ctx) {
        try (Connection c = Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + port).sslContext(ctx)
                .connectionTimeout(Duration.ofSeconds(2)).noReconnect().build())) {
            c.flush(Duration.ofSeconds(2));
            return true;
        } catch (Exception refused) {
            return false;
        }
    }

    @Test
    void onlyPinnedClientCertificatesGetInAsWithTheReference() throws Exception {
        TestCerts certs = new TestCerts("Pin CA");
        TestCerts.Issued alice = certs.client("alice");
        TestCerts.Issued bob = certs.client("bob");
        String conf = clientTls(certs, certs.server(), PinnedCerts.keyId(alice.cert()));
        try (TestServer ours = TestServer.fromConfig(conf); ReferenceServer ref = ReferenceServer.start(conf)) {
            assertTrue(admitted(ref.port(), certs.clientContext(alice)), "reference: alice is pinned");
            assertFalse(admitted(ref.port(), certs.clientContext(bob)), "reference: bob is not");
            assertTrue(admitted(ours.port(), certs.clientContext(alice)), "alice is pinned");
            assertFalse(admitted(ours.port(), certs.clientContext(bob)), "bob is not");
            assertTrue(ref.log().contains("TLS handshake error: certificate not pinned"), ref.log());
        }
    }

    @Test
    void aReloadThatUnpinsACertificateDisconnectsItsClients() throws Exception {
        TestCerts certs = new TestCerts("Pin CA");
        TestCerts.Issued server = certs.server();
        TestCerts.Issued alice = certs.client("alice");
        TestCerts.Issued bob = certs.client("bob");
        try (TestServer s = TestServer.fromConfig(clientTls(certs, server, PinnedCerts.keyId(alice.cert()),
                PinnedCerts.keyId(bob.cert())));
                Connection a = connect(s.port(), certs.clientContext(alice));
                Connection b = connect(s.port(), certs.clientContext(bob))) {
            ServerOptions next = OptionsLoader.load(ConfigParser.parse(clientTls(certs, server,
                    PinnedCerts.keyId(bob.cert()))));
            next.host = "127.0.0.1";
            next.port = 0;
            s.server().reload(next);
            Await.until(() -> a.getStatus() == Connection.Status.CLOSED, "alice is no longer pinned");
            b.flush(Duration.ofSeconds(2));
            assertEquals(Connection.Status.CONNECTED, b.getStatus());
        }
    }

    @Test
    void aRouteFromAnUnpinnedCertificateNeverRegisters() throws Exception {
        TestCerts certs = new TestCerts("Route Pin CA");
        TestCerts.Issued n1cert = certs.server();
        TestCerts.Issued n2cert = certs.server();
        String tls1 = "tls { cert_file: \"" + n1cert.certFile() + "\", key_file: \"" + n1cert.keyFile()
                + "\", ca_file: \"" + certs.ca.certFile() + "\", pinned_certs: [\"" + PinnedCerts.keyId(n1cert.cert())
                + "\"] }\n";
        String tls2 = "tls { cert_file: \"" + n2cert.certFile() + "\", key_file: \"" + n2cert.keyFile()
                + "\", ca_file: \"" + certs.ca.certFile() + "\" }\n";
        int seed = Sockets.freePort();
        try (TestServer n1 = TestServer.fromConfig(ClusterConf.block(tls1, seed));
                TestServer n2 = TestServer.fromConfig(ClusterConf.block(tls2, Sockets.freePort(), seed))) {
            // n1 pins only its own key: n2's route is refused after every handshake
            Thread.sleep(1500); // that a route never forms has no event to await: n2 redials every second
            assertEquals(0, n1.server().routes().routes().size());
            assertEquals(0, n2.server().routes().routes().size());
        }
        String tls1n2 = tls1.replace(PinnedCerts.keyId(n1cert.cert()), PinnedCerts.keyId(n2cert.cert()));
        try (TestServer n1 = TestServer.fromConfig(ClusterConf.block(tls1n2, seed));
                TestServer n2 = TestServer.fromConfig(ClusterConf.block(tls2, Sockets.freePort(), seed))) {
            Await.until(() -> n1.server().routes().routes().size() == 1, "n2's certificate is pinned");
        }
    }

    @Test
    void badPinsAreRefusedWithTheReferencesWords() {
        assertThrows(Exception.class, () -> TestServer.fromConfig("tls { cert_file: a, key_file: b,"
                + " pinned_certs: [\"nothex\"] }\n").close());
        Exception e = assertThrows(Exception.class, () -> OptionsLoader.load(ConfigParser.parse(
                "tls { cert_file: a, key_file: b, pinned_certs: [\"nothex\"] }\n")));
        assertTrue(e.getMessage().contains("error parsing tls config, 'pinned_certs' key nothex does not look like"
                + " hex-encoded sha256 of DER encoded SubjectPublicKeyInfo"), e.getMessage());
    }
}
