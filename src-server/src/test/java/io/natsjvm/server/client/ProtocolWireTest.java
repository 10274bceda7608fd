package io.natsjvm.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client protocol over raw sockets, against the "badinput" configuration of
 * ../shared/reference/errors.md: every row of that table is one test here.
 */
class ProtocolWireTest {
    private static final String CONNECT = "{\"user\":\"a\",\"pass\":\"a\",\"verbose\":false,\"pedantic\":false}";
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.fromConfig("""
                accounts: {
                  USERS: { users: [ {user: a, password: a} ] }
                  SYS:   { users: [ {user: admin, password: changeit} ] }
                }
                system_account: SYS
                authorization: { timeout: 1 }
                max_pending: 1048576
                max_payload: 32768
                write_deadline: "1s"
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private RawClient connected() throws Exception {
        return server.raw().connect(CONNECT);
    }

    @Test
    void infoHasReferenceFieldsInOrderAndSpaceBeforeCrlf() throws Exception {
        try (RawClient c = server.raw()) {
            String line = c.info();
            assertTrue(line.startsWith("INFO {"));
            assertTrue(line.endsWith("} "), "INFO line ends with a space before CRLF like nats-server");
            JsonNode info = new ObjectMapper().readTree(line.substring(5));
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = info.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            assertEquals(List.of("server_id", "server_name", "version", "proto", "go", "host", "port", "headers",
                    "auth_required", "max_payload", "client_id", "client_ip"), names);
            assertTrue(info.get("server_id").asText().matches("N[A-Z2-7]{55}"), "server id is a server nkey");
            assertEquals(1, info.get("proto").asInt());
            assertEquals(32768, info.get("max_payload").asInt());
            assertTrue(info.get("auth_required").asBoolean());
            assertEquals("127.0.0.1", info.get("client_ip").asText());
            assertTrue(info.get("go").asText().startsWith("java"));
        }
    }

    @Test
    void authTimeout() throws Exception {
        try (RawClient c = server.raw()) {
            c.expect("-ERR 'Authentication Timeout'").expectClosed();
        }
    }

    @Test
    void connectInvalidJsonClosesSilently() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {bad json\r\n").expectClosed();
        }
    }

    @Test
    void connectWrongTypesClosesSilently() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {\"verbose\":\"yes\",\"user\":1}\r\n").expectClosed();
        }
    }

    @Test
    void garbageBeforeConnectIsAuthorizationViolation() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("FOO BAR\r\n").expect("-ERR 'Authorization Violation'").expectClosed();
        }
    }

    @Test
    void pingBeforeConnectWithAuthIsAuthorizationViolation() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("PING\r\n").expect("-ERR 'Authorization Violation'").expectClosed();
        }
    }

    @Test
    void pubBeforeConnectIsAuthorizationViolation() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("PUB foo 2\r\n").expect("-ERR 'Authorization Violation'").expectClosed();
        }
    }

    @Test
    void wrongPasswordIsAuthorizationViolation() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {\"user\":\"a\",\"pass\":\"nope\"}\r\n").expect("-ERR 'Authorization Violation'")
                    .expectClosed();
        }
    }

    @Test
    void garbageLine() throws Exception {
        try (RawClient c = connected()) {
            c.send("FOO BAR\r\n").expect("-ERR 'Unknown Protocol Operation'").expectClosed();
        }
    }

    @Test
    void garbageIsRejectedBeforeLineEnd() throws Exception {
        try (RawClient c = connected()) {
            c.send("XYZ").expect("-ERR 'Unknown Protocol Operation'").expectClosed();
        }
    }

    @Test
    void maxControlLineWithoutCrlf() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB " + "a".repeat(5000)).expect("-ERR 'maximum control line exceeded'").expectClosed();
        }
    }

    @Test
    void maxControlLine() throws Exception {
        try (RawClient c = connected()) {
            c.send("SUB " + "a".repeat(5000) + " 1\r\n").expect("-ERR 'maximum control line exceeded'").expectClosed();
        }
    }

    @Test
    void pubDoubleDotNonPedanticStaysOpen() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB foo..bar 2\r\nhi\r\n");
            c.expectAlive();
        }
    }

    @Test
    void pubDoubleDotPedantic() throws Exception {
        try (RawClient c = server.raw().connect("{\"user\":\"a\",\"pass\":\"a\",\"pedantic\":true}")) {
            c.send("PUB foo..bar 2\r\nhi\r\n").expect("-ERR 'Invalid Publish Subject'");
            c.expectAlive();
        }
    }

    @Test
    void pubWildcardInMiddlePedantic() throws Exception {
        try (RawClient c = server.raw().connect("{\"user\":\"a\",\"pass\":\"a\",\"pedantic\":true}")) {
            c.send("PUB foo.>.bar 2\r\nhi\r\n").expect("-ERR 'Invalid Publish Subject'");
            c.expectAlive();
        }
    }

    @Test
    void pubWildcardNonPedanticStaysOpen() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB foo.* 2\r\nhi\r\n");
            c.expectAlive();
        }
    }

    @Test
    void pubMissingSize() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB foo\r\n").expectClosed();
        }
    }

    @Test
    void pubNegativeSize() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB foo -1\r\n").expectClosed();
        }
    }

    @Test
    void pubNonNumericSize() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB foo abc\r\n").expectClosed();
        }
    }

    @Test
    void pubSizeMismatch() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB foo 2\r\nhello\r\n").expect("-ERR 'Unknown Protocol Operation'").expectClosed();
        }
    }

    @Test
    void subInvalidSubjectsStayOpen() throws Exception {
        try (RawClient c = connected()) {
            c.send("SUB foo..bar 1\r\n").expect("-ERR 'Invalid Subject'");
            c.send("SUB foo.>.bar 2\r\n").expect("-ERR 'Invalid Subject'");
            c.send("SUB .foo 3\r\n").expect("-ERR 'Invalid Subject'");
            c.expectAlive();
        }
    }

    @Test
    void subEmptyClosesSilently() throws Exception {
        try (RawClient c = connected()) {
            c.send("SUB \r\n").expectClosed();
        }
    }

    @Test
    void subMissingSidClosesSilently() throws Exception {
        try (RawClient c = connected()) {
            c.send("SUB foo\r\n").expectClosed();
        }
    }

    @Test
    void unsubWithoutArgs() throws Exception {
        try (RawClient c = connected()) {
            c.send("UNSUB\r\n").expect("-ERR 'Unknown Protocol Operation'").expectClosed();
        }
    }

    @Test
    void verboseOk() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {\"user\":\"a\",\"pass\":\"a\",\"verbose\":true}\r\n").expect("+OK");
            c.send("PUB foo 1\r\nx\r\n").expect("+OK");
            c.send("SUB foo 1\r\n").expect("+OK");
            c.send("UNSUB 1\r\n").expect("+OK");
            c.expectAlive();
        }
    }

    @Test
    void maxPayloadExactIsAcceptedAndOneMoreCloses() throws Exception {
        try (RawClient c = connected()) {
            c.send("SUB big 1\r\nPUB big 32768\r\n" + "x".repeat(32768) + "\r\n");
            c.expect("MSG big 1 32768");
            assertEquals(32768 + 2, c.readBytes(32770).length);
            c.send("PUB big 32769\r\n").expect("-ERR 'Maximum Payload Violation'").expectClosed();
        }
    }

    /** As the reference: the oversized body was sent and is left unread, so the close is a reset. */
    @Test
    void anOversizedMessageWithItsBodyIsAnsweredWithAReset() throws Exception {
        try (RawClient c = connected()) {
            c.send("PUB big 40000\r\n" + "x".repeat(40000) + "\r\n").expect("-ERR 'Maximum Payload Violation'");
            assertThrows(SocketException.class, () -> c.socket().getInputStream().read());
        }
    }

    @Test
    void pubSubWithReplyAndLowercaseOps() throws Exception {
        try (RawClient c = connected()) {
            c.send("sub foo.* 9\r\npub foo.bar reply.to 5\r\nhello\r\n");
            c.expect("MSG foo.bar 9 reply.to 5").expect("hello");
        }
    }

    @Test
    void operationsSplitAcrossWritesByteByByte() throws Exception {
        try (RawClient c = connected()) {
            byte[] ops = "SUB split 1\r\nPUB split 11\r\nhello world\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
            for (byte b : ops) {
                c.send(new byte[]{b});
            }
            c.expect("MSG split 1 11").expect("hello world").expect("PONG");
        }
    }

    @Test
    void echoOffSuppressesOwnMessages() throws Exception {
        try (RawClient c = server.raw().connect("{\"user\":\"a\",\"pass\":\"a\",\"echo\":false}")) {
            c.send("SUB e 1\r\nPUB e 1\r\nx\r\nPING\r\n").expect("PONG");
        }
        try (RawClient c = server.raw().connect("{\"user\":\"a\",\"pass\":\"a\"}")) {
            c.send("SUB e 1\r\nPUB e 1\r\nx\r\nPING\r\n").expect("MSG e 1 1").expect("x").expect("PONG");
        }
    }

    @Test
    void autoUnsubscribeAfterMax() throws Exception {
        try (RawClient c = connected()) {
            c.send("SUB au 1\r\nUNSUB 1 2\r\n");
            c.send("PUB au 1\r\na\r\nPUB au 1\r\nb\r\nPUB au 1\r\nc\r\nPING\r\n");
            c.expect("MSG au 1 1").expect("a").expect("MSG au 1 1").expect("b").expect("PONG");
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        try (RawClient c = connected()) {
            c.send("SUB u 1\r\nUNSUB 1\r\nPUB u 1\r\na\r\nPING\r\n").expect("PONG");
        }
    }

    @Test
    void headersAreDeliveredAsHmsgAndStrippedForClientsWithoutHeaders() throws Exception {
        String hdr = "NATS/1.0\r\nX-A: 1\r\n\r\n";
        int hl = hdr.length();
        try (RawClient sub = server.raw().connect("{\"user\":\"a\",\"pass\":\"a\",\"headers\":true}");
             RawClient plain = server.raw().connect("{\"user\":\"a\",\"pass\":\"a\"}");
             RawClient pub = server.raw().connect("{\"user\":\"a\",\"pass\":\"a\",\"headers\":true}")) {
            sub.send("SUB h 1\r\n").expectAlive();
            plain.send("SUB h 2\r\n").expectAlive();
            pub.send("HPUB h " + hl + " " + (hl + 2) + "\r\n" + hdr + "hi\r\n").expectAlive();
            sub.expect("HMSG h 1 " + hl + " " + (hl + 2)).expect("NATS/1.0").expect("X-A: 1").expect("").expect("hi");
            plain.expect("MSG h 2 2").expect("hi");
        }
    }

    @Test
    void hpubWithoutHeadersNegotiatedCloses() throws Exception {
        try (RawClient c = connected()) {
            c.send("HPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n").expectClosed();
        }
    }

    @Test
    void noRespondersIsExactBytes() throws Exception {
        try (RawClient c = server.raw().connect(
                "{\"user\":\"a\",\"pass\":\"a\",\"headers\":true,\"no_responders\":true}")) {
            c.send("SUB core.inbox.* 1\r\nPUB nobody core.inbox.1 0\r\n\r\n");
            byte[] expected = "HMSG core.inbox.1 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(expected, c.readBytes(expected.length));
            c.expectAlive();
        }
    }

    @Test
    void noRespondersRequiresHeaders() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {\"user\":\"a\",\"pass\":\"a\",\"no_responders\":true}\r\n")
                    .expect("-ERR 'no responders requires headers support'").expectClosed();
        }
    }

    @Test
    void invalidClientProtocol() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("CONNECT {\"user\":\"a\",\"pass\":\"a\",\"protocol\":2}\r\n")
                    .expect("-ERR 'invalid client protocol'").expectClosed();
        }
    }

    @Test
    void queueGroupDeliversEachMessageToOneMember() throws Exception {
        try (RawClient q1 = connected(); RawClient q2 = connected(); RawClient pub = connected()) {
            q1.send("SUB work grp 1\r\n").expectAlive();
            q2.send("SUB work grp 1\r\n").expectAlive();
            int n = 200;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append("PUB work 1\r\nx\r\n");
            }
            pub.send(sb.toString()).expectAlive();
            int got = countMessages(q1) + countMessages(q2);
            assertEquals(n, got);
        }
    }

    /** Reads MSG frames until a PONG (sent after a PING) shows nothing more is queued. */
    private static int countMessages(RawClient c) throws Exception {
        c.send("PING\r\n");
        int n = 0;
        while (true) {
            String l = c.readLine();
            if (l.equals("PONG")) {
                return n;
            }
            if (l.startsWith("MSG ")) {
                n++;
                c.readLine();
            }
        }
    }

    @Test
    void accountsAreIsolated() throws Exception {
        try (RawClient user = connected();
             RawClient sys = server.raw().connect("{\"user\":\"admin\",\"pass\":\"changeit\"}")) {
            sys.send("SUB > 1\r\n").expectAlive();
            user.send("SUB > 1\r\n").expectAlive();
            user.send("PUB foo 3\r\nbar\r\nPING\r\n").expect("MSG foo 1 3").expect("bar").expect("PONG");
            sys.send("PUB sysonly 1\r\nx\r\n").expect("MSG sysonly 1 1").expect("x");
            assertFalse(user.socket().isClosed());
            user.expectAlive(); // no 'sysonly' before the PONG
        }
    }
}
