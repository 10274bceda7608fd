package io.natsjvm.server.util;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition another process or thread brings about (a route to a nats-server peer,
 * interest crossing the cluster) where no event can be subscribed to: checks it, and between
 * checks parks briefly, up to a deadline.
 */
public final class Await {
    private Await() {
    }

    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(10); // polling a condition with no event behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get());
            }
        }
    }

    public static void until(BooleanSupplier condition, String what) {
        until(Duration.ofSeconds(15), condition, () -> what);
    }
}
