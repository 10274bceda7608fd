package io.natsjvm.server.account;

/**
 * Publishes service latency samples (nats-server's {@code io.nats.server.metric.v1.service_latency})
 * in the exporting account. Implemented where connections and the system publisher are known.
 */
public interface ServiceLatencyReporter {
    /** The service answered: {@code responder} published the first response at {@code answeredNanos}. */
    void answered(LatencySample sample, Object responder, long answeredNanos);

    /** No answer: 400 (no reply subject), 503 (no service), 504 (response threshold passed). */
    void failed(LatencySample sample, int status, String description);
}
