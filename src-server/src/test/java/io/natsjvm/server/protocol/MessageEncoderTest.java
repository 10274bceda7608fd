package io.natsjvm.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Frames for clients, routes and leafs, byte for byte as nats-server 2.9.10 writes them. */
class MessageEncoderTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static InboundMessage message(String reply, String headers, String body) {
        ByteBuf payload = Unpooled.copiedBuffer((headers == null ? "" : headers) + body, StandardCharsets.US_ASCII);
        InboundMessage m = InboundMessage.build("foo.bar", reply, payload, 0, payload.readableBytes(),
                headers == null ? -1 : headers.length());
        payload.release();
        return m;
    }

    /** What {@code write} puts into a small buffer (it must grow), as text; releases the message. */
    private static String encoded(InboundMessage m, Consumer<ByteBuf> write) {
        ByteBuf out = Unpooled.buffer(4);
        try {
            write.accept(out);
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
            m.buf.release();
        }
    }

    private static String routed(InboundMessage m, String origin, String account, String queues, boolean headers) {
        return encoded(m, out -> MessageEncoder.writeRouted(out, m, origin == null ? null : bytes(origin),
                account == null ? null : bytes(account), bytes(queues), headers));
    }

    @Test
    void routedMessagesWithAndWithoutALeafOrigin() {
        assertEquals("RMSG A foo.bar r 2\r\nhi\r\n", routed(message("r", null, "hi"), null, "A", "", true));
        assertEquals("RMSG A foo.bar + r q 2\r\nhi\r\n", routed(message("r", null, "hi"), null, "A", "q ", true));
        assertEquals("HMSG A foo.bar | q 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
                routed(message(null, "NATS/1.0\r\n\r\n", "hi"), null, "A", "q ", true));
        assertEquals("RMSG A foo.bar 2\r\nhi\r\n", routed(message(null, "NATS/1.0\r\n\r\n", "hi"), null, "A", "", false),
                "headers stripped for a peer without them");
        // lnoc: the header size is always there, 0 without headers
        assertEquals("LMSG edge A foo.bar 0 2\r\nhi\r\n", routed(message(null, null, "hi"), "edge", "A", "", true));
        assertEquals("LMSG edge A foo.bar + r q1 q2 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
                routed(message("r", "NATS/1.0\r\n\r\n", "hi"), "edge", "A", "q1 q2 ", true));
        // a leaf connection is bound to one account
        assertEquals("LMSG foo.bar r 2\r\nhi\r\n", routed(message("r", null, "hi"), null, null, "", true));
        assertEquals("HMSG foo.bar 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
                routed(message(null, "NATS/1.0\r\n\r\n", "hi"), null, null, "", true));
    }

    private static String msg(InboundMessage m, String sid, boolean headers) {
        return encoded(m, out -> MessageEncoder.writeMessage(out, m, bytes(sid), headers));
    }

    @Test
    void messagesToClientsWithRepliesHeadersAndEchoedPadding() {
        assertEquals("MSG foo.bar 7 2\r\nhi\r\n", msg(message(null, null, "hi"), "7", true));
        assertEquals("MSG foo.bar 7 r 2\r\nhi\r\n", msg(message("r", null, "hi"), "7", true));
        assertEquals("HMSG foo.bar 7 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
                msg(message("r", "NATS/1.0\r\n\r\n", "hi"), "7", true));
        assertEquals("MSG foo.bar 7 2\r\nhi\r\n", msg(message(null, "NATS/1.0\r\n\r\n", "hi"), "7", false),
                "headers stripped for a client without them");
        InboundMessage padded = message(null, "NATS/1.0\r\n\r\n", "hi");
        padded.headerPad = 2;
        padded.totalPad = 1;
        assertEquals("HMSG foo.bar 7 0012 014\r\nNATS/1.0\r\n\r\nhi\r\n", msg(padded, "7", true),
                "the publisher's leading zeros echoed");
        InboundMessage plainPadded = message(null, null, "hi");
        plainPadded.totalPad = 3;
        assertEquals("MSG foo.bar 7 0002\r\nhi\r\n", msg(plainPadded, "7", true));
        String longSubject = "s".repeat(3000);
        ByteBuf payload = Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII);
        InboundMessage big = InboundMessage.build(longSubject, "r", payload, 0, 1, -1);
        payload.release();
        assertEquals("MSG " + longSubject + " 12 r 1\r\nx\r\n", msg(big, "12", true),
                "a head longer than the buffer's room grows it");
    }
}
