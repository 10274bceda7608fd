package io.natsjvm.server.delivery;

import io.natsjvm.server.protocol.InboundMessage;
import java.util.concurrent.ThreadLocalRandom;

/** Hands one message to the subscriptions a subject matched: every plain one, one per queue group. */
public final class Delivery {
    private Delivery() {
    }

    /** @return true if at least one subscriber took the message (false means no responders) */
    public static boolean deliver(MatchResult r, InboundMessage m, FlushBatch batch) {
        boolean delivered = false;
        for (Subscription s : r.plain()) {
            delivered |= s.target().deliver(s, m, batch);
        }
        for (Subscription[] group : r.queueGroups()) {
            int n = group.length;
            int start = n == 1 ? 0 : ThreadLocalRandom.current().nextInt(n);
            for (int i = 0; i < n; i++) {
                Subscription s = group[(start + i) % n];
                if (s.target().deliver(s, m, batch)) {
                    delivered = true;
                    break;
                }
            }
        }
        return delivered;
    }
}
