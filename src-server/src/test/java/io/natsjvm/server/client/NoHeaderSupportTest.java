package io.natsjvm.server.client;

import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code no_header_support}: INFO says headers:false and an HPUB closes the connection, as with nats-server. */
class NoHeaderSupportTest {
    private static String session(int port) throws Exception {
        try (RawClient c = new RawClient(port)) {
            assertTrue(c.info().contains("\"headers\":false"), c.info());
            c.connect("{\"headers\":true,\"no_responders\":false}");
            c.send("HPUB x 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n");
            try {
                c.expectClosed();
                return "closed";
            } catch (AssertionError stillOpen) {
                return "open";
            }
        }
    }

    @Test
    void headersStayOffAndAnHpubCloses() throws Exception {
        String ours;
        try (TestServer java = TestServer.fromConfig("no_header_support: true\n")) {
            ours = session(java.port());
        }
        assertEquals("closed", ours);
        try (ReferenceServer ref = ReferenceServer.start("no_header_support: true\n")) {
            assertEquals(session(ref.port()), ours);
        }
    }
}
