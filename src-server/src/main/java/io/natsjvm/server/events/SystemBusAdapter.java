package io.natsjvm.server.events;

import io.natsjvm.resolver.SystemBus;

import io.natsjvm.server.delivery.Subscription;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.function.Consumer;

/** The system account offered to the resolver module: internal subscriptions and replies. */
public final class SystemBusAdapter implements SystemBus {
    private final SystemEvents events;
    private final InternalClient client;
    private final InternalClient direct;
    private final String inboxPrefix = Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    private final AtomicLong inboxes = new AtomicLong();

    public SystemBusAdapter(SystemEvents events, long cid) {
        this.events = events;
        this.client = new InternalClient(events.systemAccount(), events::run, cid);
        // replies a blocked caller waits for are handed over where they arrive, not queued behind it
        this.direct = new InternalClient(events.systemAccount(), Runnable::run, cid);
    }

    @Override
    public AutoCloseable subscribe(String subject, Consumer<Message> handler) {
        return subscribe(subject, null, handler);
    }

    @Override
    public AutoCloseable subscribe(String subject, String queue, Consumer<Message> handler) {
        Subscription sub = client.subscribe(subject, queue,
                m -> handler.accept(new Message(m.subject(), m.reply(), m.payload())));
        return () -> client.unsubscribe(sub);
    }

    @Override
    public AutoCloseable subscribeReplies(String subject, Consumer<Message> handler) {
        Subscription sub = direct.subscribe(subject, null,
                m -> handler.accept(new Message(m.subject(), m.reply(), m.payload())));
        return () -> direct.unsubscribe(sub);
    }

    @Override
    public void publishRaw(String subject, String reply, byte[] payload) {
        events.run(() -> events.publishRaw(events.systemAccount(), subject, reply, payload));
    }

    @Override
    public String newInbox() {
        return "$SYS._INBOX." + inboxPrefix + "." + Long.toString(inboxes.incrementAndGet(), 36);
    }

    @Override
    public void every(Duration interval, Runnable task) {
        events.schedule(() -> {
            try {
                task.run();
            } finally {
                every(interval, task);
            }
        }, interval.toMillis());
    }

    @Override
    public void respond(String subject, Map<String, Object> body) {
        events.run(() -> events.publish(events.systemAccount(), subject, null, s -> {
            Map<String, Object> out = new LinkedHashMap<>(body);
            out.put("server", s);
            return out;
        }));
    }

    @Override
    public void respondRaw(String subject, byte[] payload) {
        events.run(() -> events.publishRaw(events.systemAccount(), subject, null, payload));
    }
}
