package io.natsjvm.server.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code statsz} block of STATSZ messages. */
public record ServerStats(
        String start,
        long mem,
        int cores,
        double cpu,
        int connections,
        @JsonProperty("total_connections") long totalConnections,
        @JsonProperty("active_accounts") int activeAccounts,
        long subscriptions,
        DataStats sent,
        DataStats received,
        @JsonProperty("slow_consumers") long slowConsumers,
        @JsonProperty("active_servers") int activeServers) {
}
