package io.natsjvm.server.delivery;

/**
 * Learns of every subscription that enters or leaves an account's index, whoever owns it: what a
 * leaf connection needs, since it forwards the account's whole interest (routes' and other leafs'
 * included, its own excluded) and counts it itself.
 *
 * <p>Called under the index's write lock, in order; must not block or call back into the index.
 */
public interface SubscriptionListener {
    /** @param delta +1 when {@code sub} was added, -1 when it was removed */
    void subscriptionChanged(Subscription sub, int delta);
}
