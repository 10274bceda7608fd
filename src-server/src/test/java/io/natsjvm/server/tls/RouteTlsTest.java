package io.natsjvm.server.tls;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ClusterConf;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cluster { tls {} }} with nats-server 2.9.10: the TLS handshake before INFO, both sides
 * presenting certificates from the cluster CA, in both dialling directions; a peer whose
 * certificate is from another CA gets no route.
 */
class RouteTlsTest {

    static String clusterTls(TestCerts certs, TestCerts.Issued cert, int port, int... routes) {
        return ClusterConf.block("  tls {\n    cert_file: \"" + cert.certFile() + "\"\n    key_file: \""
                + cert.keyFile() + "\"\n    ca_file: \"" + certs.ca.certFile() + "\"\n    timeout: 2\n  }\n", port, routes);
    }

    private static void messagesFlowBothWays(TestServer java, ReferenceServer ref) throws Exception {
        Await.until(() -> java.server().routes().routes().size() == 1, "a TLS route");
        try (Connection onJava = Interest.connect(java.url()); Connection onRef = Interest.connect(ref.url())) {
            Message m = Interest.sendAcross(onJava, onRef, "to.ref", "over tls");
            assertNotNull(m, ref.log());
            assertEquals("over tls", new String(m.getData(), StandardCharsets.UTF_8));
            assertNotNull(Interest.sendAcross(onRef, onJava, "to.java", "back"));
        }
    }

    @Test
    void aNatsServerDialsThisServerOverTls() throws Exception {
        TestCerts certs = new TestCerts("Cluster CA");
        try (TestServer java = TestServer.fromConfig(clusterTls(certs, certs.server(), -1));
                ReferenceServer ref = ReferenceServer.start(clusterTls(certs, certs.server(), Sockets.freePort(),
                        java.server().routes().port()))) {
            messagesFlowBothWays(java, ref);
            String routez = java.server().monitor().routez().toString();
            assertTrue(routez.contains("did_solicit=false"), routez);
        }
    }

    @Test
    void thisServerDialsANatsServerOverTls() throws Exception {
        TestCerts certs = new TestCerts("Cluster CA");
        int rc = Sockets.freePort();
        try (ReferenceServer ref = ReferenceServer.start(clusterTls(certs, certs.server(), rc));
                TestServer java = TestServer.fromConfig(clusterTls(certs, certs.server(), Sockets.freePort(), rc))) {
            messagesFlowBothWays(java, ref);
        }
    }

    @Test
    void aPeerWithACertificateFromAnotherCaGetsNoRoute() throws Exception {
        TestCerts certs = new TestCerts("Cluster CA");
        TestCerts rogue = new TestCerts("Rogue CA");
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(clusterTls(certs, certs.server(), jc));
                ReferenceServer ref = ReferenceServer.start(clusterTls(rogue, rogue.server(), Sockets.freePort(), jc))) {
            Await.until(() -> ref.log().contains("TLS route handshake error"), "the peer's failed handshake");
            assertEquals(0, java.server().routes().routes().size());
        }
    }
}
