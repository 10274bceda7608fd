package io.natsjvm.server.client;

import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.Sockets;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code no_header_support}: INFO says headers:false and an HPUB closes the connection, as with
 * nats-server; routes and leaf nodes are told too, so peers strip headers before forwarding here.
 */
class NoHeaderSupportTest {
    private static final Pattern HEADERS = Pattern.compile("\"headers\":(true|false)");

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

    @Test
    void routeAndLeafnodeInfoSayHeadersFalse() throws Exception {
        int cluster = Sockets.freePort();
        int leaf = Sockets.freePort();
        String config = "no_header_support: true\ncluster { listen: \"127.0.0.1:" + cluster + "\" }\n"
                + "leafnodes { listen: \"127.0.0.1:" + leaf + "\" }\n";
        assertEquals("route false, leaf false", Differential.sameAsReference(config,
                port -> "route " + headersField(cluster) + ", leaf " + headersField(leaf)));
    }

    private static String headersField(int port) throws Exception {
        try (RawClient c = new RawClient(port)) {
            Matcher m = HEADERS.matcher(c.info());
            return m.find() ? m.group(1) : "absent";
        }
    }
}
