package io.natsjvm.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * One message on its way from a publisher to subscribers. The publisher's parser fills one
 * instance per connection and reuses it for every message, so routing allocates nothing; targets
 * copy what they need before {@link MessageTarget#deliver} returns.
 */
public final class InboundMessage {
    /** Subject as a string, for matching and permission checks. */
    public String subject;
    /** Buffer holding the subject, reply and payload bytes at the offsets below. */
    public ByteBuf buf;
    public int subjectIndex;
    public int subjectLength;
    /** Reply subject offset and length; length 0 when there is none. */
    public int replyIndex;
    public int replyLength;
    /** Offset of the payload (headers first, if any). */
    public int payloadIndex;
    /** Header block length, or -1 for a plain PUB. */
    public int headerLength = -1;
    /** Total payload length including headers. */
    public int totalLength;
    /** Leading zeros the publisher wrote before the header and total sizes (echoed in HMSG/MSG). */
    public int headerPad;
    public int totalPad;
    /** The publishing target, so echo=false can skip it; null for internal publishers. */
    public Object publisher;
    /** The account the message is published in (set on its way in: RMSG names it, others by Account). */
    public String account;
    /**
     * For a message from a route: the queue groups the sender picked this server for (one local
     * member of each gets it), or null when it is for plain subscribers only.
     */
    public String[] queues;
    /** True for a message from the hub over a leaf connection: it is not forwarded to routes. */
    public boolean fromSpoke;
    /**
     * The leaf cluster the message came from (a leaf connection's cluster, or the one a route's
     * LMSG named), or null: it is never handed to a leaf of that cluster.
     */
    public String originCluster;
    /** True for a request a service import forwarded into the exporting account (imports chain). */
    public boolean serviceImported;
    /** The kind of connection the message came from: decides where it may be forwarded. */
    public ConnectionKind origin = ConnectionKind.CLIENT;

    public boolean hasReply() {
        return replyLength > 0;
    }

    /** Whether the reply ends in {@code .T}: a request whose service latency is tracked across servers. */
    public boolean hasTrackedReply() {
        return replyLength > 3 && buf.getByte(replyIndex + replyLength - 1) == 'T'
                && buf.getByte(replyIndex + replyLength - 2) == '.';
    }

    public boolean hasHeaders() {
        return headerLength >= 0;
    }

    /**
     * A message in a buffer of its own: subject, reply, then {@code length} payload bytes copied
     * from {@code payload} at {@code index} ({@code headerLength} of them headers, or -1).
     * For the server's own messages and for messages crossing accounts; the caller releases
     * {@link #buf}.
     */
    public static InboundMessage build(String subject, String reply, ByteBuf payload, int index, int length,
            int headerLength) {
        byte[] s = subject.getBytes(StandardCharsets.US_ASCII);
        byte[] r = reply == null ? new byte[0] : reply.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = Unpooled.buffer(s.length + r.length + length);
        buf.writeBytes(s).writeBytes(r).writeBytes(payload, index, length);
        InboundMessage m = new InboundMessage();
        m.subject = subject;
        m.buf = buf;
        m.subjectLength = s.length;
        m.replyIndex = s.length;
        m.replyLength = r.length;
        m.payloadIndex = s.length + r.length;
        m.headerLength = headerLength;
        m.totalLength = length;
        m.origin = ConnectionKind.SYSTEM;
        return m;
    }

    public String reply() {
        return replyLength == 0 ? null
                : buf.toString(replyIndex, replyLength, StandardCharsets.US_ASCII);
    }

}
