package io.natsjvm.server.delivery;

/**
 * Subscriptions matching one literal subject: plain ones (each gets the message) and queue
 * groups (one member per group gets it). Immutable once built.
 */
public final class MatchResult {
    public static final MatchResult EMPTY = new MatchResult(new Subscription[0], new Subscription[0][]);

    private final Subscription[] plain;
    private final Subscription[][] queueGroups;

    public MatchResult(Subscription[] plain, Subscription[][] queueGroups) {
        this.plain = plain;
        this.queueGroups = queueGroups;
    }

    public Subscription[] plain() {
        return plain;
    }

    public Subscription[][] queueGroups() {
        return queueGroups;
    }

    public boolean isEmpty() {
        return plain.length == 0 && queueGroups.length == 0;
    }
}
