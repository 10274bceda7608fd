package io.natsjvm.server.leaf;

import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.AuthResult;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.config.LeafOptions;
import io.natsjvm.server.config.ServerOptions;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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

    /** A remote and where its dialling stands. */
    static final class RemoteState {
        final LeafOptions.Remote config;
        /** The TLS to dial it with when TLS is needed (its block, or the JDK's trusted CAs). */
        final PeerTls tls;
        int next;

        RemoteState(LeafOptions.Remote config, PeerTls tls) {
            this.config = config;
            this.tls = tls;
        }

        /** The URL dialled last. */
        URI currentUrl() {
            return config.urls().get((next - 1 + config.urls().size()) % config.urls().size());
        }

        String accountName() {
            return config.account();
        }

        URI nextUrl() {
            URI u = config.urls().get(next % config.urls().size());
            next++;
            return u;
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
        String advertised = lo.advertise != null ? lo.advertise : hostPort(lo.host, port());
        ServerOptions o = host.options();
        info = new LeafInfo(host.serverId(), host.serverName(), ServerInfo.VERSION, 1,
                "java" + Runtime.version().feature(), lo.host, port(), true, true, tls != null,
                tls != null && lo.tls.verify, o.maxPayload, 0, null,
                host.clusterName(), true, false, lo.noAdvertise ? List.of() : List.of(advertised), null);
        log().info("Listening for leafnode connections on %s", hostPort(lo.host, port()));
    }

    private static String hostPort(String h, int p) {
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + p;
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
                    config.tlsConfigured() ? ch -> remote.tls.clientHandler(ch.alloc(), url.getHost(), url.getPort()) : null,
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
            URI u = remote.currentUrl();
            if (u.getUserInfo() != null) {
                String[] up = u.getUserInfo().split(":", 2);
                user = up[0];
                pass = up.length > 1 ? up[1] : null;
            }
        }
        List<String> deny = remote.config.denyImports().isEmpty() ? null : remote.config.denyImports();
        return new LeafConnect(ServerInfo.VERSION, jwt, sig, user, pass, tlsRequired, host.serverId(), host.serverName(),
                false, host.clusterName(), headers, deny, null, null).toLine();
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
