package io.natsjvm.server.route;

import io.natsjvm.server.config.TlsOptions;
import io.netty.handler.ssl.SslHandler;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.delivery.Subscription;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.protocol.Json;
import io.natsjvm.server.protocol.ProtocolErrors;
import io.natsjvm.server.protocol.ProtocolException;
import io.natsjvm.server.protocol.ProtocolHandler;
import io.natsjvm.server.protocol.ProtocolParser;
import io.natsjvm.server.protocol.RouteConnect;
import io.natsjvm.server.protocol.RouteInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

/**
 * One route to another server of the cluster, speaking nats-server 2.9.10's route protocol:
 * CONNECT and INFO, {@code RS+}/{@code RS-} interest per account (queue groups with weights),
 * {@code RMSG}/{@code HMSG} messages naming their account and the queue groups they are for, and
 * (lnoc) {@code LS+}/{@code LS-}/{@code LMSG} for interest and messages of a leaf cluster, named so
 * that no node hands them back to that cluster.
 *
 * <p>As a message destination it takes one copy per message ({@link #oncePerMessage}): the peer
 * fans out to its own subscribers. Its remote interest lives in the accounts' subject indexes as
 * subscriptions targeting this connection, which never count as this server's interest.
 *
 * <p>Threading: protocol handling runs on the connection's loop; {@link #deliverOnce} and
 * {@link #sendInterest} run on any thread (they only append to the outbound queue).
 */
public final class RouteConnection extends Connection implements ProtocolHandler, MessageTarget {
    private final Routes routes;
    private final ProtocolParser parser;
    /** The URL we dialled, or null for a route the peer opened. */
    private final URI url;
    private final boolean explicit;

    // ---- event loop only
    private boolean connectReceived;
    private boolean infoReceived;
    /** Interest the peer announced, by "account subject[ queue]" as the reference keys it. */
    private final Map<String, Subscription> remoteSubs = new HashMap<>();

    // ---- written on the loop, read anywhere
    private volatile boolean registered;
    private volatile boolean headers;
    /** The peer takes {@code LS+}/{@code LMSG} naming a leaf cluster (its CONNECT or INFO said lnoc). */
    private volatile boolean lnoc;
    private volatile String remoteId;
    private volatile RouteInfo remoteInfo;
    /** The address peers can dial this route's server on, learnt from its INFO. */
    private volatile URI remoteUrl;

    /** Account and origin cluster names as RMSG/LMSG bytes, cached (the deliver path runs on any loop). */
    private final Map<String, byte[]> nameBytes = new ConcurrentHashMap<>();
    /** The last account name written and its bytes: one volatile read for a run of messages in one account. */
    private volatile AccountName lastWritten = new AccountName("", new byte[0]);

    private record AccountName(String name, byte[] bytes) {
    }

    // The last account a routed message named (event loop only): the parser hands the same String.
    private String lastReadName;
    private Account lastReadAccount;

    private static ServerLog log() {
        return ServerLog.get();
    }

    RouteConnection(Routes routes, Channel channel, long cid, String ip, int port, URI url, boolean explicit) {
        super(channel, cid, ConnectionKind.ROUTER, ip, port, routes.options().maxPending,
                routes.options().writeDeadline);
        this.routes = routes;
        this.parser = new ProtocolParser(this, channel.alloc());
        this.url = url;
        this.explicit = explicit;
        remoteUrl = url;
    }

    // ---------------------------------------------------------------- state for other threads

    public boolean solicited() {
        return url != null;
    }

    public boolean explicit() {
        return explicit;
    }

    URI url() {
        return url;
    }

    /** Where the peer's route port can be dialled (its INFO, or the URL we used). */
    public URI remoteUrl() {
        return remoteUrl;
    }

    public String remoteId() {
        return remoteId;
    }

    /** The peer's INFO (null until it arrived). */
    public RouteInfo remoteInfo() {
        return remoteInfo;
    }

    public boolean registered() {
        return registered;
    }

    private boolean leaving;

    /** The peer's client URLs are withdrawn once (lame duck INFO, or the close). Routes' lock held. */
    boolean markLeaving() {
        if (leaving) {
            return false;
        }
        leaving = true;
        return true;
    }

    /** Subscriptions the peer has registered here (monitoring). */
    public int remoteSubscriptionCount() {
        return remoteSubCount;
    }

    private volatile int remoteSubCount;

    @Override
    public ConnectionKind kind() {
        return ConnectionKind.ROUTER;
    }

    // ---------------------------------------------------------------- lifecycle (event loop)

    /** With cluster TLS: CONNECT and INFO only once the handshake (which comes first) is done. */
    void handshakeAfterTls(SslHandler ssl) {
        onTlsHandshake(ssl, "route ", session -> handshake());
    }

    /** Sends CONNECT (a route we dialled) and our INFO. Event loop only. */
    void handshake() {
        assert loop.inEventLoop() : "event loop only";
        if (solicited()) {
            enqueue(routes.connectLine(url));
        }
        enqueue(routes.infoLine());
        flushNow();
        startPingTimer(routes.options().pingInterval, routes.options().pingMax);
        log().info("%sRoute connection created", logPrefix);
    }

    @Override
    protected void parse(ByteBuf data) throws ProtocolException {
        parser.feed(data);
    }

    @Override
    protected void protocolError(ProtocolException e) {
        log().error("%sRoute parser ERROR: %s", logPrefix, e.getMessage());
        closeFor(e);
    }

    @Override
    protected void internalError(RuntimeException e) {
        routes.internalError(this, e);
    }

    @Override
    protected void slowConsumer(CloseReason reason) {
        peerSlowConsumer("route", reason);
    }

    @Override
    protected void onClosed() {
        parser.release();
        for (Map.Entry<String, Subscription> e : remoteSubs.entrySet()) {
            Subscription s = e.getValue();
            s.close();
            Account a = routes.existingAccount(accountOf(e.getKey()));
            if (a != null) {
                a.unsubscribe(s);
            }
        }
        remoteSubs.clear();
        remoteSubCount = 0;
        log().info("%sRouter connection closed: %s", logPrefix, closeReason());
        routes.closed(this);
    }

    private static String accountOf(String key) {
        return key.substring(0, key.indexOf(' '));
    }

    // ---------------------------------------------------------------- handshake (event loop)

    @Override
    public boolean awaitingConnect() {
        return !solicited() && !connectReceived;
    }

    @Override
    public int maxControlLine() {
        return routes.options().maxControlLine;
    }

    @Override
    public boolean headersSupported() {
        return headers;
    }

    /** A peer that dialled us introduces itself. */
    @Override
    public void onConnect(String json) throws ProtocolException {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [CONNECT %s]", logPrefix, json);
        RouteConnect c;
        try {
            c = Json.MAPPER.readValue(json, RouteConnect.class);
        } catch (Exception e) {
            throw ProtocolException.silent("invalid route CONNECT JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (c == null) {
            throw ProtocolException.silent("invalid route CONNECT JSON: null");
        }
        if (c.lang() != null && !c.lang().isEmpty()) {
            // a client dialled the route port
            closeWithError("attempted to connect to route port", CloseReason.WRONG_PORT);
            return;
        }
        if (c.gateway() != null && !c.gateway().isEmpty()) {
            String text = "Rejecting connection from gateway \"" + c.gateway() + "\" on the Route port";
            log().error("%s%s", logPrefix, text);
            closeWithError(text, CloseReason.CLUSTER_NAME_CONFLICT);
            return;
        }
        if (!routes.authorized(c)) {
            log().error("%sauthentication error - route credentials", logPrefix);
            closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, CloseReason.AUTHENTICATION_VIOLATION);
            return;
        }
        if (!routes.clusterNameAccepted(c.cluster(), c.clusterDynamic(), this)) {
            String text = "Rejecting connection, cluster name \"" + c.cluster() + "\" does not match \""
                    + routes.clusterName() + "\"";
            log().error("%s%s", logPrefix, text);
            closeWithError(text, CloseReason.CLUSTER_NAME_CONFLICT);
            return;
        }
        connectReceived = true;
        remoteId = c.name();
        headers = c.headers() && !routes.options().noHeaderSupport;
        lnoc = c.lnoc();
    }

    @Override
    public void onInfo(String json) throws ProtocolException {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [INFO %s]", logPrefix, json);
        RouteInfo info;
        try {
            info = Json.MAPPER.readValue(json, RouteInfo.class);
        } catch (Exception e) {
            throw ProtocolException.silent("invalid route INFO JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (info == null || info.serverId() == null) {
            throw ProtocolException.silent("route INFO without a server id");
        }
        if (info.serverId().equals(routes.serverId())) {
            remoteId = info.serverId();
            close(CloseReason.DUPLICATE_ROUTE); // a route to ourselves
            return;
        }
        if (info.cluster() != null && !info.cluster().isEmpty()
                && !routes.clusterNameAccepted(info.cluster(), info.clusterDynamic(), this)) {
            close(CloseReason.CLUSTER_NAME_CONFLICT);
            return;
        }
        if (infoReceived) {
            // an asynchronous INFO: a new server joined the peer's cluster, or the peer is leaving
            if (remoteId != null && !remoteId.equals(info.serverId())) {
                routes.implicitRoute(info);
            } else if (info.lameDuck()) {
                routes.peerLeaving(this);
            }
            return;
        }
        if (!solicited() && info.serverName() != null && info.serverName().equals(routes.serverName())) {
            log().error("%sRemote server has a duplicate name: \"%s\"", logPrefix, info.serverName());
            close(CloseReason.DUPLICATE_SERVER_NAME);
            return;
        }
        infoReceived = true;
        remoteInfo = info;
        remoteId = info.serverId();
        headers = info.headers() && !routes.options().noHeaderSupport;
        lnoc = info.lnoc();
        if (remoteUrl == null) {
            remoteUrl = URI.create("nats-route://" + hostPort(info.host(), info.port()) + "/");
        }
        if (routes.register(this, info)) {
            registered = true;
            log().debug("%sRegistering remote route \"%s\"", logPrefix, info.serverId());
        } else {
            log().debug("%sDetected duplicate remote route \"%s\"", logPrefix, info.serverId());
            close(CloseReason.DUPLICATE_ROUTE);
        }
    }

    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The cluster block's pins, for accepted and dialled routes alike (as the reference). */
    @Override
    protected Set<String> pinnedCerts() {
        return TlsOptions.pinned(routes.options().cluster.tls);
    }

    @Override
    public void onPing() {
        pingReceived();
    }

    @Override
    public void onPong() {
        pongReceived();
    }

    @Override
    public void onClientError(String text) {
        log().error("%sRoute Error %s", logPrefix, text);
        close(CloseReason.PARSE_ERROR);
    }

    // ---------------------------------------------------------------- interest from the peer (event loop)

    @Override
    public void onRemoteSub(String origin, String account, String subject, String queue, int weight) {
        assert loop.inEventLoop() : "event loop only";
        if (log().isTrace()) {
            log().trace("%s<<- [%s%s %s%s]", logPrefix, origin == null ? "RS+ " : "LS+ " + origin + " ", account,
                    subject, queue == null ? "" : " " + queue + " " + weight);
        }
        String key = queue == null ? account + " " + subject : account + " " + subject + " " + queue;
        Subscription known = remoteSubs.get(key);
        if (known != null) {
            known.weight(weight); // a queue weight update: one member stands for the peer's group
            return;
        }
        if (!routes.canExport(subject)) {
            log().debug("%sCan not export \"%s\", ignoring remote subscription request", logPrefix, subject);
            return;
        }
        Account a = routes.accountForInterest(account);
        if (a == null) {
            log().error("%sUnknown account \"%s\" for remote subject \"%s\"", logPrefix, account, subject);
            return;
        }
        Subscription sub = Subscription.fromPeer(this, subject, queue, key, origin);
        sub.weight(weight);
        if (!a.subscribe(sub)) {
            log().error("%sCould not insert subscription: invalid subject \"%s\"", logPrefix, subject);
            return;
        }
        remoteSubs.put(key, sub);
        remoteSubCount = remoteSubs.size();
    }

    @Override
    public void onRemoteUnsub(String account, String subject, String queue) {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [RS- %s %s%s]", logPrefix, account, subject, queue == null ? "" : " " + queue);
        String key = queue == null ? account + " " + subject : account + " " + subject + " " + queue;
        Subscription sub = remoteSubs.remove(key);
        if (sub == null) {
            return;
        }
        remoteSubCount = remoteSubs.size();
        sub.close();
        Account a = routes.existingAccount(account);
        if (a != null) {
            a.unsubscribe(sub);
        }
    }

    // ---------------------------------------------------------------- messages from the peer (event loop)

    @Override
    public void onPublishArgs(String subject, int size) throws ProtocolException {
        throw ProtocolException.silent("PUB is not a route operation");
    }

    @Override
    public void onSub(String subject, String queue, String sid) throws ProtocolException {
        throw ProtocolException.silent("SUB is not a route operation");
    }

    @Override
    public void onUnsub(String sid, int max) throws ProtocolException {
        throw ProtocolException.silent("UNSUB is not a route operation");
    }

    /** An RMSG/HMSG: into its account, for local subscribers only. */
    @Override
    public void onPublish(InboundMessage m) {
        assert loop.inEventLoop() : "event loop only";
        countIn(m.totalLength);
        if (log().isTrace()) {
            log().trace("%s<<- [%s %s %s %s %d]", logPrefix, m.originCluster == null ? "RMSG" : "LMSG "
                    + m.originCluster, m.account, m.subject, m.reply() == null ? "" : m.reply(), m.totalLength);
        }
        Account a;
        if (m.account == lastReadName && lastReadAccount != null) {
            a = lastReadAccount;
        } else {
            a = routes.existingAccount(m.account);
            lastReadName = m.account;
            lastReadAccount = a;
        }
        if (a == null) {
            log().debug("%sUnknown account \"%s\" for routed message on subject: \"%s\"", logPrefix, m.account,
                    m.subject);
            return;
        }
        m.origin = ConnectionKind.ROUTER;
        a.publish(m, FlushBatch.current());
    }

    // ---------------------------------------------------------------- to the peer (any thread)

    @Override
    public boolean oncePerMessage() {
        return true;
    }

    @Override
    public boolean deliver(Subscription sub, InboundMessage msg, FlushBatch batch) {
        return deliverOnce(msg, List.of(), batch);
    }

    /** One RMSG for the peer, naming the queue groups it was picked for. Any thread. */
    @Override
    public boolean deliverOnce(InboundMessage m, List<String> queues, FlushBatch batch) {
        if (isClosed() || !registered) {
            return false;
        }
        String name = m.account == null ? Account.GLOBAL : m.account;
        AccountName last = lastWritten;
        byte[] account;
        if (last.name() == name) {
            account = last.bytes();
        } else {
            account = bytesOf(name);
            lastWritten = new AccountName(name, account);
        }
        // a leaf cluster's message names its cluster, so the peer does not hand it back there
        byte[] origin = m.originCluster != null && lnoc ? bytesOf(m.originCluster) : null;
        return forwardToPeer(m, origin, account, queues, headers, batch);
    }

    private byte[] bytesOf(String name) {
        return nameBytes.computeIfAbsent(name, n -> n.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code RS+}/{@code RS-} for this server's interest; {@code LS+ origin}/{@code LS-} when a
     * leaf of cluster {@code origin} made the change and the peer speaks lnoc. Any thread (under
     * the index's lock).
     */
    void sendInterest(String account, String subject, String queue, int weight, String origin) {
        if (!routes.canImport(subject)) {
            return; // import permissions: this interest stays on this side
        }
        boolean leafOrigin = origin != null && lnoc;
        StringBuilder sb = new StringBuilder(8 + account.length() + subject.length()
                + (queue == null ? 0 : queue.length() + 12) + (leafOrigin ? origin.length() + 1 : 0));
        if (leafOrigin) {
            sb.append(weight > 0 ? "LS+ " : "LS- ");
            if (weight > 0) {
                sb.append(origin).append(' ');
            }
        } else {
            sb.append(weight > 0 ? "RS+ " : "RS- ");
        }
        sb.append(account).append(' ').append(subject);
        if (queue != null) {
            sb.append(' ').append(queue);
            if (weight > 0) {
                sb.append(' ').append(weight);
            }
        }
        sb.append("\r\n");
        out.appendAndFlushSoon(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** An INFO for the peer (gossip about a new server). Any thread. */
    void sendInfo(byte[] line) {
        out.appendAndFlushSoon(line);
    }
}
