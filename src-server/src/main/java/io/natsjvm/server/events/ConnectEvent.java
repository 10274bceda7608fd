package io.natsjvm.server.events;

/** {@code $SYS.ACCOUNT.<acc>.CONNECT}. */
public record ConnectEvent(String type, String id, String timestamp, EventServer server, ClientInfo client) {
    public static final String TYPE = "io.nats.server.advisory.v1.client_connect";
}
