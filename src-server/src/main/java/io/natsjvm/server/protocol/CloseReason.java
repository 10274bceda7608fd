package io.natsjvm.server.protocol;

/** Why a connection was closed, with the texts nats-server reports in events and monitoring. */
public enum CloseReason {
    CLIENT_CLOSED("Client Closed"),
    AUTHENTICATION_TIMEOUT("Authentication Timeout"),
    AUTHENTICATION_VIOLATION("Authentication Failure"),
    SLOW_CONSUMER_PENDING_BYTES("Slow Consumer (Pending Bytes)"),
    SLOW_CONSUMER_WRITE_DEADLINE("Slow Consumer (Write Deadline)"),
    WRITE_ERROR("Write Error"),
    READ_ERROR("Read Error"),
    PARSE_ERROR("Parse Error"),
    STALE_CONNECTION("Stale Connection"),
    PROTOCOL_VIOLATION("Protocol Violation"),
    BAD_CLIENT_PROTOCOL_VERSION("Bad Client Protocol Version"),
    MAX_CONNECTIONS_EXCEEDED("Maximum Connections Exceeded"),
    MAX_ACCOUNT_CONNECTIONS_EXCEEDED("Maximum Account Connections Exceeded"),
    MAX_SUBSCRIPTIONS_EXCEEDED("Maximum Subscriptions Exceeded"),
    MAX_PAYLOAD_EXCEEDED("Maximum Message Payload Exceeded"),
    MAX_CONTROL_LINE_EXCEEDED("Maximum Control Line Exceeded"),
    SERVER_SHUTDOWN("Server Shutdown"),
    AUTHENTICATION_EXPIRED("Authentication Expired"),
    REVOCATION("Credentials Revoked"),
    /** {@code $SYS.REQ.SERVER.<id>.KICK} (nats-server 2.10). */
    KICKED("Kicked"),
    NO_RESPONDERS_REQUIRES_HEADERS("No Responders Requires Headers"),
    DUPLICATE_ROUTE("Duplicate Route"),
    ROUTE_REMOVED("Route Removed"),
    CLUSTER_NAME_CONFLICT("Cluster Name Conflict"),
    DUPLICATE_SERVER_NAME("Duplicate Server Name"),
    WRONG_PORT("Wrong Port"),
    TLS_HANDSHAKE_ERROR("TLS Handshake Failure");

    private final String text;

    CloseReason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
