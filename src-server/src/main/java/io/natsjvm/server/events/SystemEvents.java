package io.natsjvm.server.events;
import io.natsjvm.server.protocol.ServerInfo;
import io.natsjvm.server.monitor.ServerView;
import io.natsjvm.server.monitor.AccountStat;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.leaf.LeafConnection;
import io.natsjvm.server.monitor.DataStats;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.server.monitor.Monitor;
import io.natsjvm.server.protocol.ConnectOptions;
import io.natsjvm.server.protocol.Json;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.protocol.InboundMessage;
import io.netty.buffer.Unpooled;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Publishes the system account's event stream and carries every internal message: all of it
 * runs on one "nats-system" thread, so event order is the order things happened, JSON is never
 * serialised on a client's event loop, and handlers may take their time without stalling
 * traffic.
 */
public final class SystemEvents {
    /** nats-server 2.10's cluster-wide subject for failed logins (alongside the per-server one). */
    static final String ACCOUNT_AUTH_ERR = "$SYS.ACCOUNT.CLIENT.AUTH.ERR";

    static final long STATSZ_FIRST_MS = 250;
    static final long HEARTBEAT_MS = 30_000;

    private final ServerView server;
    private final Monitor monitor;
    private final Account system;
    /** Looked up per use: SIGUSR1 (and later reload) replace the process logger. */
    private static ServerLog log() {
        return ServerLog.get();
    }
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nats-system");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong seq = new AtomicLong();
    private final Nuid ids = new Nuid();
    private final FlushBatch batch = new FlushBatch();
    private ScheduledFuture<?> connsHeartbeat;
    private long statszDelay = STATSZ_FIRST_MS;
    private ScheduledFuture<?> statszTimer;

    private final ClusterConnections clusterConnections;

    public SystemEvents(ServerView server, Monitor monitor, Account system) {
        this.server = server;
        this.monitor = monitor;
        this.system = system;
        this.clusterConnections = new ClusterConnections(server, this);
    }

    ClusterConnections clusterConnections() {
        return clusterConnections;
    }

    /** An account was loaded: the other servers of the cluster are asked for their count of it. */
    public void accountLoaded(Account a) {
        clusterConnections.requestCounts(a);
    }

    /** Runs a task on the system thread after {@code delayMillis}; dropped once shutting down. */
    public void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log().debug("System timer dropped during shutdown");
        }
    }

    /** Runs a task on the system thread; dropped quietly once the server is shutting down. */
    public void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log().debug("System event dropped during shutdown");
        }
    }

    public Account systemAccount() {
        return system;
    }

    Monitor monitor() {
        return monitor;
    }

    String nextId() {
        return ids.next();
    }

    public void start() {
        run(() -> statszTimer = executor.schedule(this::statszTick, statszDelay, TimeUnit.MILLISECONDS));
        connsHeartbeat = executor.scheduleAtFixedRate(this::connsHeartbeat, HEARTBEAT_MS, HEARTBEAT_MS,
                TimeUnit.MILLISECONDS);
    }

    /** Every 30 s, CONNS for each account that has connections (the reference's heartbeat). */
    private void connsHeartbeat() {
        for (Account a : server.accounts().all()) {
            int n = a.connections();
            if (n > 0 && connsWanted(a)) {
                accountConns(a, n);
            }
        }
    }

    private boolean connsWanted(Account acc) {
        return interested(connsOldSubject(acc)) || interested(connsNewSubject(acc));
    }

    private static String connsOldSubject(Account acc) {
        return "$SYS.SERVER.ACCOUNT." + acc.name() + ".CONNS";
    }

    private static String connsNewSubject(Account acc) {
        return "$SYS.ACCOUNT." + acc.name() + ".SERVER.CONNS";
    }

    /** Sends STATSZ, backing off from 250 ms by doubling up to every 30 s, as the reference does. */
    private void statszTick() {
        String subject = "$SYS.SERVER." + server.serverId() + ".STATSZ";
        if (interested(subject)) {
            publishStatsz(subject, null);
        }
        statszDelay = Math.min(statszDelay * 2, HEARTBEAT_MS);
        statszTimer = executor.schedule(this::statszTick, statszDelay, TimeUnit.MILLISECONDS);
    }

    /** System thread only. */
    void publishStatsz(String subject, String reply) {
        publish(system, subject, reply, s -> new StatszMessage(s, monitor.serverStats()));
    }

    /** The {@code server} block of the next message sent. */
    EventServer nextServerBlock() {
        List<String> tags = server.options().serverTags;
        return new EventServer(server.serverName(), server.options().host, server.serverId(), server.clusterName(),
                null, ServerInfo.VERSION, tags.isEmpty() ? null : tags, seq.incrementAndGet(), false,
                GoFormat.time(Instant.now()));
    }

    /**
     * True if anyone subscribes to {@code subject} in the system account. Events nobody listens
     * to are not built at all, so a connect storm with no system subscribers costs nothing
     * extra. Lock-free (the subject index's match cache); any thread.
     */
    boolean interested(String subject) {
        return !system.subjects().match(subject).isEmpty();
    }

    /** Queues a message whose body is built (with its server block) on the system thread. */
    public void send(Account acc, String subject, Function<EventServer, Object> body) {
        run(() -> publish(acc, subject, null, body));
    }

    /** Serialises and routes a message into {@code acc}. System thread only. */
    void publish(Account acc, String subject, String reply, Function<EventServer, Object> body) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(body.apply(nextServerBlock()));
        } catch (Exception e) {
            log().error("Error serializing system message on %s: %s", subject, e);
            return;
        }
        publishRaw(acc, subject, reply, json);
    }

    /** Routes raw bytes into {@code acc} as if a client published them. System thread only. */
    void publishRaw(Account acc, String subject, String reply, byte[] payload) {
        InboundMessage m = InboundMessage.build(subject, reply, Unpooled.wrappedBuffer(payload), 0, payload.length, -1);
        try {
            acc.publish(m, batch);
        } finally {
            batch.flush();
            m.buf.release();
        }
    }

    // ---------------------------------------------------------------- client events

    /** A client logged in to its account (called on its event loop); conns < 0: count unchanged. */
    public void clientConnected(ClientConnection c, int conns) {
        Account acc = c.account();
        String subject = "$SYS.ACCOUNT." + acc.name() + ".CONNECT";
        if (acc != server.accounts().global() && interested(subject)) {
            ClientInfo info = clientInfo(c, acc.name(), c.user(), false, null);
            send(system, subject,
                    s -> new ConnectEvent(ConnectEvent.TYPE, ids.next(), s.time(), s, info));
        }
        if (conns >= 0 && connsWanted(acc)) {
            run(() -> accountConns(acc, conns));
        }
    }

    /** A logged-in client's connection closed (called on its event loop). */
    public void clientDisconnected(ClientConnection c, int conns) {
        Account acc = c.account();
        if (acc == server.accounts().global()) {
            return;
        }
        String subject = "$SYS.ACCOUNT." + acc.name() + ".DISCONNECT";
        if (interested(subject)) {
            Instant stop = Instant.now();
            ClientInfo info = clientInfo(c, acc.name(), c.user(), true, stop);
            DataStats sent = new DataStats(c.inMsgs(), c.inBytes());
            DataStats received = new DataStats(c.outMsgs(), c.outBytes());
            String reason = c.closeReason() == null ? "" : c.closeReason().text();
            String time = GoFormat.time(stop);
            send(system, subject,
                    s -> new DisconnectEvent(DisconnectEvent.TYPE, ids.next(), time, s, info, sent, received, reason));
        }
        if (conns >= 0 && connsWanted(acc)) {
            run(() -> accountConns(acc, conns));
        }
    }

    /**
     * A failed login: the reference's AUTH.ERR is a disconnect event in the global account, on
     * the per-server subject and, as nats-server 2.10 added, on {@code $SYS.ACCOUNT.CLIENT.AUTH.ERR}
     * too (one subject to watch for a whole cluster). Both carry the same event id.
     */
    public void authError(ClientConnection c) {
        String perServer = "$SYS.SERVER." + server.serverId() + ".CLIENT.AUTH.ERR";
        boolean toServer = interested(perServer);
        boolean toAccount = interested(ACCOUNT_AUTH_ERR);
        if (!toServer && !toAccount) {
            return;
        }
        Instant stop = Instant.now();
        ConnectOptions co = c.connectOptions();
        ClientInfo info = clientInfo(c, Account.GLOBAL, co == null ? null : co.user(), true, stop);
        DataStats sent = new DataStats(c.inMsgs(), c.inBytes());
        DataStats received = new DataStats(c.outMsgs(), c.outBytes());
        String id = ids.next();
        Function<EventServer, Object> body = s -> new DisconnectEvent(DisconnectEvent.TYPE, id, s.time(), s, info,
                sent, received, "Authentication Failure");
        if (toServer) {
            send(system, perServer, body);
        }
        if (toAccount) {
            send(system, ACCOUNT_AUTH_ERR, body);
        }
    }

    private static ClientInfo clientInfo(ClientConnection c, String acc, String user, boolean closing,
            Instant stop) {
        ConnectOptions co = c.connectOptions();
        var login = c.jwtLogin();
        return new ClientInfo(GoFormat.time(c.start()), c.remoteIp(), c.cid(), acc, null, user,
                co == null ? null : co.name(), co == null ? null : co.lang(), co == null ? null : co.version(),
                closing ? Monitor.rttForDisplay(c.rttNanos()) : 0, null, null,
                stop == null ? null : GoFormat.time(stop), co == null ? null : co.jwt(),
                login == null ? null : login.issuerKey(), login == null ? null : login.nameTag(), "Client",
                c.clientType());
    }

    /** A leaf node joined or left an account: the LEAFNODE.CONNECT / DISCONNECT advisory. Its loop. */
    public void leafChanged(LeafConnection l, boolean connected) {
        Account acc = l.account();
        String subject = "$SYS.ACCOUNT." + acc.name() + ".LEAFNODE." + (connected ? "CONNECT" : "DISCONNECT");
        if (!interested(subject)) {
            return;
        }
        LeafNodeEvent.Leaf leaf = new LeafNodeEvent.Leaf(l.cid(), l.remoteServer(), l.remoteCluster(), l.remoteIp(),
                l.remotePort(), acc.name(), l.isSpoke(), l.solicited());
        String reason = connected || l.closeReason() == null ? null : l.closeReason().text();
        DataStats sent = connected ? null : new DataStats(l.outMsgs(), l.outBytes());
        DataStats received = connected ? null : new DataStats(l.inMsgs(), l.inBytes());
        send(system, subject, s -> new LeafNodeEvent(connected ? LeafNodeEvent.CONNECT : LeafNodeEvent.DISCONNECT,
                ids.next(), s.time(), s, acc.name(), leaf, sent, received, reason));
    }

    /**
     * CONNS on both the old and the new subject. System thread only.
     */
    void accountConns(Account acc, int conns) {
        AccountStat now = monitor.accountStat(acc);
        // The count as it was when the connection came or went, not whatever it is by now.
        AccountStat stat = new AccountStat(now.acc(), conns, now.leafnodes(), conns + now.leafnodes(), now.sent(),
                now.received(), now.slowConsumers());
        String id = ids.next();
        String time = GoFormat.time(Instant.now());
        publish(system, connsOldSubject(acc), null, s -> AccountConnsEvent.of(id, time, s, stat));
        publish(system, connsNewSubject(acc), null, s -> AccountConnsEvent.of(id, time, s, stat));
    }

    /**
     * {@code $SYS.SERVER.<id>.LAMEDUCK} as nats-server 2.10 publishes it when it enters lame duck
     * mode (2.9.10 has none): the server's info, like SHUTDOWN, so other servers and tools can
     * stop sending work here before the clients go.
     */
    public void lameDuck() {
        executor.execute(() -> publish(system, "$SYS.SERVER." + server.serverId() + ".LAMEDUCK", null, s -> s));
    }

    /** Publishes the SHUTDOWN event and waits (briefly) until it has been handed to subscribers. */
    public void shutdown() {
        try {
            executor.submit(() -> {
                if (statszTimer != null) {
                    statszTimer.cancel(false);
                }
                connsHeartbeat.cancel(false);
                publish(system, "$SYS.SERVER." + server.serverId() + ".SHUTDOWN", null, s -> s);
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log().warn("System account shutdown event not sent: %s", e);
        }
        executor.shutdown();
    }
}
