package io.natsjvm.server.client;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsjvm.server.monitor.ConnInfo;
import io.natsjvm.server.monitor.Options;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a raw-socket client sees when it leaves options out, as nats-server 2.9.10 does it (each
 * expectation here was first observed against the reference binary with the same bytes): a
 * connection is verbose and pedantic until a CONNECT says otherwise, and a CONNECT only changes
 * the fields it names.
 */
class ClientDefaultsTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void withoutConnectEveryCommandIsAcknowledged() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("SUB foo 1\r\nPUB foo 1\r\nx\r\nUNSUB 1\r\nPING\r\n");
            c.expect("+OK").expect("+OK").expect("MSG foo 1 1").expect("x").expect("+OK").expect("PONG");
        }
    }

    @Test
    void anEmptyConnectKeepsVerboseOn() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {}\r\nSUB foo 1\r\nPING\r\n").expect("+OK").expect("+OK").expect("PONG");
        }
    }

    @Test
    void aLaterConnectOnlyChangesTheFieldsItNames() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {\"verbose\":false}\r\nCONNECT {\"name\":\"x\"}\r\nSUB foo 1\r\nPING\r\n").expect("PONG");
            c.send("CONNECT {\"verbose\":null}\r\nSUB bar 2\r\nPING\r\n").expect("PONG");
            c.send("CONNECT {\"verbose\":true}\r\nPING\r\n").expect("+OK").expect("PONG");
        }
    }

    @Test
    void pedanticByDefaultFlagsAWildcardPublishButStillAcknowledgesIt() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("PUB foo.* 1\r\nx\r\nPING\r\n")
                    .expect("-ERR 'Invalid Publish Subject'").expect("+OK").expect("PONG");
        }
        try (RawClient c = server.raw()) {
            c.send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPUB foo.* 1\r\nx\r\nPING\r\n").expect("PONG");
        }
    }

    @Test
    void trailingDataAfterTheConnectJsonIsRefused() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {} x\r\nPING\r\n").expectClosed();
        }
    }

    @Test
    void aWrongByteAfterThePayloadIsRefusedAtOnce() throws Exception {
        try (RawClient c = server.raw()) {
            // "ab\r" is the 3-byte payload; the '\n' where CR belongs fails without waiting for more.
            c.send("CONNECT {\"verbose\":false}\r\nPUB foo 3\r\nab\r\n")
                    .expect("-ERR 'Unknown Protocol Operation'").expectClosed();
        }
    }

    @Test
    void anErrFromTheClientClosesItWithAParseError() throws Exception {
        long cid;
        try (RawClient c = server.raw()) {
            cid = new ObjectMapper().readTree(c.info().substring(5)).get("client_id")
                    .asLong();
            c.send("CONNECT {\"verbose\":false}\r\n-ERR 'oops'\r\nPING\r\n").expectClosed();
        }
        // The client can see EOF a moment before the server has filed the connection as closed.
        long deadline = System.nanoTime() + 5_000_000_000L;
        String reason = null;
        while (reason == null && System.nanoTime() < deadline) {
            reason = closedReason(cid);
            if (reason == null) {
                Thread.sleep(10); // polling: no event announces the filing
            }
        }
        assertEquals("Parse Error", reason);
    }

    private static String closedReason(long cid) throws Exception {
        Map<String, Object> connz = server.server().monitor().connz(new Options.Connz(null, false, false, false, 0,
                0, cid, null, 1, null, null, null));
        @SuppressWarnings("unchecked")
        List<ConnInfo> closed = (List<ConnInfo>) connz.get("connections");
        return closed.isEmpty() ? null : closed.get(0).reason();
    }
}
