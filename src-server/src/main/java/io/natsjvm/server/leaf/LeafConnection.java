package io.natsjvm.server.leaf;

import io.natsjvm.server.config.TlsOptions;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.tls.PeerTls;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.AuthResult;
import io.natsjvm.server.auth.JwtLogin;
import io.natsjvm.server.auth.PermissionChecker;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.delivery.Subjects;
import io.natsjvm.server.delivery.Subscription;
import io.natsjvm.server.delivery.SubscriptionListener;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.protocol.Json;
import io.natsjvm.server.protocol.LeafConnect;
import io.natsjvm.server.protocol.LeafInfo;
import io.natsjvm.server.protocol.ProtocolErrors;
import io.natsjvm.server.protocol.ProtocolException;
import io.natsjvm.server.protocol.ProtocolHandler;
import io.natsjvm.server.protocol.ProtocolParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A leaf node connection, either side: on a hub it is a leaf that logged in (bound to one
 * account), on a leaf it is the connection to a remote hub (bound to the local account the remote
 * names). Speaks nats-server 2.9.10's leaf protocol: INFO (twice from the hub), CONNECT,
 * {@code LS+}/{@code LS-} with queue weights, {@code LMSG}/{@code HMSG}.
 *
 * <p>It forwards the account's whole interest (clients, routes, other leafs; not its own) and
 * takes one copy per message. The side that dialled a hub is the "spoke": what it learns from
 * the hub is not passed on to its own routes, as in the reference.
 *
 * <p>Threading: protocol handling on the connection's loop; interest updates arrive under the
 * account index's lock from any thread and only append to the outbound queue.
 */
public final class LeafConnection extends Connection
        implements ProtocolHandler, MessageTarget, SubscriptionListener {
    private final Leafs leafs;
    private final ProtocolParser parser;
    /** The remote this connection was dialled for, or null for a leaf that connected to us. */
    private final Leafs.RemoteState remote;
    /** Over WebSocket: any TLS was done before the upgrade, never after INFO. */
    private final boolean websocket;

    // ---- event loop only
    private String nonce;
    private boolean infoReceived;
    private boolean connectDone;
    private ScheduledFuture<?> authTimer;
    private final Map<String, Subscription> remoteSubs = new HashMap<>();
    /** Subjects of remoteSubs, readable from monitoring. */
    private final Set<String> subjects = ConcurrentHashMap.newKeySet();

    // ---- written on the loop, read anywhere
    private volatile Account account;
    private volatile boolean registered;
    private volatile boolean headers;
    private volatile boolean spoke;
    private volatile String remoteServer;
    private volatile String remoteCluster;
    private volatile int remoteSubCount;
    /** The JWT login of an accepted leaf (operator mode), or null. */
    private volatile JwtLogin jwt;
    private volatile String user;
    /** The leaf user's permissions (hub side; null when unrestricted): what it may send and receive. */
    private volatile PermissionChecker perms;
    /**
     * Subjects not to send to the peer (a remote's deny_exports, or the deny_pub a leaf asked for)
     * and not to take from it (a remote's deny_imports). Set once before registration.
     */
    private volatile List<String> denyOut = List.of();
    private volatile List<String> denyIn = List.of();

    /** Interest of the account as sent to the peer (guarded by the account index's lock). */
    private final Map<String, int[]> sent = new HashMap<>();

    private static ServerLog log() {
        return ServerLog.get();
    }

    LeafConnection(Leafs leafs, Channel channel, long cid, String ip, int port, Leafs.RemoteState remote,
            boolean websocket) {
        super(channel, cid, ConnectionKind.LEAF, ip, port, leafs.options().maxPending, leafs.options().writeDeadline);
        this.leafs = leafs;
        this.remote = remote;
        this.websocket = websocket;
        this.parser = new ProtocolParser(this, channel.alloc());
        this.spoke = remote != null && !remote.config.hub(); // a "hub" remote reverses the roles
    }

    // ---------------------------------------------------------------- state for other threads

    public boolean solicited() {
        return remote != null;
    }

    Leafs.RemoteState remoteState() {
        return remote;
    }

    public Account account() {
        return account;
    }

    public String remoteServer() {
        return remoteServer;
    }

    @Override
    public String remoteCluster() {
        return remoteCluster;
    }

    public int remoteSubscriptionCount() {
        return remoteSubCount;
    }

    /** The subjects the peer subscribed to here (LEAFZ subs). Any thread: a snapshot. */
    public List<String> remoteSubjects() {
        return List.copyOf(subjects);
    }

    public boolean isSpoke() {
        return spoke;
    }

    @Override
    public ConnectionKind kind() {
        return ConnectionKind.LEAF;
    }

    // ---------------------------------------------------------------- lifecycle (event loop)

    void handshake() {
        assert loop.inEventLoop() : "event loop only";
        if (remote == null) {
            nonce = leafs.newNonce();
            enqueue(leafs.info().forConnection(cid(), nonce).toLine());
            flushNow();
            PeerTls tls = websocket ? null : leafs.tls();
            if (tls == null) {
                startAuthTimer();
            } else {
                // INFO went out in plain text; now the leaf starts TLS, and the auth timer waits for it
                startTls(tls.serverHandler(channel.alloc()), this::startAuthTimer);
            }
        }
        log().info("%sLeafnode connection created%s", logPrefix,
                remote == null ? "" : " for account: " + Objects.requireNonNullElse(remote.accountName(), "$G"));
    }

    /** The hub's leaf URLs changed: an asynchronous INFO (hub side). Any thread. */
    void sendAsyncInfo(byte[] line) {
        loop.execute(() -> {
            if (!isClosed()) {
                enqueue(line);
                flushNow();
            }
        });
    }

    private void startAuthTimer() {
        authTimer = loop.schedule(() -> {
            if (!connectDone && !isClosed()) {
                closeWithError(ProtocolErrors.AUTHENTICATION_TIMEOUT, CloseReason.AUTHENTICATION_TIMEOUT);
            }
        }, leafs.options().leaf.authTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Puts TLS first in the pipeline and continues with {@code then} once the handshake is done. */
    private void startTls(SslHandler ssl, Runnable then) {
        channel.pipeline().addFirst(PipelineStages.TLS, ssl);
        onTlsHandshake(ssl, "leafnode ", session -> then.run());
    }

    /** The leafnodes block's pins, for accepted leafs and dialled hubs alike (as the reference). */
    @Override
    protected Set<String> pinnedCerts() {
        return TlsOptions.pinned(leafs.options().leaf.tls);
    }

    @Override
    protected void parse(ByteBuf data) throws ProtocolException {
        parser.feed(data);
    }

    @Override
    protected void protocolError(ProtocolException e) {
        log().error("%sLeafnode parser ERROR: %s", logPrefix, e.getMessage());
        closeFor(e);
    }

    @Override
    protected void internalError(RuntimeException e) {
        leafs.internalError(this, e);
    }

    @Override
    protected void slowConsumer(CloseReason reason) {
        peerSlowConsumer("leafnode", reason);
    }

    @Override
    protected void onClosed() {
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        parser.release();
        Account a = account;
        if (a != null) {
            a.subjects().removeSubscriptionListener(this);
            for (Subscription s : remoteSubs.values()) {
                s.close();
                a.unsubscribe(s);
            }
        }
        remoteSubs.clear();
        remoteSubCount = 0;
        log().info("%sLeafnode connection closed: %s%s", logPrefix, closeReason(),
                a == null ? "" : " - Account: " + a.name());
        leafs.closed(this, registered);
    }

    // ---------------------------------------------------------------- handshake (event loop)

    @Override
    public boolean awaitingConnect() {
        return remote == null && !connectDone;
    }

    @Override
    public int maxControlLine() {
        return leafs.options().maxControlLine;
    }

    @Override
    public boolean headersSupported() {
        return headers;
    }

    /** A leaf logs in to us (hub side). */
    @Override
    public void onConnect(String json) throws ProtocolException {
        assert loop.inEventLoop() : "event loop only";
        if (remote != null || connectDone) {
            return;
        }
        LeafConnect c;
        try {
            c = Json.MAPPER.readValue(json, LeafConnect.class);
        } catch (Exception e) {
            throw ProtocolException.silent("invalid leafnode CONNECT JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (c == null) {
            throw ProtocolException.silent("invalid leafnode CONNECT JSON: null");
        }
        if (c.lang() != null && !c.lang().isEmpty()) {
            closeWithError("attempted to connect to leaf node port", CloseReason.WRONG_PORT);
            return;
        }
        if (c.gateway() != null && !c.gateway().isEmpty()) {
            closeWithError("Rejecting connection from gateway \"" + c.gateway() + "\" on the leafnode port",
                    CloseReason.WRONG_PORT);
            return;
        }
        String ourCluster = leafs.clusterName();
        if (ourCluster != null && c.cluster() != null && c.cluster().equals(ourCluster)) {
            closeWithError("remote leafnode has same cluster name", CloseReason.CLUSTER_NAME_CONFLICT);
            return;
        }
        AuthResult auth = leafs.authenticate(c, nonce);
        if (auth.ok() && !auth.allows(websocket ? "LEAFNODE_WS" : "LEAFNODE")) {
            auth = AuthResult.failure("connection type not allowed for this user");
        }
        if (!auth.ok()) {
            log().error("%sauthentication error - %s", logPrefix, auth.failure());
            closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, CloseReason.AUTHENTICATION_VIOLATION);
            return;
        }
        Account a = leafs.account(auth.account());
        if (auth.jwt() != null) {
            leafs.accountClaims(a, auth.jwt().account());
        }
        long limit = a.limits().leaf();
        if (limit != -1 && a.leafs() >= limit) {
            log().error("%s%s", logPrefix, ProtocolErrors.MAX_ACCOUNT_CONNECTIONS);
            closeWithError(ProtocolErrors.MAX_ACCOUNT_CONNECTIONS, CloseReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
            return;
        }
        connectDone = true;
        jwt = auth.jwt();
        user = auth.user();
        Permissions p = auth.permissions();
        perms = p == null || p.isUnrestricted() ? null : new PermissionChecker(p);
        if (authTimer != null) {
            authTimer.cancel(false);
        }
        if (c.denyPub() != null) {
            denyOut = List.copyOf(c.denyPub());
        }
        headers = c.headers() && !leafs.options().noHeaderSupport;
        spoke = c.hub();
        remoteServer = c.name() != null ? c.name() : c.serverId();
        remoteCluster = nullIfEmpty(c.cluster());
        account = a;
        enqueue(leafs.info().accepted(cid(), a.name()).toLine());
        register(a);
    }

    /** The hub's INFO (leaf side): the first carries the nonce to sign, a later one accepts us. */
    @Override
    public void onInfo(String json) throws ProtocolException {
        assert loop.inEventLoop() : "event loop only";
        if (remote == null) {
            return;
        }
        LeafInfo info;
        try {
            info = Json.MAPPER.readValue(json, LeafInfo.class);
        } catch (Exception e) {
            throw ProtocolException.silent("invalid leafnode INFO JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (info == null) {
            return;
        }
        // every INFO from the hub may name its cluster's listeners: the ones to fail over to
        List<String> hubUrls = remote.config.websocket() ? info.wsConnectUrls() : info.leafnodeUrls();
        if (hubUrls != null && !hubUrls.isEmpty()) {
            remote.learn(hubUrls);
        }
        if (!infoReceived) {
            infoReceived = true;
            if (info.clientId() == 0 || info.leafnodeUrls() == null) {
                log().error("%sattempted to connect to the wrong port: not a leafnode port", logPrefix);
                close(CloseReason.WRONG_PORT);
                return;
            }
            headers = info.headers() && !leafs.options().noHeaderSupport;
            remoteServer = info.serverName() != null ? info.serverName() : info.serverId();
            remoteCluster = nullIfEmpty(info.cluster());
            if (!websocket && (remote.config.tlsConfigured() || info.tlsRequired())) {
                // as the reference: TLS when the remote is configured for it or the hub requires it
                URI url = remote.currentUrl();
                startTls(remote.tls.clientHandler(channel.alloc(), remote.tlsName(url), url.getPort()),
                        () -> sendConnect(info, true));
            } else {
                sendConnect(info, false);
            }
            return;
        }
        if (info.connectInfo() && !connectDone) {
            finishSolicited();
        }
    }

    private void sendConnect(LeafInfo info, boolean tls) {
        byte[] connect;
        try {
            connect = leafs.connectLine(remote, info.nonce(), headers, tls);
        } catch (RuntimeException e) {
            log().error("%s%s", logPrefix, e.getMessage());
            close(CloseReason.AUTHENTICATION_VIOLATION);
            return;
        }
        enqueue(connect);
        flushNow();
        if (!info.infoOnConnect()) {
            finishSolicited();
        }
    }

    private void finishSolicited() {
        connectDone = true;
        denyOut = remote.config.denyExports();
        denyIn = remote.config.denyImports();
        Account a = leafs.account(remote.accountName());
        account = a;
        register(a);
    }

    /** Bound to its account: the peer gets the account's interest, the server counts the leaf. */
    private void register(Account a) {
        registered = true;
        a.subjects().addSubscriptionListener(this);
        // loop detection: if this subject ever comes back to us over a leaf, the leafs form a cycle
        out.appendAndFlushSoon(("LS+ " + a.leafLoopSubject() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        startPingTimer(leafs.options().pingInterval, leafs.options().pingMax);
        leafs.registered(this);
        flushNow();
    }

    /** Our own loop detection subject came back: the leaf topology is a cycle. Event loop. */
    private void loopDetected(Account a) {
        String text = "Loop detected for leafnode account=\"" + a.name() + "\". Delaying attempt to reconnect for "
                + GoFormat.duration(Leafs.LOOP_DELAY.toNanos());
        log().error("%s%s", logPrefix, text);
        loopDelay = true;
        closeWithError(text, CloseReason.PROTOCOL_VIOLATION);
    }

    /** A loop was detected: a solicited leaf waits longer before dialling again. */
    boolean loopDelay() {
        return loopDelay;
    }

    private volatile boolean loopDelay;

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
        log().error("%sLeafnode Error %s", logPrefix, text);
        if (text.contains("Loop detected")) {
            loopDelay = true; // the hub saw our own loop subject come back
            close(CloseReason.PROTOCOL_VIOLATION);
        }
    }

    // ---------------------------------------------------------------- interest from the peer (event loop)

    @Override
    public void onRemoteSub(String noOrigin, String unusedAccount, String subject, String queue, int weight) {
        assert loop.inEventLoop() : "event loop only";
        Account a = account;
        if (a == null) {
            return;
        }
        String key = queue == null ? subject : subject + " " + queue;
        Subscription known = remoteSubs.get(key);
        if (known != null) {
            known.weight(weight); // a queue weight update: one member stands for the peer's group
            return;
        }
        if (denied(denyOut, subject)) {
            return; // the peer may not have these messages: its interest is not registered
        }
        if (subject.startsWith(Leafs.LDS_PREFIX) && subject.equals(a.leafLoopSubject())) {
            loopDetected(a);
            return;
        }
        PermissionChecker p = perms;
        if (p != null && !subject.startsWith(Leafs.LDS_PREFIX) && !p.canSubscribe(subject, queue)) {
            log().debug("%sNot permitted to subscribe to \"%s\" on behalf of the leaf user", logPrefix, subject);
            return;
        }
        // its cluster's other nodes must not get this interest (and so its messages) back from us
        Subscription sub = Subscription.fromPeer(this, subject, queue, key, remoteCluster);
        sub.weight(weight);
        if (!a.subscribe(sub)) {
            log().error("%sCould not insert subscription: invalid subject \"%s\"", logPrefix, subject);
            return;
        }
        remoteSubs.put(key, sub);
        subjects.add(subject);
        remoteSubCount = remoteSubs.size();
    }

    @Override
    public void onRemoteUnsub(String unusedAccount, String subject, String queue) {
        assert loop.inEventLoop() : "event loop only";
        String key = queue == null ? subject : subject + " " + queue;
        Subscription sub = remoteSubs.remove(key);
        if (sub == null) {
            return;
        }
        remoteSubCount = remoteSubs.size();
        subjects.remove(subject);
        sub.close();
        Account a = account;
        if (a != null) {
            a.unsubscribe(sub);
        }
    }

    @Override
    public void onPublishArgs(String subject, int size) throws ProtocolException {
        throw ProtocolException.silent("PUB is not a leafnode operation");
    }

    @Override
    public void onSub(String subject, String queue, String sid) throws ProtocolException {
        throw ProtocolException.silent("SUB is not a leafnode operation");
    }

    @Override
    public void onUnsub(String sid, int max) throws ProtocolException {
        throw ProtocolException.silent("UNSUB is not a leafnode operation");
    }

    /** An LMSG/HMSG: into the bound account. */
    @Override
    public void onPublish(InboundMessage m) {
        assert loop.inEventLoop() : "event loop only";
        countIn(m.totalLength);
        Account a = account;
        if (a == null) {
            return;
        }
        if (denied(denyIn, m.subject)) {
            return;
        }
        PermissionChecker p = perms;
        if (p != null && !p.canPublish(m.subject)) {
            log().error("%sPublish Violation - Leaf user %s, Subject \"%s\"", logPrefix, user, m.subject);
            return;
        }
        m.origin = ConnectionKind.LEAF;
        m.fromSpoke = spoke;
        m.originCluster = remoteCluster;
        // as the reference, the account's subject mappings apply to what a leaf sends too
        InboundMessage mapped = a.mappings() == null ? m : a.mapped(m, leafs.clusterName());
        if (mapped == null) {
            return;
        }
        try {
            a.publish(mapped, FlushBatch.current());
        } finally {
            if (mapped != m) {
                mapped.buf.release();
            }
        }
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** A deny list matches a subject (or, for interest, a wildcard subscription it covers). */
    private static boolean denied(List<String> deny, String subject) {
        if (deny.isEmpty()) {
            return false;
        }
        for (String d : deny) {
            if (Subjects.matches(d, subject) || d.equals(subject)) {
                return true;
            }
        }
        return false;
    }

    /** The JWT login of an accepted leaf, or null (account updates check revocations against it). */
    public JwtLogin jwtLogin() {
        return jwt;
    }

    /** The user the leaf logged in as (a user key in operator mode). */
    public String user() {
        return user;
    }

    // ---------------------------------------------------------------- to the peer (any thread)

    @Override
    public boolean oncePerMessage() {
        return true;
    }

    /** What the hub learns from a leaf reaches its routes; what a leaf learns from its hub does not. */
    @Override
    public boolean propagatesInterest() {
        return !spoke;
    }

    @Override
    public boolean takesRoutedMessages() {
        return !spoke;
    }

    @Override
    public boolean deliver(Subscription sub, InboundMessage msg, FlushBatch batch) {
        return deliverOnce(msg, List.of(), batch);
    }

    @Override
    public boolean deliverOnce(InboundMessage m, List<String> queues, FlushBatch batch) {
        if (isClosed() || !registered || denied(denyOut, m.subject)) {
            return false;
        }
        PermissionChecker p = perms;
        if (p != null && p.hasSubscribeDeny() && p.deliveryDenied(m.subject)) {
            return false;
        }
        return forwardToPeer(m, null, null, queues, headers, batch);
    }

    /**
     * Every subscription of the account, under its index's lock: counted per subject and queue
     * group (our own are not the peer's interest), LS+ on the first, LS- on the last, queue
     * weights on every change.
     */
    @Override
    public void subscriptionChanged(Subscription sub, int delta) {
        if (sub.target() == this || denied(denyIn, sub.subject()) || !sub.target().visible()) {
            // our own interest, subjects we do not import, or a local-only service (2.10's
            // USER.INFO, answered by the server the requester is on): not asked of the peer
            return;
        }
        String origin = sub.origin();
        if (origin != null && origin.equals(remoteCluster) && !sub.subject().startsWith(Leafs.LDS_PREFIX)) {
            return; // interest of the peer's own cluster: it has it over its routes (loop subjects excepted)
        }
        String key = sub.queue() == null ? sub.subject() : sub.subject() + " " + sub.queue();
        int[] n = sent.computeIfAbsent(key, k -> new int[1]);
        int before = n[0];
        n[0] = Math.max(0, before + delta);
        if (n[0] == 0) {
            sent.remove(key);
        }
        String line;
        if (sub.queue() == null) {
            if (before == 0 && n[0] > 0) {
                line = "LS+ " + sub.subject() + "\r\n";
            } else if (before > 0 && n[0] == 0) {
                line = "LS- " + sub.subject() + "\r\n";
            } else {
                return;
            }
        } else if (n[0] > 0) {
            line = "LS+ " + sub.subject() + " " + sub.queue() + " " + n[0] + "\r\n";
        } else {
            line = "LS- " + sub.subject() + " " + sub.queue() + "\r\n";
        }
        out.appendAndFlushSoon(line.getBytes(StandardCharsets.UTF_8));
    }
}
