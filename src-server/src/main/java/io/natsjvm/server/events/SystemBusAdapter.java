package io.natsjvm.server.events;

import io.natsjvm.resolver.SystemBus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The system account offered to the resolver module: internal subscriptions and replies. */
public final class SystemBusAdapter implements SystemBus {
    private final SystemEvents events;
    private final InternalClient client;

    public SystemBusAdapter(SystemEvents events, long cid) {
        this.events = events;
        this.client = new InternalClient(events.systemAccount(), events::run, cid);
    }

    @Override
    public void subscribe(String subject, Consumer<Message> handler) {
        client.subscribe(subject, m -> handler.accept(new Message(m.subject(), m.reply(), m.payload())));
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
