package io.natsjvm.server.client;

import io.natsjvm.server.account.Account;

import java.time.Instant;

/**
 * The responder's side of service latency tracking across a cluster, as nats-server 2.9.10 does
 * it: a request that came over a route with a tracked reply subject ({@code ...<server hash>.T})
 * to a client of an account exporting that service is timed from delivery to the client's
 * response, and the measurement goes to the requester's server on {@code $SYS.LATENCY.M2.<hash>}.
 */
public interface RemoteLatencyTracking {
    /** A tracked request as the responder received it. */
    record TrackedReply(String account, String reply, Instant delivered, long deliveredNanos) {
    }

    /** Whether {@code account} exports a service {@code subject} belongs to. */
    boolean exportsService(Account account, String subject);

    /** {@code responder} answered {@code request}: send the measurement to the requester's server. */
    void responded(ClientConnection responder, TrackedReply request);
}
