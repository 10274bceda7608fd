package io.natsjvm.server.protocol;


/** Receives the operations decoded by {@link ProtocolParser}; implemented by the connection. */
public interface ProtocolHandler {
    /** True while the handler cannot take more operations (a login in progress): parsing stops. */
    default boolean paused() {
        return false;
    }

    /** True while a CONNECT is required before any other operation (auth is on). */
    boolean awaitingConnect();

    int maxControlLine();

    /** Whether this connection negotiated headers (HPUB is refused otherwise). */
    boolean headersSupported();

    void onConnect(String json) throws ProtocolException;

    /** Called once when a PUB/HPUB line is complete, before its payload arrives. */
    void onPublishArgs(String subject, int size) throws ProtocolException;

    /** A complete message; {@code msg} is only valid during the call. */
    void onPublish(InboundMessage msg) throws ProtocolException;

    void onSub(String subject, String queue, String sid) throws ProtocolException;

    /** {@code max} is -1 when absent or not a valid number. */
    void onUnsub(String sid, int max) throws ProtocolException;

    void onPing();

    void onPong();

    void onClientError(String text);

    /** What is on the other end: route operations (RS+, RS-, RMSG, HMSG) are only read from a ROUTER. */
    default ConnectionKind kind() {
        return ConnectionKind.CLIENT;
    }

    /** An INFO from the peer (clients' are ignored). */
    default void onInfo(String json) throws ProtocolException {
    }

    /**
     * {@code RS+ account subject [queue weight]}: the peer has interest ({@code LS+}: with the
     * leaf cluster it came from as {@code origin}, else null).
     */
    default void onRemoteSub(String origin, String account, String subject, String queue, int weight)
            throws ProtocolException {
    }

    /** {@code RS- account subject [queue]}: the peer lost interest. */
    default void onRemoteUnsub(String account, String subject, String queue) throws ProtocolException {
    }
}
