package io.natsjvm.server.delivery;

import io.natsjvm.server.protocol.InboundMessage;

/**
 * Whatever owns subscriptions and can take delivered messages: a client connection, and later
 * the system account's internal clients. Delivery must not block.
 */
public interface MessageTarget {
    /**
     * Deliver one message to {@code sub}. Called on the publisher's thread; implementations queue
     * and register themselves with {@code batch} for a flush at the end of the read batch.
     *
     * @return true if the message was queued (counts as delivered for no-responders)
     */
    boolean deliver(Subscription sub, InboundMessage msg, FlushBatch batch);

    /** Connection id for monitoring. */
    default long cid() {
        return 0;
    }
}
