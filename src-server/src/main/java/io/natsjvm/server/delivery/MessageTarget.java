package io.natsjvm.server.delivery;

import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;

import java.util.List;

/**
 * Whatever owns subscriptions and can take delivered messages: a client connection, the server's
 * internal clients, import forwarders, and (next) route and leaf connections. Delivery must not
 * block.
 */
public interface MessageTarget {
    /**
     * Deliver one message to {@code sub}. Called on the publisher's thread; implementations queue
     * and register themselves with {@code batch} for a flush at the end of the read batch.
     *
     * @return true if the message was queued (counts as delivered for no-responders)
     */
    boolean deliver(Subscription sub, InboundMessage msg, FlushBatch batch);

    /**
     * True for a destination that takes one copy of a message however many of its subscriptions
     * match (a route or leaf connection: the peer fans out itself). Such a target gets
     * {@link #deliverOnce} instead of {@link #deliver}.
     */
    default boolean oncePerMessage() {
        return false;
    }

    /**
     * One copy of a message for a {@link #oncePerMessage()} destination.
     *
     * @param queues the queue groups this destination was chosen for (empty: plain interest only)
     */
    default boolean deliverOnce(InboundMessage msg, List<String> queues, FlushBatch batch) {
        return false; // only asked of targets that say oncePerMessage(): nothing is delivered otherwise
    }

    /** The kind of connection behind this target. */
    default ConnectionKind kind() {
        return ConnectionKind.CLIENT;
    }

    /**
     * Whether this target's subscriptions count as this server's interest for its peers: a
     * route's (or gateway's) do not (they are the peer's own interest), nor does a service
     * import's forwarder, as in the reference.
     */
    default boolean propagatesInterest() {
        ConnectionKind k = kind();
        return k != ConnectionKind.ROUTER && k != ConnectionKind.GATEWAY;
    }

    /**
     * Whether this target's subscriptions show in monitoring (counts and SUBSZ lists). Only
     * internal services that 2.9.10 does not have are hidden, so counts stay the reference's.
     */
    default boolean visible() {
        return true;
    }

    /**
     * For a leaf connection: whether messages that came over a route go to it (a hub's leafs
     * take them; a leaf's connection to its hub does not, as in the reference).
     */
    default boolean takesRoutedMessages() {
        return true;
    }

    /**
     * For a leaf connection: the cluster the server on the other side belongs to (null: none), so
     * a message that came from that cluster is not handed back to it through another of its nodes.
     */
    default String remoteCluster() {
        return null;
    }

    /** Connection id for monitoring. */
    default long cid() {
        return 0;
    }
}
