package io.natsjvm.server.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Writes MSG/HMSG frames into an outbound buffer without intermediate objects: the frame's room
 * is reserved once and filled with absolute writes, so each message costs one capacity check
 * instead of one per field.
 */
public final class MessageEncoder {
    private static final int MSG = ('M' << 24) | ('S' << 16) | ('G' << 8) | ' ';
    private static final int HMSG = ('H' << 24) | ('M' << 16) | ('S' << 8) | 'G';
    private static final int RMSG = ('R' << 24) | ('M' << 16) | ('S' << 8) | 'G';
    private static final int LMSG = ('L' << 24) | ('M' << 16) | ('S' << 8) | 'G';
    private static final short CRLF = ('\r' << 8) | '\n';

    private MessageEncoder() {
    }

    /** Bytes {@link #writeMessage} will write (an upper bound is fine for pending accounting). */
    public static int frameSize(InboundMessage m, int sidLength, boolean withHeaders) {
        int payload = withHeaders ? m.totalLength : m.totalLength - Math.max(m.headerLength, 0);
        return 5 + m.subjectLength + 1 + sidLength + 1 + m.replyLength + 1 + 22 + m.headerPad + m.totalPad + 2
                + payload + 2;
    }

    /**
     * MSG subject sid [reply] size CRLF payload CRLF, or HMSG ... hdr total when the message has
     * headers and the receiver accepts them; otherwise headers are stripped.
     */
    public static void writeMessage(ByteBuf out, InboundMessage m, byte[] sid, boolean withHeaders) {
        if ((m.headerPad | m.totalPad) != 0) {
            writeMessagePadded(out, m, sid, withHeaders); // sizes written with leading zeros: rare
            return;
        }
        boolean hmsg = withHeaders && m.headerLength >= 0;
        int payloadIndex = m.payloadIndex;
        int length = m.totalLength;
        if (!hmsg && m.headerLength > 0) {
            payloadIndex += m.headerLength;
            length -= m.headerLength;
        }
        out.ensureWritable(5 + m.subjectLength + 1 + sid.length + 1 + m.replyLength + 1 + 22 + 2 + length + 2);
        int i = writeHead(out, m, sid, hmsg);
        if (hmsg) {
            i = setDecimal(out, i, m.headerLength);
            out.setByte(i++, ' ');
        }
        i = setDecimal(out, i, length);
        writeTail(out, i, m, payloadIndex, length);
    }

    /**
     * Bytes {@link #writeRouted} will write at most.
     *
     * @param namesLength the account's length, plus the origin's and a space for an LMSG with origin
     */
    public static int routedFrameSize(InboundMessage m, int namesLength, int queuesLength, boolean withHeaders) {
        int payload = withHeaders ? m.totalLength : m.totalLength - Math.max(m.headerLength, 0);
        return 5 + namesLength + 1 + m.subjectLength + 1 + 2 + m.replyLength + 1 + queuesLength + 22 + 2
                + payload + 2;
    }

    /** The names an RMSG/LMSG carries before its subject, as {@link #routedFrameSize} counts them. */
    public static int namesLength(byte[] origin, byte[] account) {
        return (account == null ? 0 : account.length) + (origin == null ? 0 : origin.length + 1);
    }

    /** {@link #writeRouted(ByteBuf, InboundMessage, byte[], byte[], byte[], boolean)} without an origin. */
    public static void writeRouted(ByteBuf out, InboundMessage m, byte[] account, byte[] queues, boolean withHeaders) {
        writeRouted(out, m, null, account, queues, withHeaders);
    }

    /**
     * RMSG account subject [+ reply queues | "| " queues | reply] size CRLF payload CRLF, as a
     * route peer expects it; HMSG ... hdr total when the message has headers and the peer takes
     * them (headers are stripped otherwise). With an {@code origin} (a leaf cluster's message to a
     * route that speaks lnoc): LMSG origin account ... hdr total, the header size always present
     * (0 without headers).
     *
     * @param account the account (routes), or null for a leaf node (LMSG: its connection is bound to one)
     * @param queues the queue names, each followed by a space (as the reference builds them), or
     *               an empty array
     */
    public static void writeRouted(ByteBuf out, InboundMessage m, byte[] origin, byte[] account, byte[] queues,
            boolean withHeaders) {
        boolean sizes = origin != null || (withHeaders && m.headerLength > 0);
        boolean hmsg = origin == null && sizes;
        int payloadIndex = m.payloadIndex;
        int length = m.totalLength;
        if (!sizes && m.headerLength > 0) {
            payloadIndex += m.headerLength;
            length -= m.headerLength;
        }
        out.ensureWritable(routedFrameSize(m, namesLength(origin, account), queues.length, sizes));
        int i = out.writerIndex();
        out.setInt(i, hmsg ? HMSG : account == null || origin != null ? LMSG : RMSG);
        i += 4;
        out.setByte(i++, ' ');
        if (origin != null) {
            out.setBytes(i, origin);
            i += origin.length;
            out.setByte(i++, ' ');
        }
        if (account != null) {
            out.setBytes(i, account);
            i += account.length;
            out.setByte(i++, ' ');
        }
        out.setBytes(i, m.buf, m.subjectIndex, m.subjectLength);
        i += m.subjectLength;
        out.setByte(i++, ' ');
        if (queues.length > 0) {
            if (m.replyLength > 0) {
                out.setByte(i++, '+');
                out.setByte(i++, ' ');
                out.setBytes(i, m.buf, m.replyIndex, m.replyLength);
                i += m.replyLength;
                out.setByte(i++, ' ');
            } else {
                out.setByte(i++, '|');
                out.setByte(i++, ' ');
            }
            out.setBytes(i, queues);
            i += queues.length;
        } else if (m.replyLength > 0) {
            out.setBytes(i, m.buf, m.replyIndex, m.replyLength);
            i += m.replyLength;
            out.setByte(i++, ' ');
        }
        if (sizes) {
            i = setDecimal(out, i, Math.max(m.headerLength, 0));
            out.setByte(i++, ' ');
        }
        i = setDecimal(out, i, length);
        writeTail(out, i, m, payloadIndex, length);
    }

    /** As {@link #writeMessage}, echoing the leading zeros the publisher wrote in the sizes. */
    private static void writeMessagePadded(ByteBuf out, InboundMessage m, byte[] sid, boolean withHeaders) {
        boolean hmsg = withHeaders && m.headerLength >= 0;
        int payloadIndex = m.payloadIndex;
        int length = m.totalLength;
        if (!hmsg && m.headerLength > 0) {
            payloadIndex += m.headerLength;
            length -= m.headerLength;
        }
        int headerPad = hmsg ? m.headerPad : 0;
        int totalPad = hmsg || m.headerLength <= 0 ? m.totalPad : 0;
        out.ensureWritable(5 + m.subjectLength + 1 + sid.length + 1 + m.replyLength + 1 + 22 + headerPad + totalPad
                + 2 + length + 2);
        int i = writeHead(out, m, sid, hmsg);
        if (hmsg) {
            i = setZeros(out, i, headerPad);
            i = setDecimal(out, i, m.headerLength);
            out.setByte(i++, ' ');
        }
        i = setZeros(out, i, totalPad);
        i = setDecimal(out, i, length);
        writeTail(out, i, m, payloadIndex, length);
    }

    /** {@code MSG subject sid [reply] } or {@code HMSG ...}; returns the index after it. */
    private static int writeHead(ByteBuf out, InboundMessage m, byte[] sid, boolean hmsg) {
        int i = out.writerIndex();
        if (hmsg) {
            out.setInt(i, HMSG);
            out.setByte(i + 4, ' ');
            i += 5;
        } else {
            out.setInt(i, MSG);
            i += 4;
        }
        out.setBytes(i, m.buf, m.subjectIndex, m.subjectLength);
        i += m.subjectLength;
        out.setByte(i++, ' ');
        out.setBytes(i, sid);
        i += sid.length;
        out.setByte(i++, ' ');
        if (m.replyLength > 0) {
            out.setBytes(i, m.buf, m.replyIndex, m.replyLength);
            i += m.replyLength;
            out.setByte(i++, ' ');
        }
        return i;
    }

    /** CRLF, the payload, CRLF; moves the writer index past them. */
    private static void writeTail(ByteBuf out, int i, InboundMessage m, int payloadIndex, int length) {
        out.setShort(i, CRLF);
        i += 2;
        out.setBytes(i, m.buf, payloadIndex, length);
        i += length;
        out.setShort(i, CRLF);
        out.writerIndex(i + 2);
    }

    private static int setZeros(ByteBuf out, int at, int n) {
        for (int k = 0; k < n; k++) {
            out.setByte(at + k, '0');
        }
        return at + n;
    }

    /** Writes {@code v} in decimal at {@code at}; returns the index after it. */
    private static int setDecimal(ByteBuf out, int at, long v) {
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
        return at + digits;
    }

    public static void writeDecimal(ByteBuf out, long v) {
        out.ensureWritable(20);
        out.writerIndex(setDecimal(out, out.writerIndex(), v));
    }
}
