package io.natsjvm.server.route;

import io.natsjvm.server.account.Account;
import io.natsjvm.server.config.ClusterOptions;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.connection.AdvertisedAddresses;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.connection.Sockets;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.tls.PeerTls;
import io.natsjvm.server.auth.PermissionChecker;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.auth.SubjectPermission;
import io.netty.handler.ssl.SslHandler;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.RouteConnect;
import io.natsjvm.server.protocol.RouteInfo;
import io.natsjvm.server.protocol.ServerInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * This server's side of the cluster: the route listener, the routes it dials (explicit ones
 * retried for ever, gossiped ones {@code connect_retries} times), the registry of routes by peer
 * server id (one route per peer: a duplicate is closed), interest propagation (every account's
 * first and last interest becomes {@code RS+}/{@code RS-} on every route, and a new route gets
 * the full interest of every account), gossip of new servers to known peers, and the cluster's
 * client connect URLs.
 *
 * <p>Threading: registration and removal are serialised on this object; interest updates come
 * from any thread under the changed account's index lock and only append to route queues.
 */
public final class Routes {
    private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int DIAL_TIMEOUT_MS = 1000;

    private final RouteHost host;
    /** The cluster block the listener was built from (its address and name never reload). */
    private final ClusterOptions listening;
    private final SecureRandom random = new SecureRandom();
    private final boolean dynamicName;
    /** {@code cluster { tls {} }}: the handshake comes first, both sides present certificates; null: plain. */
    private final PeerTls tls;
    /** {@code cluster { permissions }}: import as publish, export as subscribe; null: none. */
    private final PermissionChecker permissions;
    private volatile String clusterName;

    private final Map<String, RouteConnection> byRemoteId = new ConcurrentHashMap<>();
    private final List<RouteConnection> registered = new CopyOnWriteArrayList<>();
    private final Set<RouteConnection> all = ConcurrentHashMap.newKeySet();
    /** Client URLs of the other servers, counted (two routes may report the same server). */
    /** What NATS clients and websocket clients are told of the cluster (connect_urls). */
    private final ConnectUrls clientUrls = new ConnectUrls();
    private final ConnectUrls websocketUrls = new ConnectUrls();
    /** The peers' leafnode listeners (their route INFO's leafnode_urls). */
    private final ConnectUrls leafUrls = new ConnectUrls();

    private volatile RouteInfo info;
    private Channel listener;
    private EventLoopGroup group;
    private ChannelFactory<? extends Channel> clientChannels;
    private volatile boolean shuttingDown;

    private static ServerLog log() {
        return ServerLog.get();
    }

    public Routes(RouteHost host) {
        this.host = host;
        this.listening = host.options().cluster;
        this.permissions = listening.permissions == null ? null : new PermissionChecker(listening.permissions);
        try {
            this.tls = listening.tls == null ? null : PeerTls.of(listening.tls, true);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("cluster: " + e.getMessage(), e);
        }
        this.dynamicName = listening.name == null || listening.name.isEmpty();
        this.clusterName = dynamicName ? generatedName() : listening.name;
    }

    /** A dynamic cluster name: 22 random base-62 characters, as a NUID looks. */
    private String generatedName() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    ServerOptions options() {
        return host.options();
    }

    /** The cluster options in force (routes, credentials and no_advertise reload). */
    private ClusterOptions cluster() {
        return host.options().cluster;
    }

    public String clusterName() {
        return clusterName;
    }

    public boolean dynamicName() {
        return dynamicName;
    }

    String serverId() {
        return host.serverId();
    }

    String serverName() {
        return host.serverName();
    }

    /** Registered routes (monitoring, ROUTEZ). */
    public List<RouteConnection> routes() {
        return List.copyOf(registered);
    }

    /** The bound route port. */
    public int port() {
        return listener == null ? 0 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Binds the route listener and attaches interest propagation to every account. Called while
     * the server is built, before the client port binds; {@link #solicit} starts dialling later.
     */
    public void start(EventLoopGroup acceptors, EventLoopGroup loops, ChannelFactory<? extends ServerChannel> servers,
            ChannelFactory<? extends Channel> clients) throws InterruptedException {
        this.group = loops;
        this.clientChannels = clients;
        log().info("Cluster name is %s", clusterName);
        if (dynamicName) {
            log().warn("Cluster name was dynamically generated, consider setting one");
        }
        host.accounts().forEachAccount(this::propagateInterest);
        ServerOptions opts = host.options();
        ServerBootstrap b = Sockets.listener(acceptors, loops, servers, 128, opts.maxPending)
                .childHandler(new PipelineStages(tls == null ? null
                        : () -> tls.serverHandler(PooledByteBufAllocator.DEFAULT), this::accept));
        try {
            listener = b.bind(listening.host, Math.max(listening.port, 0)).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("Error listening on router port: " + listening.port + " - " + e.getMessage(), e);
        }
        clientUrls.own(AdvertisedAddresses.of(opts.clientAdvertise, opts.host, host.clientPort()));
        if (opts.websocket.enabled()) {
            websocketUrls.own(AdvertisedAddresses.of(opts.websocket.advertise, opts.websocket.host, host.websocketPort()));
        }
        info = ownInfo(opts);
        log().info("Listening for route connections on %s", RouteConnection.hostPort(listening.host, port()));
    }

    private RouteInfo ownInfo(ServerOptions opts) {
        String h = listening.host;
        int p = port();
        String ip = null;
        if (cluster().advertise != null && !cluster().advertise.isEmpty()) {
            URI adv = URI.create("nats-route://" + cluster().advertise);
            h = adv.getHost();
            p = adv.getPort() > 0 ? adv.getPort() : p;
            ip = "nats-route://" + RouteConnection.hostPort(h, p) + "/";
        }
        return new RouteInfo(host.serverId(), host.serverName(), ServerInfo.VERSION, RouteInfo.ROUTE_PROTO,
                "java" + Runtime.version().feature(), h, p, !opts.noHeaderSupport, cluster().user != null, tls != null, tls != null,
                opts.maxPayload, false, ip, null, clusterName, dynamicName,
                cluster().noAdvertise ? null : clientUrls.own(), cluster().noAdvertise ? null : websocketUrls.own(), false, permission(true), permission(false), true,
                host.leafnodeUrl() == null ? null : List.of(host.leafnodeUrl()));
    }

    /** The import (or export) permission as route INFO announces it, or null without one. */
    private RouteInfo.Permission permission(boolean importSide) {
        Permissions p = cluster().permissions;
        SubjectPermission sp = p == null ? null : importSide ? p.publish() : p.subscribe();
        return sp == null || sp.isEmpty() ? null : new RouteInfo.Permission(sp.allow(), sp.deny());
    }

    /** Import: whether this server's interest in {@code subject} is told to its routes. */
    boolean canImport(String subject) {
        return permissions == null || permissions.canPublish(subject);
    }

    /** Export: whether a route's interest in {@code subject} is accepted (messages go there). */
    boolean canExport(String subject) {
        return permissions == null || permissions.canSubscribe(subject, null);
    }

    /** Dials the configured routes. Called once the server accepts clients. */
    public void solicit() {
        for (URI u : cluster().routes) {
            dial(u, true, 0);
        }
    }

    /** The INFO a new route gets from us: our current one with a fresh nonce. */
    byte[] infoLine() {
        byte[] raw = new byte[11];
        random.nextBytes(raw);
        return info.withNonce(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)).toLine(true);
    }

    /** The CONNECT for a route we dialled: the URL's credentials, else the cluster's own. */
    byte[] connectLine(URI url) {
        String user = null;
        String pass = null;
        if (url.getUserInfo() != null) {
            String[] up = url.getUserInfo().split(":", 2);
            user = up[0];
            pass = up.length > 1 ? up[1] : null;
        }
        return new RouteConnect(true, false, false, user, pass, tls != null, !options().noHeaderSupport,
                host.serverId(), clusterName,
                dynamicName, true, null, null).toLine();
    }

    /** An accepted route's CONNECT carries the cluster's credentials when the cluster requires them. */
    boolean authorized(RouteConnect c) {
        if (cluster().user == null) {
            return true;
        }
        return cluster().user.equals(c.user()) && Objects.equals(cluster().password, c.pass());
    }

    /**
     * The reference's cluster name rules: equal names meet; a dynamic (generated) name gives way
     * to a configured or greater one, dropping the routes it had.
     */
    synchronized boolean clusterNameAccepted(String theirs, boolean theirsDynamic, RouteConnection via) {
        if (theirs == null || theirs.isEmpty() || theirs.equals(clusterName)) {
            return true;
        }
        if (dynamicName && (!theirsDynamic || clusterName.compareTo(theirs) < 0)) {
            clusterName = theirs;
            info = info.withCluster(theirs, theirsDynamic);
            for (RouteConnection r : List.copyOf(all)) {
                if (r != via) {
                    r.close(CloseReason.CLUSTER_NAME_CONFLICT);
                }
            }
            urlsChanged();
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- connections

    private RouteConnection accept(Channel ch) {
        return open(ch, null, false);
    }

    private RouteConnection open(Channel ch, URI url, boolean explicit) {
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        RouteConnection r = new RouteConnection(this, ch, host.nextCid(), remote.getAddress().getHostAddress(),
                remote.getPort(), url, explicit);
        if (shuttingDown) {
            ch.close();
            return r;
        }
        all.add(r);
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null) {
            r.handshake();
            return r;
        }
        r.handshakeAfterTls(ssl); // INFO and CONNECT once TLS is up, as the reference
        return r;
    }

    /** Dials a route; explicit ones are retried for ever, implicit ones connect_retries times. */
    private void dial(URI url, boolean explicit, int attempt) {
        if (shuttingDown) {
            return;
        }
        Bootstrap b = Sockets.dialer(group, clientChannels, DIAL_TIMEOUT_MS, host.options().maxPending)
                .handler(new PipelineStages(tls == null ? null
                        : () -> tls.clientHandler(PooledByteBufAllocator.DEFAULT, url.getHost(), url.getPort()),
                        ch -> open(ch, url, explicit)));
        log().debug("Trying to connect to route on %s", RouteConnection.hostPort(url.getHost(), url.getPort()));
        b.connect(url.getHost(), url.getPort()).addListener(f -> {
            if (f.isSuccess()) {
                return;
            }
            int attempts = attempt + 1;
            if (attempts == 1 || attempts % 60 == 0) {
                log().error("Error trying to connect to route (attempt %d): %s", attempts, f.cause().getMessage());
            } else {
                log().debug("Error trying to connect to route (attempt %d): %s", attempts, f.cause().getMessage());
            }
            if (!explicit && (cluster().connectRetries <= 0 || attempts > cluster().connectRetries)) {
                return;
            }
            group.schedule(() -> dial(url, explicit, attempts), RECONNECT_NANOS, TimeUnit.NANOSECONDS);
        });
    }

    /**
     * A route's peer sent its INFO: registered unless we already have a route to that server.
     * The new route gets every account's interest, known peers hear of the new server, and the
     * cluster's client URLs grow. Route's loop.
     */
    synchronized boolean register(RouteConnection r, RouteInfo peer) {
        if (shuttingDown || byRemoteId.containsKey(peer.serverId())) {
            return false;
        }
        byRemoteId.put(peer.serverId(), r);
        registered.add(r);
        // after joining the list (later changes reach it), replay what there is (under each index lock)
        for (Account a : host.accounts().all()) {
            a.subjects().replayInterest((subject, queue, weight, origin) -> r.sendInterest(a.name(), subject, queue, weight,
                    origin));
        }
        if (registered.size() > 1) {
            RouteInfo gossip = peer.withNonce(null);
            if (gossip.ip() == null || gossip.ip().isEmpty()) {
                gossip = gossip.withIp("nats-route://" + RouteConnection.hostPort(r.remoteIp(), peer.port()) + "/");
            }
            byte[] line = gossip.toLine(false);
            for (RouteConnection other : registered) {
                if (other != r) {
                    other.sendInfo(line);
                }
            }
        }
        List<String> websocketsBefore = websocketUrls.remote();
        boolean peerUrls = !cluster().noAdvertise && (notEmpty(peer.connectUrls()) || notEmpty(peer.wsConnectUrls()));
        if (peerUrls) {
            clientUrls.add(peer.connectUrls());
            websocketUrls.add(peer.wsConnectUrls());
        }
        boolean leafUrlsChanged = leafUrls.add(peer.leafnodeUrls());
        if (peerUrls || registered.size() == 1) {
            urlsChanged(); // the first route also brings the cluster's name into client INFO
        }
        if (leafUrlsChanged || !websocketsBefore.equals(websocketUrls.remote())) {
            host.peerLeafUrlsChanged(leafUrls.remote(), websocketUrls.remote());
        }
        return true;
    }

    /** A gossiped server we have no route to: dial it (unless it is configured: that dial runs already). */
    synchronized void implicitRoute(RouteInfo peer) {
        if (shuttingDown || peer.serverId().equals(host.serverId()) || byRemoteId.containsKey(peer.serverId())) {
            return;
        }
        String hp = RouteConnection.hostPort(peer.host(), peer.port()).toLowerCase();
        for (URI u : cluster().routes) {
            if (RouteConnection.hostPort(u.getHost(), u.getPort()).toLowerCase().equals(hp)) {
                return;
            }
        }
        if (peer.ip() == null || peer.ip().isEmpty()) {
            return;
        }
        URI u = URI.create(peer.ip());
        if (peer.authRequired() && cluster().user != null) {
            u = URI.create("nats-route://" + cluster().user + ":" + cluster().password + "@"
                    + RouteConnection.hostPort(u.getHost(), u.getPort()) + "/");
        }
        dial(u, false, 0);
    }

    /** The peer is in lame duck mode: its client URLs are no longer offered. */
    synchronized void peerLeaving(RouteConnection r) {
        if (r.markLeaving() && dropClientUrls(r)) {
            urlsChanged();
        }
    }

    private boolean dropClientUrls(RouteConnection r) {
        RouteInfo peer = r.remoteInfo();
        if (peer == null || cluster().noAdvertise) {
            return false;
        }
        boolean clients = clientUrls.remove(peer.connectUrls());
        return websocketUrls.remove(peer.wsConnectUrls()) | clients;
    }

    private static boolean notEmpty(List<String> l) {
        return l != null && !l.isEmpty();
    }

    /** Clients hear of the cluster's URLs as they now stand. */
    private void urlsChanged() {
        host.clientUrlsChanged(clusterName, clientUrls(), websocketUrls());
    }

    /** A route closed: forget it, and dial again if it was ours to dial and the peer is not reachable otherwise. */
    synchronized void closed(RouteConnection r) {
        all.remove(r);
        boolean wasRegistered = registered.remove(r);
        String id = r.remoteId();
        if (id != null && byRemoteId.get(id) == r) {
            byRemoteId.remove(id);
        }
        List<String> websocketsBefore = websocketUrls.remote();
        // shutting down: clients and leafs are not told (they would forget the other nodes just
        // before they need them), as the reference keeps quiet then
        if (wasRegistered && r.markLeaving() && dropClientUrls(r) && !shuttingDown) {
            urlsChanged();
        }
        // a peer's leafnode listener goes with its route (a lame duck peer's stays until then)
        boolean leafsGone = wasRegistered && r.remoteInfo() != null && leafUrls.remove(r.remoteInfo().leafnodeUrls());
        if (!shuttingDown && (leafsGone || !websocketsBefore.equals(websocketUrls.remote()))) {
            host.peerLeafUrlsChanged(leafUrls.remote(), websocketUrls.remote());
        }
        if (shuttingDown || !r.solicited()) {
            return;
        }
        if (id != null && (byRemoteId.containsKey(id) || id.equals(host.serverId()))) {
            return; // connected to that server another way (or it was us)
        }
        URI u = r.url();
        boolean stillConfigured = !r.explicit() || cluster().routes.contains(u);
        if (stillConfigured) {
            long delay = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(100))
                    + (r.explicit() ? RECONNECT_NANOS : 0);
            group.schedule(() -> dial(u, r.explicit(), 0), delay, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A config reload changed the routes: new ones are dialled, removed ones closed (and not
     * dialled again: {@link #closed} checks the routes in force).
     */
    public void reloaded(List<URI> before) {
        List<URI> now = cluster().routes;
        for (URI u : now) {
            if (!before.contains(u)) {
                dial(u, true, 0);
            }
        }
        for (URI gone : before) {
            if (!now.contains(gone)) {
                for (RouteConnection r : List.copyOf(all)) {
                    if (gone.equals(r.url())) {
                        log().info("Removed route %s", gone);
                        r.close(CloseReason.ROUTE_REMOVED);
                    }
                }
            }
        }
        info = ownInfo(host.options());
    }

    // ---------------------------------------------------------------- interest and accounts

    /** Every change of an account's interest goes to every registered route. */
    private void propagateInterest(Account a) {
        String name = a.name();
        a.addInterestListener((subject, queue, weight, origin) -> {
            for (RouteConnection r : registered) {
                r.sendInterest(name, subject, queue, weight, origin);
            }
        });
    }

    Account accountForInterest(String name) {
        return host.accountForRoute(name);
    }

    Account existingAccount(String name) {
        return name == null ? host.accounts().global() : host.accounts().get(name);
    }

    void internalError(RouteConnection r, Throwable t) {
        host.internalError(r, t);
    }

    // ---------------------------------------------------------------- client URLs

    /** This server's client URLs first, then the other servers' (as the reference lists them). */
    /** What NATS clients' INFO names as connect_urls (VARZ too). */
    public synchronized List<String> clientUrls() {
        return clientUrls.list();
    }

    /** What websocket clients' INFO names as connect_urls (VARZ ws_connect_urls). */
    public synchronized List<String> websocketUrls() {
        return websocketUrls.list();
    }

    /**
     * Lame duck mode: every peer gets our INFO with {@code "ldm":true}, as the reference sends it
     * (still naming our client URLs, so the peers withdraw them); from then on our own clients
     * are offered only the other servers.
     */
    public void lameDuck() {
        RouteInfo ldm = info.withLameDuck();
        info = ldm;
        byte[] line = ldm.toLine(false);
        for (RouteConnection r : registered) {
            r.sendInfo(line);
        }
        synchronized (this) {
            clientUrls.own(List.of());
            websocketUrls.own(List.of());
        }
    }

    // ---------------------------------------------------------------- shutdown

    /** Stops accepting and dialling and closes every route. */
    public void shutdown() {
        synchronized (this) {
            shuttingDown = true;
        }
        if (listener != null) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (RouteConnection r : List.copyOf(all)) {
            r.close(CloseReason.SERVER_SHUTDOWN);
        }
    }

    /** Every route connection, registered or still in its handshake. */
    Collection<RouteConnection> allConnections() {
        return all;
    }

    /** Whether {@code r} dials a route of the configuration (ROUTEZ is_configured). */
    public boolean configured(RouteConnection r) {
        return r.solicited() && r.explicit();
    }

    /** The configured routes as host:port (VARZ cluster.urls). */
    public List<String> configuredUrls() {
        List<String> urls = new ArrayList<>();
        for (URI u : cluster().routes) {
            urls.add(RouteConnection.hostPort(u.getHost(), u.getPort()));
        }
        return urls;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
