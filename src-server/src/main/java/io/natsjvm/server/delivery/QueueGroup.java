package io.natsjvm.server.delivery;

import java.util.Arrays;

/**
 * The members of one queue group on one subject node, or a merged snapshot of several nodes'
 * members. A node's group grows in place (amortised O(1) per member, so a group of thousands is
 * built without quadratic copying) and is read without locks.
 *
 * <p>Publication: the index's write lock serialises changes; a change writes the element, then
 * the array, then the volatile size. Readers must read {@link #size()} <em>before</em>
 * {@link #members()} and skip nulls: then every member counted by that size is in the array read.
 */
public final class QueueGroup {
    private static final Subscription[] NONE = new Subscription[0];

    private final String name;
    private volatile Subscription[] members;
    private volatile int size;
    /** Some member stands for a peer's members (a route or leaf): picks weigh members then. */
    private volatile boolean weighted;

    QueueGroup(String name) {
        this.name = name;
        this.members = NONE;
    }

    /** A fixed group (a merge of several nodes' members), never changed after construction. */
    QueueGroup(String name, Subscription[] fixed) {
        this.name = name;
        this.members = fixed;
        this.size = fixed.length;
        this.weighted = anyPeer(fixed, fixed.length);
    }

    private static boolean anyPeer(Subscription[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != null && a[i].target().oncePerMessage()) {
                return true;
            }
        }
        return false;
    }

    /** True if members must be picked by weight (see {@link Subscription#weight()}). */
    public boolean weighted() {
        return weighted;
    }

    public String name() {
        return name;
    }

    /** Read before {@link #members()}. */
    public int size() {
        return size;
    }

    /** The backing array: entries at indexes below a size read earlier are members (or null). */
    public Subscription[] members() {
        return members;
    }

    /** Index write lock held. */
    void add(Subscription sub) {
        Subscription[] a = members;
        int n = size;
        if (n == a.length) {
            a = Arrays.copyOf(a, Math.max(4, n * 2));
            a[n] = sub;
            members = a;
        } else {
            a[n] = sub;
        }
        if (sub.target().oncePerMessage()) {
            weighted = true;
        }
        size = n + 1;
    }

    /**
     * Index write lock held. A removal publishes a new array, so a reader holding the old one keeps
     * a consistent view (it may still try the removed member, which refuses the delivery as closed).
     */
    boolean remove(Subscription sub) {
        Subscription[] a = members;
        int n = size;
        for (int i = 0; i < n; i++) {
            if (a[i] == sub) {
                Subscription[] b = new Subscription[a.length];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, n - i - 1);
                members = b;
                weighted = anyPeer(b, n - 1);
                size = n - 1;
                return true;
            }
        }
        return false;
    }

    /** The live members, copied (not a hot path). */
    public Subscription[] snapshot() {
        int n = size;
        Subscription[] a = members;
        return Arrays.stream(a, 0, Math.min(n, a.length)).filter(s -> s != null).toArray(Subscription[]::new);
    }
}
