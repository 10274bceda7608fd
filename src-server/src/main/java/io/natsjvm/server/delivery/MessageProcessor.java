package io.natsjvm.server.delivery;

import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one path every message takes into an account's subscribers, whoever produced it (a client,
 * the system account, an import; routes and leaf nodes next): every matching plain subscription
 * gets it, each queue group hands it to one member, and a destination that takes one copy per
 * message (a route, a leaf) gets exactly one, however many of its interests matched, with the
 * queue groups it was chosen for. A message from a route is never forwarded to another route.
 */
public final class MessageProcessor {
    /**
     * Once-per-message destinations of the message being processed, reused so the path allocates
     * nothing. One level per nesting depth: delivering a message can publish another (an import
     * re-publishes into the importing account) on the same thread before the first is done.
     */
    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private static final class Scratch {
        Destinations[] levels = new Destinations[4];
        int depth;

        Destinations enter() {
            if (depth == levels.length) {
                levels = Arrays.copyOf(levels, depth * 2);
            }
            Destinations d = levels[depth];
            if (d == null) {
                d = levels[depth] = new Destinations();
            }
            depth++;
            return d;
        }

        void exit(Destinations d) {
            d.clear();
            depth--;
        }
    }

    /** Destinations taking one copy, each with the queue groups it was picked for. */
    private static final class Destinations {
        MessageTarget[] targets = new MessageTarget[4];
        @SuppressWarnings("unchecked")
        List<String>[] queues = new List[4];
        int size;

        void add(MessageTarget t, String queue) {
            int i = 0;
            while (i < size && targets[i] != t) {
                i++;
            }
            if (i == size) {
                if (size == targets.length) {
                    targets = Arrays.copyOf(targets, size * 2);
                    queues = Arrays.copyOf(queues, size * 2);
                }
                targets[size] = t;
                if (queues[size] == null) {
                    queues[size] = new ArrayList<>(2);
                }
                size++;
            }
            if (queue != null) {
                queues[i].add(queue);
            }
        }

        void clear() {
            for (int i = 0; i < size; i++) {
                targets[i] = null;
                queues[i].clear();
            }
            size = 0;
        }
    }

    private MessageProcessor() {
    }

    /** @return true if at least one subscriber took the message (false means no responders) */
    public static boolean process(MatchResult r, InboundMessage m, FlushBatch batch) {
        Scratch scratch = SCRATCH.get();
        Destinations once = scratch.enter();
        try {
            return process(r, m, batch, once);
        } finally {
            scratch.exit(once);
        }
    }

    private static boolean process(MatchResult r, InboundMessage m, FlushBatch batch, Destinations once) {
        boolean delivered = false;
        for (Subscription s : r.plain()) {
            MessageTarget t = s.target();
            if (t.oncePerMessage()) {
                if (forwardable(t, m)) {
                    once.add(t, null);
                }
            } else {
                delivered |= t.deliver(s, m, batch);
            }
        }
        // A message from a route reaches queue groups only as the sender picked them, and then only
        // local members (the sender chose this server); plain subscribers always get it.
        boolean fromRoute = m.origin == ConnectionKind.ROUTER;
        boolean fromPeer = fromRoute || m.origin == ConnectionKind.LEAF;
        String[] filter = m.queues;
        if (!(fromPeer && filter == null)) {
            for (QueueGroup group : r.queueGroups()) {
                if (filter != null && !contains(filter, group.name())) {
                    continue;
                }
                delivered |= pickOne(group, m, batch, once, fromRoute);
            }
        }
        for (int i = 0; i < once.size; i++) {
            delivered |= once.targets[i].deliverOnce(m, once.queues[i], batch);
        }
        return delivered;
    }

    /** One member of a queue group, starting at a random one; a peer member stands for its node. */
    private static boolean pickOne(QueueGroup group, InboundMessage m, FlushBatch batch, Destinations once,
            boolean fromRoute) {
        int n = group.size(); // before members(): see QueueGroup
        Subscription[] members = group.members();
        n = Math.min(n, members.length);
        if (n == 0) {
            return false;
        }
        int start = n == 1 ? 0 : group.weighted() ? weightedStart(members, n)
                : ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            Subscription s = members[(start + i) % n];
            if (s == null) {
                continue;
            }
            MessageTarget t = s.target();
            if (t.oncePerMessage()) {
                if (!fromRoute && forwardable(t, m)) {
                    once.add(t, group.name());
                    return true;
                }
            } else if (t.deliver(s, m, batch)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A member picked with chances in proportion to weights, as the reference lists a peer's
     * queue subscription once per member it stands for: a route whose server has 2 members of the
     * group weighs as much as 2 local members.
     */
    private static int weightedStart(Subscription[] members, int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            Subscription s = members[i];
            if (s != null) {
                total += s.weight();
            }
        }
        if (total <= 0) {
            return 0;
        }
        int r = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < n; i++) {
            Subscription s = members[i];
            if (s != null) {
                r -= s.weight();
                if (r < 0) {
                    return i;
                }
            }
        }
        return 0;
    }

    /**
     * The reference's forwarding rules: never back to where the message came from; never route to
     * route; nothing from a leaf's hub to the leaf side's routes; to a leaf connection from a route
     * only when that leaf takes routed messages (a hub's leafs); never to a leaf of the cluster the
     * message came from (its nodes have it from each other: cluster-wide no echo).
     */
    private static boolean forwardable(MessageTarget t, InboundMessage m) {
        if (t == m.publisher) {
            return false;
        }
        ConnectionKind k = t.kind();
        if (k == ConnectionKind.ROUTER) {
            return m.origin != ConnectionKind.ROUTER && !m.fromSpoke;
        }
        if (k == ConnectionKind.LEAF) {
            return (m.origin != ConnectionKind.ROUTER || t.takesRoutedMessages())
                    && (m.originCluster == null || !m.originCluster.equals(t.remoteCluster()));
        }
        return true;
    }

    private static boolean contains(String[] names, String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
