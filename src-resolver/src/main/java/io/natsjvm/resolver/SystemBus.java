package io.natsjvm.resolver;

import java.time.Duration;
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

    /** @return closes the subscription */
    AutoCloseable subscribe(String subject, Consumer<Message> handler);

    /**
     * For replies this server waits for: {@code handler} runs on the delivering thread (any event
     * loop, or the bus's own thread) and must not block.
     */
    AutoCloseable subscribeReplies(String subject, Consumer<Message> handler);

    /** As a member of queue group {@code queue}: one member in the cluster gets each message. */
    AutoCloseable subscribe(String subject, String queue, Consumer<Message> handler);

    /** Publishes raw bytes with a reply subject (requests to the cluster). */
    void publishRaw(String subject, String reply, byte[] payload);

    /** A subject no other server or client uses, for replies to this server. */
    String newInbox();

    /** Runs {@code task} every {@code interval} on the bus's thread until the server stops. */
    void every(Duration interval, Runnable task);

    /** Publishes {@code body} (plus a trailing {@code server} block) to {@code subject}. */
    void respond(String subject, Map<String, Object> body);

    /** Publishes raw bytes (CLAIMS.LOOKUP replies are the bare JWT). */
    void respondRaw(String subject, byte[] payload);
}
