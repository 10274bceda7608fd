package io.natsjvm.server.account;

import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.delivery.SubjectMapper;
import io.natsjvm.server.delivery.Subjects;
import io.natsjvm.server.delivery.Subscription;
import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An exporting account's responses to imported service requests: each forwarded request got a
 * reply subject {@code _R_.<prefix>.<id>} here, and what the service publishes there goes back
 * to the requester's own reply subject in its account. As nats-server: a Singleton export's
 * mapping ends with its first response; a Stream or Chunked one's stays until a response with
 * an empty payload, an undeliverable response, or the export's response threshold passing
 * without a response (the threshold counts from the request, then from each response).
 */
final class ResponseRoutes implements MessageTarget {
    /** nats-server's DEFAULT_SERVICE_EXPORT_RESPONSE_THRESHOLD. */
    static final long DEFAULT_THRESHOLD_NANOS = 120_000_000_000L;
    /** How often registering a request may also sweep mappings whose threshold passed. */
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String prefix = "_R_." + Long.toString(System.nanoTime() & 0xffffffL, 36) + ".";
    private volatile long lastSweep = System.nanoTime();

    /**
     * One request's way back; {@link #lastActivity} moves with each response of a streamed one.
     * A tracked request ({@link #sample} set, Singleton exports only) reports its latency when the
     * first response arrives, or a 504 when the threshold passes first.
     */
    private static final class Pending {
        final Account importer;
        final String reply;
        final boolean streamed;
        final long thresholdNanos;
        final LatencySample sample;
        final ServiceLatencyReporter reporter;
        volatile long lastActivity;
        /** A tracked request's 504 timer, cancelled when it is answered or dropped. */
        volatile ScheduledFuture<?> timeout;

        Pending(Account importer, String reply, boolean streamed, long thresholdNanos, long now,
                LatencySample sample, ServiceLatencyReporter reporter) {
            this.importer = importer;
            this.reply = reply;
            this.streamed = streamed;
            this.thresholdNanos = thresholdNanos;
            this.lastActivity = now;
            this.sample = sample;
            this.reporter = reporter;
        }

        boolean expired(long now) {
            return now - lastActivity > thresholdNanos;
        }

        void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    /** Subscribes the exporter to its responses. */
    static ResponseRoutes in(Account exporter) {
        ResponseRoutes r = new ResponseRoutes();
        exporter.subscribe(new Subscription(r, "_R_.>", null, exporter.nextInternalSid()));
        return r;
    }

    /**
     * @param responseType   the export's: Singleton (or null), Stream or Chunked
     * @param thresholdNanos the export's response threshold, 0 for the default
     * @param sample         the request's latency sample, or null when it is not tracked
     * @param reporter       where the sample goes (null with it)
     * @return the reply subject the request carries into the exporting account
     */
    String register(Account importer, String reply, String responseType, long thresholdNanos, LatencySample sample,
            ServiceLatencyReporter reporter) {
        long now = System.nanoTime();
        if (now - lastSweep > SWEEP_EVERY_NANOS) {
            lastSweep = now;
            pending.values().removeIf(p -> p.sample == null && p.expired(now));
        }
        boolean streamed = "Stream".equals(responseType) || "Chunked".equals(responseType);
        long threshold = thresholdNanos > 0 ? thresholdNanos : DEFAULT_THRESHOLD_NANOS;
        String id = prefix + Long.toString(ids.incrementAndGet(), 36)
                + (sample == null ? "" : reporter.trackingSuffix());
        Pending p = new Pending(importer, reply, streamed, threshold, now, sample, reporter);
        pending.put(id, p);
        if (sample != null) {
            // as nats-server's response threshold timer: a tracked request unanswered by then is a 504
            p.timeout = Timers.SCHEDULER.schedule(() -> {
                if (pending.remove(id, p)) {
                    reporter.failed(sample, 504, "Service Timeout");
                }
            }, threshold, TimeUnit.NANOSECONDS);
        }
        return id;
    }

    /** The request {@code id} was registered for never reached the service: forget it (503 if tracked). */
    void undelivered(String id) {
        Pending p = pending.remove(id);
        if (p != null && p.sample != null) {
            p.cancelTimeout();
            p.reporter.failed(p.sample, 503, "Service Unavailable");
        }
    }

    /**
     * {@code importer} lost its last subscription on {@code subject}: requests whose reply nobody
     * there listens to any more are forgotten, a tracked one reported as a 408, as nats-server
     * does when a requester goes away before the answer (timer thread).
     */
    void interestLost(Account importer, String subject) {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.importer == importer && Subjects.matches(subject, p.reply)
                    && importer.subjects().match(p.reply).isEmpty() && pending.remove(e.getKey(), p)) {
                p.cancelTimeout();
                if (p.sample != null) {
                    p.reporter.failed(p.sample, 408, "Request Timeout");
                }
            }
        }
    }

    /** Mappings waiting for a response (tests, monitoring). */
    int size() {
        return pending.size();
    }

    @Override
    public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
        Pending p = pending.get(m.subject);
        if (p == null) {
            return false;
        }
        long now = System.nanoTime();
        boolean last = !p.streamed || m.totalLength == 0;
        if (p.expired(now) || last) {
            if (!pending.remove(m.subject, p)) {
                return false; // another loop took the single response first
            }
            if (p.expired(now)) {
                if (p.sample != null) {
                    p.cancelTimeout();
                    p.reporter.failed(p.sample, 504, "Service Timeout");
                }
                return false;
            }
        }
        if (p.sample != null) {
            p.cancelTimeout();
            if (m.origin == ConnectionKind.ROUTER) {
                p.reporter.answeredRemotely(m.subject, p.sample, now);
            } else {
                p.reporter.answered(p.sample, m.publisher, now);
            }
        }
        InboundMessage copy = SubjectMapper.copy(m, p.reply, m.reply());
        boolean delivered;
        try {
            delivered = p.importer.publish(copy, batch);
        } finally {
            copy.buf.release();
        }
        if (!delivered) {
            pending.remove(m.subject, p);
        } else if (!last) {
            p.lastActivity = now;
        }
        return delivered;
    }
}
