package io.natsjvm.server.account;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Response mappings without sockets: a tracked request's 504 timer leaves the timer queue as soon
 * as the request is settled (at thousands of tracked requests a second, timers left for the
 * two-minute threshold would pile up), and an unserved one is reported as a 503 once.
 */
class ResponseRoutesTest {
    private static final class Reports implements ServiceLatencyReporter {
        final List<Integer> failures = new ArrayList<>();

        @Override
        public void answered(LatencySample sample, Object responder, long answeredNanos) {
        }

        @Override
        public void failed(LatencySample sample, int status, String description) {
            failures.add(status);
        }

        @Override
        public void answeredRemotely(String reply, LatencySample sample, long answeredNanos) {
        }

        @Override
        public String trackingSuffix() {
            return ".HASH.T";
        }
    }

    @Test
    void aSettledTrackedRequestTakesItsTimerOutOfTheQueue() {
        Account exporter = new Account("A");
        Account importer = new Account("B");
        ResponseRoutes routes = ResponseRoutes.in(exporter);
        Reports reports = new Reports();
        ScheduledThreadPoolExecutor timers = (ScheduledThreadPoolExecutor) Timers.SCHEDULER;
        int before = timers.getQueue().size();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            LatencySample s = new LatencySample(exporter, "lat", null, "B", false, Instant.now(), System.nanoTime(),
                    null);
            ids.add(routes.register(importer, "inbox." + i, null, 0, s, reports));
        }
        assertEquals(before + 100, timers.getQueue().size(), "one 504 timer per tracked request");
        assertEquals(".HASH.T", ids.get(0).substring(ids.get(0).length() - 7), "a tracked reply says so");
        ids.forEach(routes::undelivered);
        assertEquals(before, timers.getQueue().size(), "the timers left with their requests");
        assertEquals(100, reports.failures.size());
        assertEquals(List.of(503), reports.failures.stream().distinct().toList());
        assertEquals(0, routes.size());
    }
}
