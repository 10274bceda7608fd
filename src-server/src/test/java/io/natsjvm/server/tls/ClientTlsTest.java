package io.natsjvm.server.tls;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsjvm.server.monitor.Options.Connz;
import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.ReferenceShape;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    /**
     * CONNZ with auth=true lists the client's certificates exactly as nats-server 2.9.10 does
     * (Go's subject string, with its attribute order and the OID=#hex form of the others), and a
     * closed connection keeps its TLS version and cipher; the same certificate on both servers.
     */
    @Test
    void connzPeerCertificatesAreTheReferences() throws Exception {
        TestCerts certs = new TestCerts("Peer CA");
        TestCerts.Issued client = certs.client("DC=com,DC=example,C=US,O=Acme,OU=b+OU=a,CN=peer,E=peer@example.com",
                "peer@example.com", null, "peer");
        int refHttp = Sockets.freePort();
        String block = tlsBlock(certs.server(), certs, true);
        try (TestServer s = TestServer.fromConfig(block + "http_port: -1\n");
                ReferenceServer ref = ReferenceServer.start(block + "http_port: " + refHttp + "\n")) {
            JsonNode ours;
            JsonNode theirs;
            try (Connection a = connectTo("tls://127.0.0.1:" + s.port(), certs.clientContext(client));
                    Connection b = connectTo("tls://127.0.0.1:" + ref.port(), certs.clientContext(client))) {
                ours = connz(s.server().httpPort(), "auth=1").at("/connections/0");
                theirs = connz(refHttp, "auth=1").at("/connections/0");
                assertEquals(theirs.get("tls_peer_certs").toString(), ours.get("tls_peer_certs").toString());
                assertEquals(theirs.get("tls_version").asText(), ours.get("tls_version").asText());
                assertEquals(null, connz(s.server().httpPort(), "").at("/connections/0").get("tls_peer_certs"),
                        "only with auth");
            }
            Await.until(() -> connz(s.server().httpPort(), "state=closed").path("connections").size() == 1,
                    "the connection is listed as closed");
            JsonNode closed = connz(s.server().httpPort(), "state=closed&auth=1").at("/connections/0");
            assertEquals(ours.get("tls_cipher_suite").asText(), closed.get("tls_cipher_suite").asText());
            assertEquals(null, closed.get("tls_peer_certs"), "as the reference: not for closed connections");
        }
    }

    private static Connection connectTo(String url, SSLContext ctx) throws Exception {
        return Nats.connect(new Options.Builder().server(url).sslContext(ctx)
                .connectionTimeout(Duration.ofSeconds(5)).noReconnect().build());
    }

    private static JsonNode connz(int httpPort, String query) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/connz?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ReferenceShape.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** HTTPS monitoring with the client listener's certificate: the same JSON, VARZ says https_port. */
    @Test
    void httpsMonitoringServesTheSameEndpoints() throws Exception {
        TestCerts certs = new TestCerts("Https CA");
        try (TestServer s = TestServer.fromConfig(tlsBlock(certs.server(), certs, true) + "https_port: -1\n")) {
            HttpClient https = HttpClient.newBuilder().sslContext(certs.clientContext(null)).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + s.server().httpPort() + "/varz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            JsonNode varz = ReferenceShape.JSON.readTree(r.body());
            assertEquals(s.server().httpPort(), varz.get("https_port").asInt());
            assertEquals(0, varz.get("http_port").asInt());
            assertTrue(varz.get("tls_verify").asBoolean(), "verify is for clients; monitoring asks for no certificate");
            HttpClient plain = HttpClient.newHttpClient();
            assertThrows(Exception.class, () -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + s.server().httpPort() + "/varz"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()), "no plain HTTP");
        }
    }

    /** allow_non_tls: INFO says tls_available (not tls_required); plain and TLS clients both work. */
    @Test
    void allowNonTlsLetsEachClientChoose() throws Exception {
        TestCerts certs = new TestCerts("Optional CA");
        try (TestServer s = TestServer.fromConfig(tlsBlock(certs.server(), certs, false) + "allow_non_tls: true\n")) {
            try (RawClient plain = s.raw()) {
                assertTrue(plain.info().contains("\"tls_available\":true"), plain.info());
                assertTrue(!plain.info().contains("tls_required"), plain.info());
                plain.connect("{\"verbose\":false}");
                plain.send("PING\r\n").expect("PONG");
            }
            try (Connection c = connect(s, certs.clientContext(null))) {
                c.flush(Duration.ofSeconds(5));
                String connz = s.server().monitor().connz(new Connz(null, false, false, false, 0, 0, 0, null, 0,
                        null, null, null)).toString();
                assertTrue(connz.contains("tlsVersion=1."), connz);
            }
            assertEquals(null, s.server().monitor().varz().get("tls_required"));
        }
    }
}
