package io.natsjvm.server.delivery;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.Arrays;

/**
 * The set of destinations that received data during one read batch of one event loop; each is
 * flushed once when the batch ends. Not thread-safe: one instance per event loop.
 */
public final class FlushBatch {
    /** A destination with queued, unflushed data. */
    public interface Flushable {
        /** Flush what is queued; hands off to the owner's event loop if needed. */
        void flushQueued();

        /** Identity marker so a destination is added once per batch. */
        FlushBatch pendingBatch();

        void pendingBatch(FlushBatch batch);
    }

    private static final FastThreadLocal<FlushBatch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected FlushBatch initialValue() {
            return new FlushBatch();
        }
    };

    /** The calling thread's batch (each event loop has its own). */
    public static FlushBatch current() {
        return CURRENT.get();
    }

    private Flushable[] items = new Flushable[16];
    private int size;

    public void add(Flushable f) {
        if (f.pendingBatch() == this) {
            return;
        }
        f.pendingBatch(this);
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = f;
    }

    public void flush() {
        for (int i = 0; i < size; i++) {
            Flushable f = items[i];
            items[i] = null;
            f.pendingBatch(null);
            f.flushQueued();
        }
        size = 0;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
