package io.natsjvm.server.protocol;

import io.natsjvm.server.routing.RoutedMessage;
import io.netty.buffer.ByteBuf;

/** Writes MSG/HMSG frames into an outbound buffer without intermediate objects. */
public final class MessageEncoder {
    private static final byte[] MSG = {'M', 'S', 'G', ' '};
    private static final byte[] HMSG = {'H', 'M', 'S', 'G', ' '};

    private MessageEncoder() {
    }

    /** Bytes {@link #writeMessage} will write (an upper bound is fine for pending accounting). */
    public static int frameSize(RoutedMessage m, int sidLength, boolean withHeaders) {
        int payload = withHeaders ? m.totalLength : m.totalLength - Math.max(m.headerLength, 0);
        return 5 + m.subjectLength + 1 + sidLength + 1 + m.replyLength + 1 + 22 + 2 + payload + 2;
    }

    /**
     * MSG subject sid [reply] size CRLF payload CRLF, or HMSG ... hdr total when the message has
     * headers and the receiver accepts them; otherwise headers are stripped.
     */
    public static void writeMessage(ByteBuf out, RoutedMessage m, byte[] sid, boolean withHeaders) {
        boolean hmsg = withHeaders && m.headerLength >= 0;
        out.writeBytes(hmsg ? HMSG : MSG);
        out.writeBytes(m.buf, m.subjectIndex, m.subjectLength);
        out.writeByte(' ');
        out.writeBytes(sid);
        out.writeByte(' ');
        if (m.replyLength > 0) {
            out.writeBytes(m.buf, m.replyIndex, m.replyLength);
            out.writeByte(' ');
        }
        int payloadIndex = m.payloadIndex;
        int length = m.totalLength;
        if (hmsg) {
            writeDecimal(out, m.headerLength);
            out.writeByte(' ');
        } else if (m.headerLength > 0) {
            payloadIndex += m.headerLength;
            length -= m.headerLength;
        }
        writeDecimal(out, length);
        out.writeShort(('\r' << 8) | '\n');
        out.writeBytes(m.buf, payloadIndex, length);
        out.writeShort(('\r' << 8) | '\n');
    }

    public static void writeDecimal(ByteBuf out, long v) {
        if (v < 10) {
            out.writeByte((int) ('0' + v));
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int at = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(at + digits);
    }
}
