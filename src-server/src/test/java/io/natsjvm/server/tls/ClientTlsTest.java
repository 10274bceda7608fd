package io.natsjvm.server.tls;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsjvm.server.monitor.Options.Connz;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client listener with {@code tls {}}: handshake after INFO, verify, plain clients refused. */
class ClientTlsTest {

    private static String tlsBlock(TestCerts.Issued server, TestCerts ca, boolean verify) {
        return "tls {\n  cert_file: \"" + server.certFile() + "\"\n  key_file: \"" + server.keyFile() + "\"\n"
                + (verify ? "  ca_file: \"" + ca.ca.certFile() + "\"\n  verify: true\n" : "") + "  timeout: 1\n}\n";
    }

    private static Connection connect(TestServer s, SSLContext ctx) throws Exception {
        return Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + s.port()).sslContext(ctx)
                .connectionTimeout(Duration.ofSeconds(5)).noReconnect().build());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jnatsPublishesAndSubscribesOverTlsAndConnzShowsIt() throws Exception {
        TestCerts certs = new TestCerts("Test CA");
        try (TestServer s = TestServer.fromConfig(tlsBlock(certs.server(), certs, false));
                Connection c = connect(s, certs.clientContext(null))) {
            Subscription sub = c.subscribe("secure");
            c.publish("secure", "over tls".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertEquals("over tls", new String(m.getData(), StandardCharsets.UTF_8));
            assertTrue(c.getServerInfo().isTLSRequired());
            Map<String, Object> connz = s.server().monitor().connz(new Connz(null, false, false, false, 0, 0, 0, null, 0,
                    null, null, null));
            List<Object> conns = (List<Object>) connz.get("connections");
            String json = conns.get(0).toString();
            assertTrue(json.contains("tlsVersion=1.3") || json.contains("tlsVersion=1.2"), json);
            assertEquals(true, s.server().monitor().varz().get("tls_required"));
        }
    }

    @Test
    void aPlainTextClientIsRefused() throws Exception {
        TestCerts certs = new TestCerts("Test CA");
        try (TestServer s = TestServer.fromConfig(tlsBlock(certs.server(), certs, false)); RawClient raw = s.raw()) {
            assertTrue(raw.info().contains("\"tls_required\":true"), raw.info());
            raw.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            raw.expectClosed();
        }
    }

    @Test
    void aClientThatNeverStartsTlsIsClosedAfterTheTimeout() throws Exception {
        TestCerts certs = new TestCerts("Test CA");
        try (TestServer s = TestServer.fromConfig(tlsBlock(certs.server(), certs, false)); RawClient raw = s.raw()) {
            raw.expectClosed();
        }
    }

    @Test
    void verifyNeedsAClientCertificateFromTheConfiguredCa() throws Exception {
        TestCerts certs = new TestCerts("Test CA");
        TestCerts other = new TestCerts("Other CA");
        try (TestServer s = TestServer.fromConfig(tlsBlock(certs.server(), certs, true))) {
            assertEquals(true, s.server().monitor().varz().get("tls_verify"));
            try (Connection c = connect(s, certs.clientContext(certs.client("alice")))) {
                c.flush(Duration.ofSeconds(5));
            }
            assertThrows(Exception.class, () -> connect(s, certs.clientContext(null)).close(),
                    "no client certificate");
            SSLContext foreign = other.clientContextTrusting(certs, other.client("mallory"));
            assertThrows(Exception.class, () -> connect(s, foreign).close(), "a certificate from another CA");
        }
    }
}
