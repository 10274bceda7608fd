package io.natsjvm.server.account;

import io.natsjvm.server.protocol.InboundMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Nats-Request-Info} header on a request crossing a service import: found, replaced or
 * added in the message's header block the way nats-server does (an existing header of that name
 * is dropped, the new one goes last).
 */
final class RequestInfoHeader {
    static final String NAME = "Nats-Request-Info";
    private static final byte[] KEY = NAME.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_LINE = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A header block no longer than "NATS/1.0\r\n\r\n" has nothing left to keep. */
    private static final int EMPTY_BLOCK = 12;

    private RequestInfoHeader() {
    }

    /** The header's value in {@code m}, or null without one. */
    static String value(InboundMessage m) {
        if (m.headerLength <= 0) {
            return null;
        }
        ByteBuf b = m.buf;
        int start = m.payloadIndex;
        int end = start + m.headerLength;
        int at = find(b, start, end);
        if (at < 0) {
            return null;
        }
        int i = at + KEY.length + 1;
        while (i < end && b.getByte(i) == ' ') {
            i++;
        }
        int stop = i;
        while (stop < end && b.getByte(stop) != '\r') {
            stop++;
        }
        return b.toString(i, stop - i, StandardCharsets.UTF_8);
    }

    /**
     * A copy of {@code m} on {@code subject} with {@code reply} whose header block carries
     * {@code value}; the caller releases its buffer.
     */
    static InboundMessage copyWith(InboundMessage m, String subject, String reply, String value) {
        byte[] header = headerWith(m, value);
        int oldHeader = Math.max(m.headerLength, 0);
        ByteBuf body = m.buf.retainedSlice(m.payloadIndex + oldHeader, m.totalLength - oldHeader);
        ByteBuf payload = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(header), body);
        try {
            return InboundMessage.build(subject, reply, payload, 0, payload.readableBytes(), header.length);
        } finally {
            payload.release();
        }
    }

    private static byte[] headerWith(InboundMessage m, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + value.length() + Math.max(m.headerLength, 0));
        byte[] kept = null;
        if (m.headerLength > 2) {
            byte[] block = new byte[m.headerLength - 2]; // without the blank line that ends it
            m.buf.getBytes(m.payloadIndex, block);
            kept = without(block);
        }
        out.writeBytes(kept == null ? STATUS_LINE : kept);
        out.writeBytes((NAME + ": " + value + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The block without a line of this header (as nats-server: only one preceded by a line end). */
    private static byte[] without(byte[] block) {
        ByteBuf b = Unpooled.wrappedBuffer(block);
        int at = find(b, 0, block.length);
        if (at < 0) {
            return block;
        }
        int lineEnd = at;
        while (lineEnd + 1 < block.length && !(block[lineEnd] == '\r' && block[lineEnd + 1] == '\n')) {
            lineEnd++;
        }
        if (lineEnd + 1 >= block.length) {
            return block;
        }
        int cut = lineEnd + 2 - at;
        byte[] rest = new byte[block.length - cut];
        System.arraycopy(block, 0, rest, 0, at);
        System.arraycopy(block, lineEnd + 2, rest, at, block.length - lineEnd - 2);
        return rest.length <= EMPTY_BLOCK ? null : rest;
    }

    /** Index of the first {@code Nats-Request-Info:} at a line start in [start, end), or -1. */
    private static int find(ByteBuf b, int start, int end) {
        outer:
        for (int i = start + 2; i + KEY.length < end; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (b.getByte(i + k) != KEY[k]) {
                    continue outer;
                }
            }
            if (b.getByte(i - 1) == '\n' && b.getByte(i - 2) == '\r' && b.getByte(i + KEY.length) == ':') {
                return i;
            }
            return -1; // as nats-server: only the first occurrence counts
        }
        return -1;
    }
}
