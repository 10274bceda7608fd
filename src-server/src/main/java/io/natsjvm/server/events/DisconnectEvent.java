package io.natsjvm.server.events;

import io.natsjvm.server.monitor.DataStats;

/** {@code $SYS.ACCOUNT.<acc>.DISCONNECT} and, with reason "Authentication Failure", CLIENT.AUTH.ERR. */
public record DisconnectEvent(String type, String id, String timestamp, EventServer server, ClientInfo client,
        DataStats sent, DataStats received, String reason) {
    public static final String TYPE = "io.nats.server.advisory.v1.client_disconnect";
}
