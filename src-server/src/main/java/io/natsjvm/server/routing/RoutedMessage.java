package io.natsjvm.server.routing;

import io.netty.buffer.ByteBuf;

/**
 * One message on its way from a publisher to subscribers. The publisher's parser fills one
 * instance per connection and reuses it for every message, so routing allocates nothing; targets
 * copy what they need before {@link MessageTarget#deliver} returns.
 */
public final class RoutedMessage {
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
    /** The publishing target, so echo=false can skip it; null for internal publishers. */
    public Object publisher;

    public boolean hasReply() {
        return replyLength > 0;
    }

    public boolean hasHeaders() {
        return headerLength >= 0;
    }

    public String reply() {
        return replyLength == 0 ? null
                : buf.toString(replyIndex, replyLength, java.nio.charset.StandardCharsets.US_ASCII);
    }

}
