package io.natsjvm.server.protocol;


/**
 * A protocol error that ends the connection: {@link #clientError()} is sent as -ERR first when
 * not null (the reference closes silently on some malformed lines).
 */
public final class ProtocolException extends Exception {
    private final String clientError;
    private final CloseReason reason;

    public ProtocolException(String clientError, CloseReason reason, String detail) {
        super(detail, null, false, false);
        this.clientError = clientError;
        this.reason = reason;
    }

    public static ProtocolException unknownOperation(String detail) {
        return new ProtocolException(ProtocolErrors.UNKNOWN_OPERATION, CloseReason.PROTOCOL_VIOLATION, detail);
    }

    public static ProtocolException silent(String detail) {
        return new ProtocolException(null, CloseReason.PROTOCOL_VIOLATION, detail);
    }

    public String clientError() {
        return clientError;
    }

    public CloseReason reason() {
        return reason;
    }
}
