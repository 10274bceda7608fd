package io.natsjvm.server.delivery;

/**
 * Subscriptions matching one literal subject: plain ones (each gets the message) and queue
 * groups (one member per group gets it). Immutable once built, except that a group taken whole
 * from one subject node is that node's live group (see {@link QueueGroup}).
 */
public final class MatchResult {
    public static final MatchResult EMPTY = new MatchResult(new Subscription[0], new QueueGroup[0]);

    private final Subscription[] plain;
    private final QueueGroup[] queueGroups;

    public MatchResult(Subscription[] plain, QueueGroup[] queueGroups) {
        this.plain = plain;
        this.queueGroups = queueGroups;
    }

    public Subscription[] plain() {
        return plain;
    }

    public QueueGroup[] queueGroups() {
        return queueGroups;
    }

    public boolean isEmpty() {
        if (plain.length > 0) {
            return false;
        }
        for (QueueGroup g : queueGroups) {
            if (g.size() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Plain subscriptions plus queue members (monitoring's fan-out figures). */
    public int fanout() {
        int n = plain.length;
        for (QueueGroup g : queueGroups) {
            n += g.size();
        }
        return n;
    }
}
