package io.natsjvm.server.monitor;

import io.natsjvm.server.log.GoFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The most recent closed connections, for CONNZ with state=closed (the reference keeps 10,000). */
public final class ClosedConnections {
    /**
     * A closed connection's final numbers, kept raw: a connection closes far more often than anyone
     * asks CONNZ for closed ones, so the Go-style times are formatted only when asked.
     */
    public record Entry(long cid, String type, String ip, int port, Instant start, Instant lastActivity, Instant stop,
            String reason, long rttNanos, long inMsgs, long outMsgs, long inBytes, long outBytes,
            long subscriptions, String name, String lang, String version, String tlsVersion, String tlsCipher,
            String user, String account, List<SubDetail> subs) {

        /** The CONNZ entry, without the optional parts (see {@link ConnInfo#with}). */
        public ConnInfo info() {
            return new ConnInfo(cid, "Client", type, ip, port, GoFormat.time(start), GoFormat.time(lastActivity),
                    GoFormat.time(stop), reason, GoFormat.duration(Monitor.rttForDisplay(rttNanos)),
                    GoFormat.uptime(Duration.between(start, stop).toNanos()),
                    GoFormat.uptime(Duration.between(lastActivity, stop).toNanos()), 0, inMsgs, outMsgs, inBytes,
                    outBytes, subscriptions, name, lang, version, tlsVersion, tlsCipher, null, null, null, null, null);
        }
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
