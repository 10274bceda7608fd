package io.natsjvm.server.delivery;

/**
 * Learns when an account's interest in a subject appears or goes away: the hook through which
 * route and leaf connections propagate interest ({@code RS+}/{@code RS-}, {@code LS+}/{@code LS-}).
 *
 * <p>Called under the subject index's write lock, in the order the changes happened; an
 * implementation must not block or call back into the index (queue the update and return).
 */
public interface InterestListener {
    /**
     * @param subject the subscription subject (may hold wildcards)
     * @param queue   the queue group, or null for plain interest
     * @param weight  plain interest: 1 when the first subscription on the subject appeared, 0 when
     *                the last left; queue interest: the group's member count after every change
     *                (0 when the last member left)
     * @param origin  the leaf cluster of the subscription that made the change (see
     *                {@link Subscription#origin()}), or null; null when present interest is replayed
     */
    void interestChanged(String subject, String queue, int weight, String origin);
}
