package io.natsjvm.server.console;

import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.AccountLimits;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.delivery.Subscription;
import io.natsjvm.server.events.InternalClient;
import io.natsjvm.server.events.InternalMessage;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.server.monitor.Monitor;
import io.natsjvm.server.monitor.Options;
import io.natsjvm.server.monitor.ServerView;
import io.natsjvm.server.protocol.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What the operations console streams: the system account's own events (CONNECT, DISCONNECT,
 * AUTH.ERR, LEAFNODE, every server's STATSZ) read through an internal subscription, claim updates
 * from the claims ledger, slow consumers, and once a second a snapshot of the server and its
 * accounts with their limit headroom. The events are the {@code $SYS} messages themselves (one
 * implementation behind $SYS, the HTTP endpoints and the console). It subscribes only while a
 * console is open, so a server nobody watches builds no events for it. System thread for events.
 */
public final class ConsoleFeed {
    /** A console's stream: one SSE line per call. */
    public interface Viewer {
        void send(String event, String json);
    }

    private static final List<String> SUBJECTS = List.of("$SYS.ACCOUNT.*.CONNECT", "$SYS.ACCOUNT.*.DISCONNECT",
            "$SYS.SERVER.*.CLIENT.AUTH.ERR", "$SYS.SERVER.*.STATSZ", "$SYS.ACCOUNT.*.LEAFNODE.*");

    private final ServerView server;
    private final Monitor monitor;
    private final Account system;
    private final Executor systemThread;
    private final ClaimsLedger ledger;
    private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
    private final Map<String, String> remoteStatsz = new ConcurrentHashMap<>();
    private final Consumer<ClaimsLedger.Entry> claimsListener = this::claimsUpdated;
    private InternalClient client;
    private final List<Subscription> subs = new ArrayList<>();

    public ConsoleFeed(ServerView server, Monitor monitor, Account system, Executor systemThread, ClaimsLedger ledger) {
        this.server = server;
        this.monitor = monitor;
        this.system = system;
        this.systemThread = systemThread;
        this.ledger = ledger;
    }

    /** A console opened: it gets a snapshot at once, then the stream. */
    public synchronized void open(Viewer v) {
        viewers.add(v);
        if (viewers.size() == 1) {
            client = new InternalClient(system, systemThread, server.nextCid());
            for (String s : SUBJECTS) {
                subs.add(client.subscribe(s, this::systemEvent));
            }
            ledger.addRecordListener(claimsListener);
        }
        v.send("snapshot", snapshot());
    }

    public synchronized void close(Viewer v) {
        if (viewers.remove(v) && viewers.isEmpty() && client != null) {
            for (Subscription s : subs) {
                client.unsubscribe(s);
            }
            subs.clear();
            client = null;
            ledger.removeRecordListener(claimsListener);
        }
    }

    public boolean watched() {
        return !viewers.isEmpty();
    }

    /** Every second while watched: the server and its accounts. */
    public void tick() {
        if (watched()) {
            broadcast("snapshot", snapshot());
        }
    }

    /** A client became a slow consumer (called on its loop). */
    public void slowConsumer(String account, long cid, String name) {
        if (!watched()) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "SLOW_CONSUMER");
        m.put("acc", account);
        m.put("cid", cid);
        m.put("name", name);
        m.put("time", GoFormat.time(Instant.now()));
        broadcast("event", json(m));
    }

    private void systemEvent(InternalMessage m) {
        String[] t = m.subject().split("\\.");
        String kind;
        if (m.subject().endsWith(".STATSZ")) {
            remoteStatsz.put(t[2], new String(m.payload(), StandardCharsets.UTF_8));
            return; // shown in the snapshot's server list
        } else if (m.subject().endsWith(".CLIENT.AUTH.ERR")) {
            kind = "AUTH.ERR";
        } else if (m.subject().contains(".LEAFNODE.")) {
            kind = "LEAFNODE." + t[t.length - 1];
        } else {
            kind = t[t.length - 1];
        }
        String acc = t[1].equals("ACCOUNT") ? t[2] : "";
        broadcast("event", "{\"kind\":\"" + kind + "\",\"acc\":" + quote(acc) + ",\"subject\":" + quote(m.subject())
                + ",\"event\":" + new String(m.payload(), StandardCharsets.UTF_8) + "}");
    }

    private void claimsUpdated(ClaimsLedger.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "CLAIMS.UPDATE");
        m.put("acc", e.account());
        m.put("name", e.name());
        m.put("source", e.source().label());
        m.put("iat", e.issuedAt());
        m.put("issuer", e.issuer());
        m.put("time", GoFormat.time(e.at()));
        broadcast("event", json(m));
    }

    private void broadcast(String event, String json) {
        for (Viewer v : viewers) {
            v.send(event, json);
        }
    }

    /** The server's STATSZ, the other servers' latest, and every account with its headroom. */
    String snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("server_id", server.serverId());
        s.put("server_name", server.serverName());
        s.put("now", GoFormat.time(Instant.now()));
        s.put("statsz", monitor.serverStats());
        List<Map<String, Object>> accounts = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Object> statz = (List<Object>) monitor.accountStatz(new Options.AccountStatz(null, true))
                .get("account_statz");
        for (Object o : statz) {
            Map<String, Object> a = new LinkedHashMap<>(Json.MAPPER.convertValue(o, Map.class));
            Account live = server.accounts().get(String.valueOf(a.get("acc")));
            AccountClaims claims = live == null ? null : live.claims();
            AccountLimits l = claims == null ? AccountLimits.UNLIMITED : claims.limits();
            Map<String, Object> limits = new LinkedHashMap<>();
            limits.put("conn", l.conn());
            limits.put("subs", l.subs());
            limits.put("payload", l.payload());
            limits.put("leaf", l.leaf());
            a.put("limits", limits);
            a.put("subscriptions", live == null ? 0 : live.subjects().count());
            ClaimsLedger.Entry e = live == null ? null : ledger.get(live.name());
            if (e != null) {
                Map<String, Object> jwt = new LinkedHashMap<>();
                jwt.put("name", e.name());
                jwt.put("iat", e.issuedAt());
                jwt.put("issuer", e.issuer());
                jwt.put("expires", claims == null ? 0 : claims.expires());
                jwt.put("source", e.source().label());
                a.put("jwt", jwt);
            }
            a.put("system", live == server.systemAccount());
            accounts.add(a);
        }
        s.put("accounts", accounts);
        List<Object> servers = new ArrayList<>();
        for (Map.Entry<String, String> r : remoteStatsz.entrySet()) {
            if (!r.getKey().equals(server.serverId())) {
                try {
                    servers.add(Json.MAPPER.readTree(r.getValue()));
                } catch (Exception ignored) {
                    // a peer's unreadable STATSZ is left out
                }
            }
        }
        s.put("peers", servers);
        return json(s);
    }

    private static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        return json(s);
    }
}
