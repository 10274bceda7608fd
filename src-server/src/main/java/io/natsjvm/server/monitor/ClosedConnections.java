package io.natsjvm.server.monitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The most recent closed connections, for CONNZ with state=closed (the reference keeps 10,000). */
public final class ClosedConnections {
    /** A closed connection: its final CONNZ entry plus what auth-filtered queries need. */
    public record Entry(ConnInfo info, String user, String account, List<SubDetail> subs) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    public ClosedConnections(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(Entry e) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    public synchronized List<Entry> snapshot() {
        return new ArrayList<>(entries);
    }
}
