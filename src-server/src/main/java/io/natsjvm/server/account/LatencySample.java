package io.natsjvm.server.account;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A service request chosen for latency tracking: published on {@code results} in the exporting
 * account once the service answers (or fails to). {@code requestor} is the publishing connection,
 * {@code header} the tracing headers that chose it (null when a sampling percentage did).
 */
public record LatencySample(Account exporter, String results, Object requestor, String requestorAccount,
        boolean share, Instant requested, long requestedNanos, Map<String, List<String>> header) {
}
