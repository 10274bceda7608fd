package io.natsjvm.server.connection;

import io.natsjvm.server.protocol.CloseReason;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several connections closed at once from any thread (an account update cuts its excess and
 * revoked connections). Each event loop gets one task that first writes every -ERR and closes
 * every socket, and only then does each connection's bookkeeping (subscriptions, account counts,
 * the disconnect event). Closed one by one, the last client cut waited for the bookkeeping of
 * every one before it on its loop: half of the time to cut two connections.
 */
public final class Closings {
    /** One connection to close, after an -ERR with {@code error} unless it is null. */
    private record Closing(Connection connection, String error, CloseReason reason) {
    }

    private final List<Closing> closings = new ArrayList<>();

    public void add(Connection c, String error, CloseReason reason) {
        closings.add(new Closing(c, error, reason));
    }

    public int size() {
        return closings.size();
    }

    /** Hands every close to its connection's event loop, in the order added. */
    public void closeAll() {
        Map<EventLoop, Closings> byLoop = new LinkedHashMap<>();
        for (Closing c : closings) {
            byLoop.computeIfAbsent(c.connection().loop(), l -> new Closings()).closings.add(c);
        }
        byLoop.forEach((loop, mine) -> {
            if (loop.inEventLoop()) {
                mine.closeHere();
            } else {
                loop.execute(mine::closeHere);
            }
        });
    }

    /** Closes them all on the calling thread, the event loop of every one of them. */
    void closeHere() {
        List<Connection> closed = new ArrayList<>(closings.size());
        for (Closing c : closings) {
            Connection conn = c.connection();
            if (conn.closing()) {
                continue; // closed meanwhile, by itself or another update: nothing more to do
            }
            if (c.error() != null) {
                conn.sendError(c.error());
            }
            if (conn.closeSocket(c.reason(), true)) {
                closed.add(conn);
            }
        }
        for (Connection conn : closed) {
            conn.cleanup();
        }
    }
}
