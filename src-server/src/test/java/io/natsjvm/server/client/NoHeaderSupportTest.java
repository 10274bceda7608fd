package io.natsjvm.server.client;

import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.RawClient;
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
        assertEquals("closed", Differential.sameAsReference("no_header_support: true\n", NoHeaderSupportTest::session));
    }
}
