package io.natsjvm.resolver.claims;

import java.util.List;
import java.util.Map;

/**
 * One export of an account: a stream (messages published on {@code subject} may be imported) or
 * a service (requests on {@code subject} may be imported). {@code tokenRequired} exports need an
 * activation JWT in the import, and {@code revocations} (importing account key, or {@code *}, →
 * unix seconds) cancel activations issued up to that time. With an {@code accountTokenPosition}
 * (1-based) only an import whose subject carries the importer's own name at that token is
 * allowed. {@code responseType} is Singleton, Stream or Chunked; {@code responseThresholdNanos}
 * (0: the server's default) is how long a response may take; {@code latency} asks for service
 * latency samples; {@code approvedAccounts} (config exports' {@code accounts}, null: anyone)
 * are the accounts it was restricted to.
 */
public record Export(String name, String subject, String type, boolean tokenRequired, String responseType,
        int accountTokenPosition, Map<String, Long> revocations, long responseThresholdNanos,
        ServiceLatency latency, List<String> approvedAccounts) {
    public Export {
        revocations = revocations == null ? Map.of() : Map.copyOf(revocations);
        approvedAccounts = approvedAccounts == null ? null : List.copyOf(approvedAccounts);
    }

    /** An export without token position, revocations, threshold, latency tracking or approved accounts. */
    public Export(String name, String subject, String type, boolean tokenRequired, String responseType) {
        this(name, subject, type, tokenRequired, responseType, 0, Map.of(), 0, null, null);
    }

    public boolean isService() {
        return "service".equals(type);
    }

    /** Whether an activation for {@code importer} issued at {@code issuedAt} was revoked since. */
    public boolean revoked(String importer, long issuedAt) {
        Long at = revocations.get(importer);
        if (at != null && at >= issuedAt) {
            return true;
        }
        Long all = revocations.get("*");
        return all != null && all >= issuedAt;
    }

    /**
     * Latency samples of a service export: {@code sampling} percent of requests (1-100), or 0 for
     * requests carrying tracing headers; the samples are published on {@code results}.
     */
    public record ServiceLatency(int sampling, String results) {
        public boolean headersOnly() {
            return sampling == 0;
        }
    }
}
