package io.natsjvm.server.account;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One timer thread for the accounts' rare deadlines (activation expiries, tracked service
 * responses running out of time): the work each does is a map removal or a re-wiring.
 */
final class Timers {
    static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "account-timers");
        t.setDaemon(true);
        return t;
    });

    private Timers() {
    }
}
