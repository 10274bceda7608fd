package io.natsjvm.server.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One account's connection and traffic figures (CONNS events, STATZ replies). */
public record AccountStat(
        String acc,
        int conns,
        int leafnodes,
        @JsonProperty("total_conns") int totalConns,
        DataStats sent,
        DataStats received,
        @JsonProperty("slow_consumers") long slowConsumers) {
}
