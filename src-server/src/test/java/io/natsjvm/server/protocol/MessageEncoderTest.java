package io.natsjvm.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Frames for routes and leafs, byte for byte as nats-server 2.9.10 writes them. */
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

    private static String routed(InboundMessage m, String origin, String account, String queues, boolean headers) {
        ByteBuf out = Unpooled.buffer();
        try {
            MessageEncoder.writeRouted(out, m, origin == null ? null : bytes(origin),
                    account == null ? null : bytes(account), bytes(queues), headers);
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
            m.buf.release();
        }
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
}
