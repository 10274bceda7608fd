package io.natsjvm.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The decoder alone, without sockets: every way of splitting the input gives the same operations. */
class ProtocolParserTest {
    private static class Recorder implements ProtocolHandler {
        final List<String> ops = new ArrayList<>();
        boolean awaiting;
        int maxControlLine = 1024;
        Runnable onConnect = () -> { };

        @Override
        public boolean awaitingConnect() {
            return awaiting;
        }

        @Override
        public int maxControlLine() {
            return maxControlLine;
        }

        @Override
        public boolean headersSupported() {
            return true;
        }

        @Override
        public void onConnect(String json) {
            ops.add("CONNECT " + json);
            onConnect.run();
        }

        @Override
        public void onPublishArgs(String subject, int size) {
        }

        @Override
        public void onPublish(InboundMessage m) {
            String payload = m.buf.toString(m.payloadIndex, m.totalLength, StandardCharsets.US_ASCII);
            ops.add((m.hasHeaders() ? "HPUB " + m.headerLength + " " : "PUB ") + m.subject + " "
                    + (m.reply() == null ? "-" : m.reply()) + " [" + payload + "]");
        }

        @Override
        public void onSub(String subject, String queue, String sid) {
            ops.add("SUB " + subject + " " + queue + " " + sid);
        }

        @Override
        public void onUnsub(String sid, int max) {
            ops.add("UNSUB " + sid + " " + max);
        }

        @Override
        public void onPing() {
            ops.add("PING");
        }

        @Override
        public void onPong() {
            ops.add("PONG");
        }

        @Override
        public void onClientError(String text) {
            ops.add("ERR " + text);
        }
    }

    private static final String INPUT = "CONNECT {\"a\":1}\r\nping\r\nPONG\r\nsub foo  1\r\nSUB bar q 2\n"
            + "PUB foo 5\r\nhello\r\nPUB foo r.1 0\r\n\r\nHPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
            + "UNSUB 1\r\nUNSUB 2 x\r\n+OK\r\n-ERR 'oops'\r\nPUB\tbig\t3\r\nabc\r\n";

    /** The far end of a route: what it reads with the account, origin cluster and queue groups. */
    private static final class RouteRecorder extends Recorder {
        @Override
        public ConnectionKind kind() {
            return ConnectionKind.ROUTER;
        }

        @Override
        public void onPublish(InboundMessage m) {
            String payload = m.buf.toString(m.payloadIndex, m.totalLength, StandardCharsets.US_ASCII);
            ops.add("MSG " + m.originCluster + " " + m.account + " " + m.subject + " " + m.reply() + " "
                    + (m.queues == null ? "-" : String.join(",", m.queues)) + " " + m.headerLength + " [" + payload + "]");
        }

        @Override
        public void onRemoteSub(String origin, String account, String subject, String queue, int weight) {
            ops.add("SUB+ " + origin + " " + account + " " + subject + " " + queue + " " + weight);
        }

        @Override
        public void onRemoteUnsub(String account, String subject, String queue) {
            ops.add("SUB- " + account + " " + subject + " " + queue);
        }
    }

    private static List<String> parseInChunks(String input, int chunk) throws ProtocolException {
        return parseInChunks(new Recorder(), input, chunk);
    }

    private static List<String> parseInChunks(Recorder r, String input, int chunk) throws ProtocolException {
        ProtocolParser p = new ProtocolParser(r, ByteBufAllocator.DEFAULT);
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        try {
            for (int i = 0; i < bytes.length; i += chunk) {
                int n = Math.min(chunk, bytes.length - i);
                p.feed(Unpooled.copiedBuffer(bytes, i, n));
            }
        } finally {
            p.release(); // as the connection does when it closes after an error
        }
        return r.ops;
    }

    @Test
    void sameOperationsWhateverTheSplit() throws Exception {
        List<String> whole = parseInChunks(INPUT, INPUT.length());
        assertEquals(List.of("CONNECT {\"a\":1}", "PING", "PONG", "SUB foo null 1", "SUB bar q 2",
                "PUB foo - [hello]", "PUB foo r.1 []", "HPUB 12 h - [NATS/1.0\r\n\r\nhi]", "UNSUB 1 -1",
                "UNSUB 2 -1", "ERR 'oops'", "PUB big - [abc]"), whole);
        for (int chunk = 1; chunk < 40; chunk++) {
            assertEquals(whole, parseInChunks(INPUT, chunk), "chunk size " + chunk);
        }
    }

    /** max_control_line at its largest (a config may say 2147483647): every line is still read. */
    @Test
    void theLargestMaxControlLineLimitsNothing() throws Exception {
        Recorder r = new Recorder();
        r.maxControlLine = Integer.MAX_VALUE;
        assertEquals(parseInChunks(INPUT, INPUT.length()), parseInChunks(r, INPUT, 7));
    }

    /** A line one byte over max_control_line is refused, one at the limit is read. */
    @Test
    void maxControlLineCountsTheArgumentBytes() throws Exception {
        Recorder r = new Recorder();
        r.maxControlLine = 10;
        assertEquals(List.of("PUB abcdef - [x]"), parseInChunks(r, "PUB abcdef 1\r\nx\r\n", 100),
                "'abcdef 1' is 8 bytes");
        Recorder tight = new Recorder();
        tight.maxControlLine = 7;
        assertEquals("maximum control line exceeded", assertThrows(ProtocolException.class,
                () -> parseInChunks(tight, "PUB abcdef 1\r\nx\r\n", 100)).getMessage());
    }

    /** Stops reading after every message, as a connection does while a subscriber is behind. */
    private static final class PausingRecorder extends Recorder {
        boolean paused;

        @Override
        public void onPublish(InboundMessage m) {
            super.onPublish(m);
            paused = true;
        }

        @Override
        public boolean paused() {
            return paused;
        }
    }

    /**
     * Bytes that arrive while the handler is paused are kept, whatever the split and however the
     * pauses fall between the reads, and parsed in order when it resumes.
     */
    @Test
    void whatArrivesWhilePausedIsParsedInOrderOnResume() throws Exception {
        List<String> whole = parseInChunks(INPUT, INPUT.length());
        byte[] bytes = INPUT.getBytes(StandardCharsets.US_ASCII);
        for (int chunk = 1; chunk < 40; chunk++) {
            for (int resumeEvery = 1; resumeEvery <= 3; resumeEvery++) {
                PausingRecorder r = new PausingRecorder();
                ProtocolParser p = new ProtocolParser(r, ByteBufAllocator.DEFAULT);
                for (int i = 0, reads = 0; i < bytes.length; i += chunk, reads++) {
                    p.feed(Unpooled.copiedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
                    if (reads % resumeEvery == 0) {
                        r.paused = false;
                        p.resume();
                    }
                }
                while (r.paused) {
                    r.paused = false;
                    p.resume();
                }
                p.release();
                assertEquals(whole, r.ops, "chunk size " + chunk + ", resumed every " + resumeEvery + " reads");
            }
        }
    }

    /**
     * A refused CONNECT closes the connection from inside the callback, which releases the parser
     * while it is parsing the buffered first half: nothing may touch the freed buffer, and both
     * buffers are freed (the leak recorder checks).
     */
    @Test
    void releaseFromInsideACallbackFreesOnlyAfterParsing() throws Exception {
        Recorder r = new Recorder();
        ProtocolParser p = new ProtocolParser(r, ByteBufAllocator.DEFAULT);
        r.onConnect = p::release;
        ByteBuf first = ByteBufAllocator.DEFAULT.buffer().writeBytes("CONNECT {\"user\":".getBytes(StandardCharsets.US_ASCII));
        ByteBuf second = ByteBufAllocator.DEFAULT.buffer().writeBytes("\"x\"}\r\nPING\r\nSUB a 1\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        p.feed(first);
        p.feed(second);
        assertEquals(List.of("CONNECT {\"user\":\"x\"}"), r.ops, "nothing is parsed after the release");
        assertEquals(0, first.refCnt());
        assertEquals(0, second.refCnt());
        ByteBuf late = ByteBufAllocator.DEFAULT.buffer().writeBytes("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        p.feed(late);
        assertEquals(0, late.refCnt(), "bytes arriving after the release are freed, not kept");
        p.release();
    }

    /** A route reads RS+/RS-/RMSG/HMSG, and LS+ (with origin), LS- and LMSG of leaf clusters (lnoc). */
    @Test
    void routeOperationsWithAndWithoutALeafOrigin() throws Exception {
        String input = "RS+ A foo\r\nRS+ A bar q 3\r\nLS+ edge A baz\r\nLS+ edge A qq g 2\r\nLS- A baz\r\n"
                + "LS- A qq g\r\nRS- A foo\r\nRMSG A foo r 2\r\nhi\r\nLMSG edge A foo + r g h 0 2\r\nhi\r\n"
                + "LMSG edge A foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nHMSG A foo | g 12 14\r\nNATS/1.0\r\n\r\nhi\r\n";
        List<String> whole = parseInChunks(new RouteRecorder(), input, input.length());
        assertEquals(List.of("SUB+ null A foo null 0", "SUB+ null A bar q 3", "SUB+ edge A baz null 0",
                "SUB+ edge A qq g 2", "SUB- A baz null", "SUB- A qq g", "SUB- A foo null",
                "MSG null A foo r - -1 [hi]", "MSG edge A foo r g,h -1 [hi]",
                "MSG edge A foo null - 12 [NATS/1.0\r\n\r\nhi]", "MSG null A foo null g 12 [NATS/1.0\r\n\r\nhi]"),
                whole);
        for (int chunk = 1; chunk < 30; chunk++) {
            assertEquals(whole, parseInChunks(new RouteRecorder(), input, chunk), "chunk size " + chunk);
        }
        assertEquals("processRoutedOriginClusterMsgArgs Parse Error", assertThrows(ProtocolException.class,
                () -> parseInChunks(new RouteRecorder(), "LMSG edge A foo 2\r\n", 100)).getMessage());
        assertEquals("processRemoteSub Parse Error", assertThrows(ProtocolException.class,
                () -> parseInChunks(new RouteRecorder(), "LS+ edge A\r\n", 100)).getMessage());
        assertThrows(ProtocolException.class, () -> parseInChunks("LS+ foo\r\n", 100), "a client never sends LS+");
    }

    @Test
    void errorsCarryTheReferenceTexts() {
        assertEquals(ProtocolErrors.UNKNOWN_OPERATION,
                assertThrows(ProtocolException.class, () -> parseInChunks("XPUB\r\n", 100)).clientError());
        assertEquals(ProtocolErrors.UNKNOWN_OPERATION,
                assertThrows(ProtocolException.class, () -> parseInChunks("PUBX foo 1\r\n", 100)).clientError());
        assertEquals(ProtocolErrors.MAX_CONTROL_LINE,
                assertThrows(ProtocolException.class, () -> parseInChunks("SUB " + "a".repeat(1100), 100)).clientError());
        assertNull(assertThrows(ProtocolException.class, () -> parseInChunks("PUB foo\r\n", 100)).clientError());
        assertNull(assertThrows(ProtocolException.class, () -> parseInChunks("HPUB foo 5 2\r\n", 100)).clientError());
    }

    @Test
    void parseSizeFollowsTheReference() {
        assertEquals(123, ProtocolParser.parseSize("123".getBytes(StandardCharsets.US_ASCII), 0, 3));
        assertEquals(-1, ProtocolParser.parseSize("1234567890".getBytes(StandardCharsets.US_ASCII), 0, 10));
        assertEquals(-1, ProtocolParser.parseSize("-1".getBytes(StandardCharsets.US_ASCII), 0, 2));
    }
}
