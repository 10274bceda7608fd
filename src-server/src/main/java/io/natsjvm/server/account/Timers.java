package io.natsjvm.server.account;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One timer thread for the accounts' rare deadlines (activation expiries, tracked service
 * responses running out of time): the work each does is a map removal or a re-wiring.
 */
final class Timers {
    static final ScheduledExecutorService SCHEDULER = create();

    private static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "account-timers");
            t.setDaemon(true);
            return t;
        });
        // a tracked request answered in time cancels its timer: gone from the queue at once, not
        // two minutes later (at thousands of requests a second they would pile up)
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    private Timers() {
    }
}
