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
}
