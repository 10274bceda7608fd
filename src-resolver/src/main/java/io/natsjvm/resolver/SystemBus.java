package io.natsjvm.resolver;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's system account as the resolver sees it: subscriptions whose handlers run off
 * the client event loops, and replies that carry the server's own {@code server} block.
 */
public interface SystemBus {
    /** A request or message received on a system subject. */
    record Message(String subject, String reply, byte[] payload) {
    }

    void subscribe(String subject, Consumer<Message> handler);

    /** Publishes {@code body} (plus a trailing {@code server} block) to {@code subject}. */
    void respond(String subject, Map<String, Object> body);

    /** Publishes raw bytes (CLAIMS.LOOKUP replies are the bare JWT). */
    void respondRaw(String subject, byte[] payload);
}
