package io.natsjvm.server.account;

import io.natsjvm.server.protocol.InboundMessage;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Nats-Request-Info header without sockets: set, replaced and read as nats-server does, and
 * no header block a client can send (odd, truncated, random) makes it throw or lose the payload.
 */
class RequestInfoHeaderTest {
    private static InboundMessage message(String header, String payload) {
        byte[] h = header == null ? new byte[0] : header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + p.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(p, 0, all, h.length, p.length);
        return InboundMessage.build("svc", "inbox", Unpooled.wrappedBuffer(all), 0, all.length,
                header == null ? -1 : h.length);
    }

    /** The copy's header block and payload; both messages' buffers are released. */
    private static String[] copied(InboundMessage m, String value) {
        InboundMessage c;
        try {
            c = RequestInfoHeader.copyWith(m, "svc.x", "_R_.1", value);
        } finally {
            m.buf.release();
        }
        try {
            String header = c.buf.toString(c.payloadIndex, c.headerLength, StandardCharsets.ISO_8859_1);
            String payload = c.buf.toString(c.payloadIndex + c.headerLength, c.totalLength - c.headerLength,
                    StandardCharsets.ISO_8859_1);
            return new String[] {header, payload};
        } finally {
            c.buf.release();
        }
    }

    private static String valueOf(InboundMessage m) {
        try {
            return RequestInfoHeader.value(m);
        } finally {
            m.buf.release();
        }
    }

    @Test
    void setReplacedAndReadAsTheReference() {
        assertEquals("NATS/1.0\r\nNats-Request-Info: {\"acc\":\"B\"}\r\n\r\n",
                copied(message(null, "hi"), "{\"acc\":\"B\"}")[0]);
        String forged = "NATS/1.0\r\nFoo: bar\r\nNats-Request-Info: {\"acc\":\"SYS\"}\r\nBaz: 1\r\n\r\n";
        String[] c = copied(message(forged, "hi"), "{\"acc\":\"B\"}");
        assertEquals("NATS/1.0\r\nFoo: bar\r\nBaz: 1\r\nNats-Request-Info: {\"acc\":\"B\"}\r\n\r\n", c[0]);
        assertEquals("hi", c[1]);
        assertEquals("{\"acc\":\"SYS\"}", valueOf(message(forged, "hi")));
        assertEquals(null, valueOf(message("NATS/1.0\r\nX-Nats-Request-Info: a\r\n\r\n", "")));
        // only the header: the status line stays, the old value goes
        assertEquals("NATS/1.0\r\nNats-Request-Info: v\r\n\r\n",
                copied(message("NATS/1.0\r\nNats-Request-Info: old\r\n\r\n", ""), "v")[0]);
    }

    @Test
    void oddHeaderBlocksNeverThrowOrLoseThePayload() {
        Random r = new Random(29);
        List<String> pieces = List.of("NATS/1.0", "\r\n", "Nats-Request-Info", ":", " ", "x", "\r", "\n", "a: b",
                "Nats-Request-Info: v");
        for (int i = 0; i < 5000; i++) {
            StringBuilder h = new StringBuilder();
            int n = r.nextInt(8);
            for (int k = 0; k < n; k++) {
                h.append(pieces.get(r.nextInt(pieces.size())));
            }
            valueOf(message(h.toString(), "payload"));
            String[] c = copied(message(h.toString(), "payload"), "{}");
            assertTrue(c[0].endsWith("Nats-Request-Info: {}\r\n\r\n"), c[0]);
            assertEquals("payload", c[1]);
        }
    }
}
