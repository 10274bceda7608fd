package io.natsjvm.server.tls;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@code leafnodes { tls {} }} and a remote's {@code tls {}} with nats-server 2.9.10 in either
 * role: the hub's INFO in plain text, then the handshake, then CONNECT; with {@code verify} the
 * leaf presents a certificate from the hub's CA; a leaf that trusts another CA never connects.
 */
class LeafTlsTest {

    private static String file(java.nio.file.Path p) {
        return "\"" + p + "\"";
    }

    static String hub(TestCerts certs, int port, boolean verify) {
        TestCerts.Issued server = null;
        try {
            server = certs.server();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return "leafnodes {\n  listen: 127.0.0.1:" + port + "\n  tls {\n    cert_file: " + file(server.certFile())
                + "\n    key_file: " + file(server.keyFile()) + "\n"
                + (verify ? "    ca_file: " + file(certs.ca.certFile()) + "\n    verify: true\n" : "")
                + "    timeout: 2\n  }\n}\n";
    }

    static String leaf(TestCerts trusted, TestCerts.Issued cert, int hubPort) {
        return "leafnodes {\n  remotes: [ {\n    url: \"nats-leaf://127.0.0.1:" + hubPort + "\"\n    tls {\n"
                + "      ca_file: " + file(trusted.ca.certFile()) + "\n"
                + (cert == null ? "" : "      cert_file: " + file(cert.certFile()) + "\n      key_file: "
                + file(cert.keyFile()) + "\n")
                + "    }\n  } ]\n  reconnect: 1\n}\n";
    }

    private static void messagesCross(String hubUrl, String leafUrl) throws Exception {
        try (Connection onHub = Interest.connect(hubUrl); Connection onLeaf = Interest.connect(leafUrl)) {
            Message m = Interest.sendAcross(onHub, onLeaf, "down", "to the leaf");
            assertNotNull(m);
            assertEquals("to the leaf", new String(m.getData(), StandardCharsets.UTF_8));
            assertNotNull(Interest.sendAcross(onLeaf, onHub, "up", "to the hub"));
        }
    }

    @Test
    void aNatsServerLeafConnectsToThisHubOverTlsWithItsCertificate() throws Exception {
        TestCerts certs = new TestCerts("Leaf CA");
        // this hub listens on a port it picks itself (no race for a "free" port); the leaf dials it
        try (TestServer hub = TestServer.fromConfig(hub(certs, -1, true));
                ReferenceServer leaf = ReferenceServer.start(leaf(certs, certs.client("leaf"),
                        hub.server().leafs().port()))) {
            Await.until(() -> hub.server().leafs().leafs().size() == 1, "the leaf over TLS");
            messagesCross(hub.url(), leaf.url());
        }
    }

    @Test
    void thisServerIsALeafOfANatsServerHubOverTls() throws Exception {
        TestCerts certs = new TestCerts("Leaf CA");
        int lp = Sockets.freePort();
        try (ReferenceServer hub = ReferenceServer.start(hub(certs, lp, true));
                TestServer leaf = TestServer.fromConfig(leaf(certs, certs.client("leaf"), lp))) {
            Await.until(() -> leaf.server().leafs().leafs().size() == 1, "connected to the hub over TLS");
            messagesCross(hub.url(), leaf.url());
        }
    }

    @Test
    void aLeafThatTrustsAnotherCaNeverConnects() throws Exception {
        TestCerts certs = new TestCerts("Leaf CA");
        TestCerts other = new TestCerts("Other CA");
        int lp = Sockets.freePort();
        try (ReferenceServer hub = ReferenceServer.start(hub(certs, lp, false));
                TestServer leaf = TestServer.fromConfig(leaf(other, null, lp))) {
            Await.until(() -> hub.log().contains("TLS leafnode handshake error"), "the hub saw the refused handshake");
            assertEquals(0, leaf.server().leafs().leafs().size());
        }
    }
}
