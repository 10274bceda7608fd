package io.natsjvm.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.monitor.ServerView;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.Json;
import io.natsjvm.server.protocol.ProtocolErrors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account connection counts of the other servers of the cluster, so an account's {@code conn}
 * limit holds cluster-wide, as the reference keeps them: every server's CONNS events (and its
 * replies to the CONNS request a server sends when it loads an account) replace that server's
 * count; a server's SHUTDOWN, or its silence for longer than five heartbeats, drops it.
 *
 * <p>Better than 2.9.10: when two servers admit logins at the same moment and the cluster ends up
 * over the limit, the newest local connections are closed with the reference's error (2.9.10
 * means to, but collects them in a shadowed variable and closes nothing).
 *
 * <p>Runs on the system thread.
 */
final class ClusterConnections {
    private static final long ORPHAN_MS = 5 * SystemEvents.HEARTBEAT_MS;
    private static final long SWEEP_MS = 3 * SystemEvents.HEARTBEAT_MS;

    private final ServerView server;
    private final SystemEvents events;
    /** When each other server was last heard from (system thread). */
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

    ClusterConnections(ServerView server, SystemEvents events) {
        this.server = server;
        this.events = events;
    }

    private static ServerLog log() {
        return ServerLog.get();
    }

    /** The reply subject of this server's CONNS requests. */
    String inbox() {
        return "$SYS._INBOX_." + server.serverId();
    }

    void start(InternalClient sys) {
        // the old subject only: 2.9.10 publishes both, and each report must count once
        sys.subscribe("$SYS.SERVER.ACCOUNT.*.CONNS", this::conns);
        sys.subscribe(inbox(), this::conns);
        sys.subscribe("$SYS.SERVER.*.SHUTDOWN", m -> serverGone(m.subject().split("\\.")[2]));
        sys.subscribe("$SYS.SERVER.*.STATSZ", m -> heard(m.subject().split("\\.")[2]));
        events.schedule(this::sweep, SWEEP_MS);
    }

    /** An account was loaded here: ask the cluster how many connections it has elsewhere. */
    void requestCounts(Account a) {
        events.run(() -> events.publishRaw(events.systemAccount(), "$SYS.REQ.ACCOUNT." + a.name() + ".CONNS", inbox(),
                new byte[0]));
    }

    private void heard(String serverId) {
        if (!serverId.equals(server.serverId())) {
            lastSeen.put(serverId, System.currentTimeMillis());
        }
    }

    private void conns(InternalMessage m) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(m.payload());
        } catch (Exception e) {
            log().error("Error unmarshalling account connection event message: %s", e.getMessage());
            return;
        }
        if (n == null || !n.path("server").path("id").isTextual() || !n.path("acc").isTextual()) {
            return;
        }
        String serverId = n.path("server").path("id").asText();
        if (serverId.equals(server.serverId())) {
            return; // our own event
        }
        heard(serverId);
        Account a = server.accounts().get(n.path("acc").asText());
        if (a == null) {
            return; // no local interest in that account
        }
        int total = a.remoteConnections(serverId, n.path("conns").asInt(0));
        long limit = a.limits().conn();
        if (limit >= 0 && total > limit) {
            closeNewest(a, (int) Math.min(total - limit, a.connections()));
        }
    }

    /** The cluster is over the account's limit: the newest local connections go first. */
    private static void closeNewest(Account a, int over) {
        List<ClientConnection> local = new ArrayList<>();
        for (Account.Member m : a.members()) {
            if (m instanceof ClientConnection c && !c.isClosed()) {
                local.add(c);
            }
        }
        local.sort(Comparator.comparing((ClientConnection c) -> c.start()).reversed());
        for (int i = 0; i < over && i < local.size(); i++) {
            log().error("%s%s", local.get(i), ProtocolErrors.MAX_ACCOUNT_CONNECTIONS);
            local.get(i).closeWithErrorAnyThread(ProtocolErrors.MAX_ACCOUNT_CONNECTIONS,
                    CloseReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
        }
    }

    private void serverGone(String serverId) {
        if (serverId.equals(server.serverId())) {
            return;
        }
        lastSeen.remove(serverId);
        for (Account a : server.accounts().all()) {
            a.remoteServerGone(serverId);
        }
    }

    /** Servers silent for five heartbeats are treated as gone, as the reference's orphan check. */
    private void sweep() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
            if (now - e.getValue() > ORPHAN_MS) {
                log().debug("Detected orphan remote server: \"%s\"", e.getKey());
                serverGone(e.getKey());
            }
        }
        events.schedule(this::sweep, SWEEP_MS);
    }
}
