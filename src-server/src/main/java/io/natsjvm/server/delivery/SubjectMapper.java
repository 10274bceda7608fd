package io.natsjvm.server.delivery;
import io.natsjvm.server.protocol.InboundMessage;
import java.util.Arrays;

/**
 * Rewrites subjects from one pattern to another, token by token: each wildcard of the target
 * takes the value of the corresponding wildcard of the source ({@code *} in order, {@code >} the
 * tail); literal tokens of the target are written as they are. Used by imports.
 */
public final class SubjectMapper {
    private final String[] from;
    private final String[] to;
    private final boolean identity;

    public SubjectMapper(String from, String to) {
        this.from = from.split("\\.");
        this.to = to.split("\\.");
        this.identity = from.equals(to);
    }

    public String map(String subject) {
        if (identity) {
            return subject;
        }
        String[] s = subject.split("\\.");
        String[] stars = new String[from.length];
        int nStars = 0;
        String tail = null;
        for (int i = 0; i < from.length && i < s.length; i++) {
            if (from[i].equals("*")) {
                stars[nStars++] = s[i];
            } else if (from[i].equals(">")) {
                tail = String.join(".", Arrays.copyOfRange(s, i, s.length));
                break;
            }
        }
        StringBuilder b = new StringBuilder(subject.length() + 16);
        int star = 0;
        for (int i = 0; i < to.length; i++) {
            if (i > 0) {
                b.append('.');
            }
            String t = to[i];
            if (t.equals("*")) {
                b.append(star < nStars ? stars[star++] : "*");
            } else if (t.equals(">")) {
                b.append(tail != null ? tail : ">");
            } else {
                b.append(t);
            }
        }
        return b.toString();
    }

    /** A copy of {@code m} with another subject and reply, in a buffer of its own. */
    public static InboundMessage copy(InboundMessage m, String subject, String reply) {
        InboundMessage c = InboundMessage.build(subject, reply, m.buf, m.payloadIndex, m.totalLength, m.headerLength);
        c.publisher = m.publisher;
        c.origin = m.origin;
        c.fromSpoke = m.fromSpoke;
        c.originCluster = m.originCluster;
        return c;
    }
}
