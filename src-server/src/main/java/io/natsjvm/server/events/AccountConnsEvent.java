package io.natsjvm.server.events;

import io.natsjvm.server.monitor.DataStats;
import io.natsjvm.server.monitor.AccountStat;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code $SYS.ACCOUNT.<acc>.SERVER.CONNS} (and the old {@code $SYS.SERVER.ACCOUNT.<acc>.CONNS}). */
public record AccountConnsEvent(String type, String id, String timestamp, EventServer server,
        String acc, int conns, int leafnodes, @JsonProperty("total_conns") int totalConns,
        DataStats sent, DataStats received, @JsonProperty("slow_consumers") long slowConsumers) {
    public static final String TYPE = "io.nats.server.advisory.v1.account_connections";

    public static AccountConnsEvent of(String id, String timestamp, EventServer server, AccountStat s) {
        return new AccountConnsEvent(TYPE, id, timestamp, server, s.acc(), s.conns(), s.leafnodes(),
                s.totalConns(), s.sent(), s.received(), s.slowConsumers());
    }
}
