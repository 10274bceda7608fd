package io.natsjvm.server.delivery;

import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one path every message takes into an account's subscribers, whoever produced it (a client,
 * the system account, an import; routes and leaf nodes next): every matching plain subscription
 * gets it, each queue group hands it to one member, and a destination that takes one copy per
 * message (a route, a leaf) gets exactly one, however many of its interests matched, with the
 * queue groups it was chosen for. A message from a route is never forwarded to another route.
 */
public final class MessageProcessor {
    private MessageProcessor() {
    }

    /** @return true if at least one subscriber took the message (false means no responders) */
    public static boolean process(MatchResult r, InboundMessage m, FlushBatch batch) {
        boolean delivered = false;
        Map<MessageTarget, List<String>> once = null;
        for (Subscription s : r.plain()) {
            MessageTarget t = s.target();
            if (t.oncePerMessage()) {
                if (forwardable(t, m)) {
                    once = collect(once, t, null);
                }
            } else {
                delivered |= t.deliver(s, m, batch);
            }
        }
        // A message from a route reaches queue groups only as the sender picked them, and then only
        // local members (the sender chose this server); plain subscribers always get it.
        boolean fromRoute = m.origin == ConnectionKind.ROUTER;
        String[] filter = m.queues;
        if (fromRoute && filter == null) {
            return finish(once, delivered, m, batch);
        }
        for (QueueGroup group : r.queueGroups()) {
            if (filter != null && !contains(filter, group.name())) {
                continue;
            }
            int n = group.size(); // before members(): see QueueGroup
            Subscription[] members = group.members();
            n = Math.min(n, members.length);
            if (n == 0) {
                continue;
            }
            int start = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
            for (int i = 0; i < n; i++) {
                Subscription s = members[(start + i) % n];
                if (s == null) {
                    continue;
                }
                MessageTarget t = s.target();
                if (t.oncePerMessage()) {
                    if (!fromRoute && forwardable(t, m)) {
                        once = collect(once, t, group.name());
                        delivered = true;
                        break;
                    }
                } else if (t.deliver(s, m, batch)) {
                    delivered = true;
                    break;
                }
            }
        }
        return finish(once, delivered, m, batch);
    }

    private static boolean finish(Map<MessageTarget, List<String>> once, boolean delivered, InboundMessage m,
            FlushBatch batch) {
        if (once != null) {
            for (Map.Entry<MessageTarget, List<String>> e : once.entrySet()) {
                delivered |= e.getKey().deliverOnce(m, e.getValue(), batch);
            }
        }
        return delivered;
    }

    private static boolean contains(String[] names, String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** No route-to-route (or leaf-to-same-leaf) forwarding: a route peer forwards to its own clients. */
    private static boolean forwardable(MessageTarget t, InboundMessage m) {
        return !(t.kind() == ConnectionKind.ROUTER && m.origin == ConnectionKind.ROUTER)
                && t != m.publisher;
    }

    private static Map<MessageTarget, List<String>> collect(Map<MessageTarget, List<String>> once,
            MessageTarget t, String queue) {
        if (once == null) {
            once = new IdentityHashMap<>(4);
        }
        List<String> queues = once.computeIfAbsent(t, k -> new ArrayList<>(2));
        if (queue != null) {
            queues.add(queue);
        }
        return once;
    }
}
