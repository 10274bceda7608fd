package io.natsjvm.server.leaf;

import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.AuthResult;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.config.LeafOptions;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.connection.AdvertisedAddresses;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.connection.Sockets;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.tls.PeerTls;
import io.natsjvm.server.websocket.WebsocketDialer;
import io.natsjvm.server.websocket.WebsocketListener;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.ConnectOptions;
import io.natsjvm.server.protocol.LeafConnect;
import io.natsjvm.server.protocol.LeafInfo;
import io.natsjvm.server.protocol.ServerInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This server's leaf node side: the leafnode listener (hub role, with the leafnode authorization
 * or, without one, the clients' authenticator) and the remotes it dials as a leaf (retried every
 * {@code reconnect} for ever, cycling through a remote's URLs).
 */
public final class Leafs {

    /**
     * A remote and where its dialling stands. Besides its configured URLs it knows the ones the
     * hub cluster told it of (the hub's INFO {@code leafnode_urls}, or {@code ws_connect_urls} for
     * a websocket remote), tried first, as the reference's leafs do: when the node a leaf is
     * connected to goes, it dials another node of the hub cluster.
     */
    static final class RemoteState {
        final LeafOptions.Remote config;
        /** The TLS to dial it with when TLS is needed (its block, or the JDK's trusted CAs). */
        final PeerTls tls;
        /** Learned URLs first (not repeating configured ones), then the configured. Guarded by this. */
        private List<URI> urls;
        private URI current;

        RemoteState(LeafOptions.Remote config, PeerTls tls) {
            this.config = config;
            this.tls = tls;
            this.urls = new ArrayList<>(config.urls());
            if (!config.noRandomize()) {
                Collections.shuffle(urls); // spreads leafs over a hub cluster's nodes, as the reference
            }
        }

        /** The URL dialled last. */
        synchronized URI currentUrl() {
            return current != null ? current : urls.get(0);
        }

        String accountName() {
            return config.account();
        }

        /** The next URL to dial: the first, unless it was the last dialled (it goes to the back). */
        synchronized URI nextUrl() {
            if (current != null && urls.size() > 1 && sameAddress(current, urls.get(0))) {
                urls.add(urls.remove(0));
            }
            current = urls.get(0);
            return current;
        }

        /** The hub cluster's listeners ({@code host:port}), as its INFO names them. */
        synchronized void learn(List<String> hostPorts) {
            String scheme = config.websocket() ? (config.tlsConfigured() ? "wss" : "ws") : "nats-leaf";
            List<URI> next = new ArrayList<>();
            for (String hp : hostPorts) {
                URI u;
                try {
                    u = new URI(scheme + "://" + hp);
                } catch (URISyntaxException e) {
                    continue;
                }
                if (u.getHost() != null && config.urls().stream().noneMatch(c -> sameAddress(c, u))) {
                    next.add(u);
                }
            }
            next.addAll(config.urls());
            urls = next;
        }

        synchronized List<URI> urls() {
            return List.copyOf(urls);
        }

        /**
         * The user and password to log in with: the dialled URL's, or for a learned URL (which
         * never carries any) the first configured URL's.
         */
        synchronized String userInfo() {
            URI u = currentUrl();
            if (u.getUserInfo() != null) {
                return u.getUserInfo();
            }
            return config.urls().stream().map(URI::getUserInfo).filter(Objects::nonNull).findFirst().orElse(null);
        }

        /**
         * The name to verify the hub's certificate against: the dialled host when it is a name;
         * for an IP address (learned URLs usually are) the first configured host name, if any.
         */
        String tlsName(URI dialled) {
            if (!isIpLiteral(dialled.getHost())) {
                return dialled.getHost();
            }
            for (URI c : config.urls()) {
                if (c.getHost() != null && !isIpLiteral(c.getHost())) {
                    return c.getHost();
                }
            }
            return dialled.getHost();
        }

        private static boolean isIpLiteral(String host) {
            return host.startsWith("[") || host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.');
        }

        private static boolean sameAddress(URI a, URI b) {
            return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
        }
    }

    /** Loop detection subjects: {@code $LDS.<random>} per account, as the reference's. */
    static final String LDS_PREFIX = "$LDS.";
    /** How long a leaf waits before dialling again after a loop was detected (the reference's 30 s). */
    static final Duration LOOP_DELAY = Duration.ofSeconds(30);

    private final LeafHost host;
    private final SecureRandom random = new SecureRandom();
    private final Set<LeafConnection> all = ConcurrentHashMap.newKeySet();
    private final Set<LeafConnection> registered = ConcurrentHashMap.newKeySet();
    private Channel listener;
    private EventLoopGroup group;
    private ChannelFactory<? extends Channel> clientChannels;
    private volatile LeafInfo info;
    /** This listener's own {@code host:port} as leafs are told it. */
    private volatile String advertised;
    private volatile boolean shuttingDown;

    private static ServerLog log() {
        return ServerLog.get();
    }

    /** The listener's TLS (INFO first, then the handshake), or null. */
    private final PeerTls tls;
    private final Map<LeafOptions.Remote, PeerTls> remoteTls = new HashMap<>();

    /** @throws IllegalArgumentException when a {@code tls {}} block's files cannot be used */
    public Leafs(LeafHost host) {
        this.host = host;
        LeafOptions lo = host.options().leaf;
        try {
            this.tls = lo.tls == null ? null : PeerTls.of(lo.tls, false);
            for (LeafOptions.Remote r : lo.remotes) {
                remoteTls.put(r, r.tls() == null ? PeerTls.defaults() : PeerTls.of(r.tls(), false));
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException("leafnodes: " + e.getMessage(), e);
        }
    }

    PeerTls tls() {
        return tls;
    }

    ServerOptions options() {
        return host.options();
    }

    String clusterName() {
        return host.clusterName();
    }

    LeafInfo info() {
        return info;
    }

    /** Leaf connections bound to their account (LEAFZ). */
    public List<LeafConnection> leafs() {
        return List.copyOf(registered);
    }

    public int port() {
        return listener == null ? 0 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Binds the leafnode listener (when configured); called before the client port binds. */
    public void start(EventLoopGroup loops, ChannelFactory<? extends ServerChannel> servers,
            ChannelFactory<? extends Channel> clients) {
        this.group = loops;
        this.clientChannels = clients;
        LeafOptions lo = host.options().leaf;
        if (!lo.listens()) {
            return;
        }
        ServerBootstrap b = Sockets.listener(loops, loops, servers, 128, host.options().maxPending)
                .childHandler(new PipelineStages(null, ch -> open(ch, null, false)));
        try {
            listener = b.bind(lo.host, Math.max(lo.port, 0)).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("Error listening on leafnode port: " + lo.port + " - " + e.getMessage(), e);
        }
        advertised = AdvertisedAddresses.first(lo.advertise, lo.host, port());
        ServerOptions o = host.options();
        info = new LeafInfo(host.serverId(), host.serverName(), ServerInfo.VERSION, 1,
                "java" + Runtime.version().feature(), lo.host, port(), !o.noHeaderSupport, true, tls != null,
                tls != null && lo.tls.verify, o.maxPayload, 0, null,
                host.clusterName(), null, true, false, lo.noAdvertise ? List.of() : List.of(advertised), null);
        log().info("Listening for leafnode connections on %s", hostPort(lo.host, port()));
    }

    private static String hostPort(String h, int p) {
        return AdvertisedAddresses.hostPort(h, p);
    }

    /** This hub's leafnode listener as its routes advertise it, or null (none, or no_advertise). */
    public String advertisedUrl() {
        return listener == null || host.options().leaf.noAdvertise ? null : advertised;
    }

    /**
     * The other hub nodes' leafnode (and websocket) listeners changed: the INFO new leafs get names
     * them after this node's own, and every leaf connected here gets it now as an asynchronous
     * INFO, so it can fail over to them (as the reference's leafs do). Any thread.
     */
    public synchronized void peerUrlsChanged(List<String> leafUrls, List<String> websocketUrls) {
        LeafInfo current = info;
        if (current == null || host.options().leaf.noAdvertise) {
            return;
        }
        List<String> urls = new ArrayList<>();
        urls.add(advertised);
        for (String u : leafUrls) {
            if (!urls.contains(u)) {
                urls.add(u);
            }
        }
        LeafInfo changed = current.withUrls(urls, websocketUrls);
        info = changed;
        byte[] line = changed.toLine();
        for (LeafConnection c : registered) {
            if (!c.solicited()) {
                c.sendAsyncInfo(line);
            }
        }
    }

    /** Dials every remote. Called once the server accepts clients. */
    public void solicit() {
        for (LeafOptions.Remote r : host.options().leaf.remotes) {
            dial(new RemoteState(r, remoteTls.get(r)));
        }
    }

    /**
     * A leaf that connected to the websocket listener at {@code /leafnode}, upgraded, on its loop:
     * from here as any accepted leaf (its TLS, if any, was the websocket listener's).
     */
    public LeafConnection acceptWebsocket(Channel ch) {
        return open(ch, null, true);
    }

    private LeafConnection open(Channel ch, RemoteState remote, boolean websocket) {
        InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
        LeafConnection c = new LeafConnection(this, ch, host.nextCid(), peer.getAddress().getHostAddress(),
                peer.getPort(), remote, websocket);
        if (shuttingDown) {
            ch.close();
            return c;
        }
        all.add(c);
        c.handshake();
        return c;
    }

    private void dial(RemoteState remote) {
        if (shuttingDown) {
            return;
        }
        URI url = remote.nextUrl();
        Bootstrap b = Sockets.dialer(group, clientChannels, 1000, host.options().maxPending);
        LeafOptions.Remote config = remote.config;
        if (config.websocket()) {
            // HTTP upgrade first (after TLS for wss), then the leaf protocol in frames
            b.handler(WebsocketDialer.pipeline(url,
                    config.tlsConfigured() ? ch -> remote.tls.clientHandler(ch.alloc(), remote.tlsName(url), url.getPort())
                            : null,
                    config.wsCompression(), config.wsNoMasking(), WebsocketListener.maxFrame(host.options().maxPayload),
                    ch -> open(ch, remote, true), () -> redial(remote)));
        } else {
            b.handler(new PipelineStages(null, ch -> open(ch, remote, false)));
        }
        b.connect(url.getHost(), url.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
                log().debug("Error trying to connect as leafnode to remote server %s: %s",
                        hostPort(url.getHost(), url.getPort()), f.cause().getMessage());
                redial(remote);
            }
        });
    }

    private void redial(RemoteState remote) {
        if (!shuttingDown) {
            group.schedule(() -> dial(remote), host.options().leaf.reconnect.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    String newNonce() {
        byte[] raw = new byte[11];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The leaf's CONNECT: a .creds file's JWT with the nonce signed, or the URL's user and password. */
    byte[] connectLine(RemoteState remote, String nonce, boolean headers, boolean tlsRequired) {
        String jwt = null;
        String sig = null;
        String user = null;
        String pass = null;
        if (remote.config.credentials() != null) {
            try {
                List<String> blocks = credsBlocks(Files.readAllLines(Path.of(remote.config.credentials()),
                        StandardCharsets.UTF_8));
                if (blocks.size() < 2) {
                    throw new IllegalStateException("Credentials file malformed");
                }
                jwt = blocks.get(0);
                NKeyPair kp = NKeyPair.fromSeed(blocks.get(1));
                sig = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        kp.sign((nonce == null ? "" : nonce).getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read credentials " + remote.config.credentials() + ": "
                        + e.getMessage(), e);
            }
        } else {
            String userInfo = remote.userInfo();
            if (userInfo != null) {
                String[] up = userInfo.split(":", 2);
                user = up[0];
                pass = up.length > 1 ? up[1] : null;
            }
        }
        List<String> deny = remote.config.denyImports().isEmpty() ? null : remote.config.denyImports();
        return new LeafConnect(ServerInfo.VERSION, jwt, sig, user, pass, tlsRequired, host.serverId(), host.serverName(),
                remote.config.hub(), host.clusterName(), headers, deny, null, null).toLine();
    }

    /** The first line inside each {@code -----BEGIN ...-----} block of a .creds file: the JWT, then the seed. */
    private static List<String> credsBlocks(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.startsWith("---") && l.contains("BEGIN")) {
                for (int j = i + 1; j < lines.size(); j++) {
                    String v = lines.get(j).trim();
                    if (!v.isEmpty()) {
                        out.add(v);
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * A leaf's login (hub side), as the reference decides it: the leafnode authorization's user
     * or users (each bound to an account), or without them whatever a client would log in as.
     */
    AuthResult authenticate(LeafConnect c, String nonce) {
        LeafOptions lo = host.options().leaf;
        if (lo.user != null) {
            return lo.user.equals(c.user()) && Objects.equals(lo.password, c.pass())
                    ? AuthResult.success(lo.account, lo.user, Permissions.NONE)
                    : AuthResult.failure("leafnode user/password mismatch");
        }
        if (!lo.users.isEmpty()) {
            for (LeafOptions.User u : lo.users) {
                if (u.user() != null && u.user().equals(c.user())) {
                    return Objects.equals(u.password(), c.pass())
                            ? AuthResult.success(u.account(), u.user(), Permissions.NONE)
                            : AuthResult.failure("leafnode user/password mismatch");
                }
            }
            return AuthResult.failure("leafnode user unknown");
        }
        ConnectOptions asClient = new ConnectOptions(false, false, false, null, c.user(), c.pass(), c.name(), null,
                c.version(), 1, true, c.headers(), false, null, c.sig(), c.jwt(), null, false);
        return host.authenticator().authenticate(asClient, nonce);
    }

    Account account(String name) {
        return host.account(name);
    }

    void accountClaims(Account a, AccountClaims claims) {
        host.accountClaims(a, claims);
    }

    void registered(LeafConnection c) {
        registered.add(c);
        host.leafChanged(c, true);
    }

    /** A leaf connection closed: forgotten, and a remote dialled again. */
    void closed(LeafConnection c, boolean wasRegistered) {
        all.remove(c);
        if (registered.remove(c) && wasRegistered) {
            host.leafChanged(c, false);
        }
        if (c.solicited() && !shuttingDown) {
            if (c.loopDelay()) {
                RemoteState r = remoteOf(c);
                group.schedule(() -> dial(r), LOOP_DELAY.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                redial(remoteOf(c));
            }
        }
    }

    private RemoteState remoteOf(LeafConnection c) {
        return c.remoteState();
    }

    void internalError(LeafConnection c, Throwable t) {
        host.internalError(c, t);
    }

    public void shutdown() {
        shuttingDown = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (LeafConnection c : List.copyOf(all)) {
            c.close(CloseReason.SERVER_SHUTDOWN);
        }
    }
}
