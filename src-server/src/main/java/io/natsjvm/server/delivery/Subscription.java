package io.natsjvm.server.delivery;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SUB of one connection. The subject, queue and sid never change; the auto-unsubscribe
 * limit may be set later by UNSUB and deliveries are counted from any event loop.
 */
public final class Subscription {
    private final MessageTarget target;
    private final String subject;
    private final String queue;
    private final String sid;
    private final byte[] sidBytes;
    private final Object handler;
    /**
     * The cluster a leaf node's interest came from (its own cluster name, or the one a route's
     * {@code LS+} named), or null: a message from that cluster is never handed back to it.
     */
    private final String origin;
    private final AtomicLong delivered = new AtomicLong();
    private volatile long max;
    private volatile boolean closed;
    /** How many queue members this stands for: a peer's RS+/LS+ weight (its members in the group). */
    private volatile int weight = 1;

    public Subscription(MessageTarget target, String subject, String queue, String sid) {
        this(target, subject, queue, sid, null);
    }

    /** @param handler what an internal target does with deliveries to this subscription */
    public Subscription(MessageTarget target, String subject, String queue, String sid, Object handler) {
        this(target, subject, queue, sid, handler, null);
    }

    /** A peer's interest, learnt from a leaf of cluster {@code origin} (null: none named). */
    public static Subscription fromPeer(MessageTarget target, String subject, String queue, String key, String origin) {
        return new Subscription(target, subject, queue, key, null, origin == null || origin.isEmpty() ? null : origin);
    }

    private Subscription(MessageTarget target, String subject, String queue, String sid, Object handler,
            String origin) {
        this.handler = handler;
        this.origin = origin;
        this.target = target;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
        this.sidBytes = sid.getBytes(StandardCharsets.US_ASCII);
    }

    public MessageTarget target() {
        return target;
    }

    public Object handler() {
        return handler;
    }

    public String subject() {
        return subject;
    }

    /** Queue group name, or null for a plain subscription. */
    public String queue() {
        return queue;
    }

    /** The leaf cluster this interest came from, or null. */
    public String origin() {
        return origin;
    }

    public String sid() {
        return sid;
    }

    public byte[] sidBytes() {
        return sidBytes;
    }

    public long max() {
        return max;
    }

    public int weight() {
        return weight;
    }

    /** A peer's queue weight (at least 1); any thread, read when a member is picked. */
    public void weight(int weight) {
        this.weight = Math.max(1, weight);
    }

    public void max(long max) {
        this.max = max;
    }

    public long delivered() {
        return delivered.get();
    }

    /** Counts one delivery and returns the new count. */
    public long countDelivery() {
        return delivered.incrementAndGet();
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }
}
