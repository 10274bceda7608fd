package io.natsjvm.server.util;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Netty's leak detector at {@code paranoid} for the whole test run, with every leak report
 * recorded: {@link #assertNoLeaks} (called when each test server stops) fails the test that finds
 * one. Installed by the JUnit launcher before any test class loads a buffer class.
 */
public final class LeakRecorder implements LauncherSessionListener {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static void install() {
        // Vert.x turns leak detection off at start-up unless this property names a level.
        System.setProperty("io.netty.leakDetection.level", "paranoid");
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    /** Collects garbage so leaked buffers are found, then fails if any leak was reported so far. */
    public static void assertNoLeaks() {
        // Detection happens when a buffer is tracked, after the reference handler thread has
        // enqueued the buffers the collector found dead; that thread gives no signal, so poll.
        System.gc();
        for (int poll = 0; poll < 15 && LEAKS.isEmpty(); poll++) {
            for (int i = 0; i < 2; i++) {
                ByteBufAllocator.DEFAULT.buffer(8).release();
                ByteBufAllocator.DEFAULT.heapBuffer(8).release();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!LEAKS.isEmpty()) {
            List<String> found = List.copyOf(LEAKS);
            LEAKS.clear();
            fail(found.size() + " Netty buffer leak(s) reported:\n" + String.join("\n", found));
        }
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        @SuppressWarnings("deprecation")
        Recording(Class<T> type, int samplingInterval) {
            super(type, samplingInterval, Long.MAX_VALUE);
        }

        /** Always: Netty only reports when its own logger is enabled for errors. */
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
