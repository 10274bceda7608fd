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

    /**
     * The service answered from another server of the cluster: the sample is completed by that
     * server's own measurement (the responder, its service time), whichever arrives first.
     */
    void answeredRemotely(String reply, LatencySample sample, long answeredNanos);

    /** What a tracked request's reply subject ends with, {@code .<server hash>.T}, so the answer's server can tell. */
    String trackingSuffix();
}
