package io.natsjvm.server.client;

import io.natsjvm.server.config.TlsOptions;
import io.natsjvm.server.tls.PinnedCerts;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.AccountLimits;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.AuthResult;
import io.natsjvm.server.auth.Authenticator;
import io.natsjvm.server.auth.Cidrs;
import io.natsjvm.server.auth.JwtLogin;
import io.natsjvm.server.auth.PermissionChecker;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.connection.Outbound;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.tls.ServerTls;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MatchResult;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.delivery.SubjectIndex;
import io.natsjvm.server.delivery.Subjects;
import io.natsjvm.server.delivery.Subscription;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.ConnectDecoder;
import io.natsjvm.server.protocol.ConnectOptions;
import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.protocol.ProtocolErrors;
import io.natsjvm.server.protocol.ProtocolException;
import io.natsjvm.server.protocol.ProtocolHandler;
import io.natsjvm.server.protocol.ProtocolParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.Set;

/**
 * A client connection: CONNECT and login, subscriptions, permissions and limits, on top of the
 * {@link Connection} core (outbound queue, close, keep-alive, stalls).
 *
 * <p>Threading: everything runs on the connection's loop except {@link #deliver} (the publisher's
 * thread) and the methods documented "any thread", which hand their work to the loop. What other
 * threads read is the {@link ClientIdentity} (one volatile record), the subscription map and the
 * core's volatile statistics.
 */
public final class ClientConnection extends Connection
        implements ProtocolHandler, MessageTarget, Account.Member {
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String LDM_REFUSED =
            "client does not support Lame Duck Mode or is not ready to receive the notification";

    private final ConnectionContext server;
    private final ProtocolParser parser;
    /** Set at construction; a websocket client takes its listener's rule ({@link #websocket}). */
    private boolean authRequired;

    /** Looked up per use: SIGUSR1 (and later reload) replace the process logger. */
    private static ServerLog log() {
        return ServerLog.get();
    }

    // ---- published to other threads
    private volatile ClientIdentity identity = ClientIdentity.NONE;
    /** Requests from other servers awaiting this client's answer for their latency samples (rare). */
    private volatile Map<String, RemoteLatencyTracking.TrackedReply> trackedReplies;
    private static final int MAX_TRACKED_REPLIES = 10_000;
    private static final long TRACKED_REPLY_TTL_NANOS = 120_000_000_000L;
    /** Written on the loop (and removed there, auto-unsubscribe included); read by monitoring. */
    private final Map<String, Subscription> subs = new ConcurrentHashMap<>();

    // ---- event loop only
    /** Copies of the identity's flags and limits read on every message. */
    private boolean verbose = true;
    private boolean pedantic = true;
    private boolean noResponders;
    private boolean connectReceived;
    private String nonce;
    private int maxPayload;
    private long maxSubs;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> expiryTimer;
    /** Set once a PING was answered: from then on the client gets asynchronous INFOs. */
    private boolean firstPongSent;
    /** The INFO this client was sent (an INFO changed before its first PONG is sent with that PONG). */
    private Object infoVersion;
    private boolean authPending;
    /** A client that came in through the websocket listener (TLS, if any, is that listener's). */
    private boolean websocket;
    /** The websocket listener's {@code jwt_cookie}: the user JWT when CONNECT carries none. */
    private String cookieJwt;
    /** Set by the TLS handshake, read by monitoring and events. */
    private volatile String tlsVersion;
    private volatile String tlsCipher;
    private volatile X509Certificate[] peerCertificates;
    // Route cache (L1): last subject published by this connection and its match result.
    private String l1Subject;
    private long l1Generation = -1;
    private MatchResult l1Result;
    private SubjectIndex l1Index;

    public ClientConnection(ConnectionContext server, Channel channel, long cid, String remoteIp, int remotePort) {
        super(channel, cid, ConnectionKind.CLIENT, remoteIp, remotePort, server.options().maxPending,
                server.options().writeDeadline);
        this.server = server;
        ServerOptions opts = server.options();
        this.parser = new ProtocolParser(this, channel.alloc());
        this.authRequired = server.authenticator().required();
        this.maxPayload = opts.maxPayload;
        this.maxSubs = opts.maxSubscriptions > 0 ? opts.maxSubscriptions : -1;
    }

    // ---------------------------------------------------------------- state for other threads

    /** The login in force, as one consistent record. Any thread. */
    public ClientIdentity identity() {
        return identity;
    }

    public Account account() {
        return identity.account();
    }

    public String user() {
        return identity.user();
    }

    public ConnectOptions connectOptions() {
        return identity.options();
    }

    /** The JWT login details, or null for a config user. */
    public JwtLogin jwtLogin() {
        return identity.jwt();
    }

    public int subscriptionCount() {
        return subs.size();
    }

    /** A snapshot of this connection's subscriptions. */
    public List<Subscription> subscriptions() {
        return new ArrayList<>(subs.values());
    }

    @Override
    public ConnectionKind kind() {
        return ConnectionKind.CLIENT;
    }

    // ---------------------------------------------------------------- lifecycle (event loop)

    /** Marks a websocket client (before {@link #start}); {@code cookieJwt} may be null. */
    public void websocket(String cookieJwt) {
        this.websocket = true;
        this.cookieJwt = cookieJwt;
        this.authRequired = server.websocketAuthenticator().required();
    }

    /** Who checks this client's CONNECT: the websocket block's credentials apply to websocket clients. */
    private Authenticator authenticator() {
        return websocket ? server.websocketAuthenticator() : server.authenticator();
    }

    /** Came in through the websocket listener (set before the connection is registered). */
    public boolean isWebsocket() {
        return websocket;
    }

    /** "websocket" or "nats", as CONNZ and events name a client's type. */
    public String clientType() {
        return websocket ? "websocket" : "nats";
    }

    /** Sends INFO and starts the auth timer. Event loop only. */
    public void start(boolean overLimit) {
        assert loop.inEventLoop() : "event loop only";
        if (authRequired && server.nonceRequired()) {
            nonce = server.newNonce();
        }
        infoVersion = server.infoVersion();
        enqueue(websocket ? server.websocketInfoLine(cid(), remoteIp(), nonce)
                : server.infoLine(cid(), remoteIp(), nonce));
        if (overLimit) {
            log().error("%s%s", logPrefix, ProtocolErrors.MAX_CONNECTIONS);
            closeWithError(ProtocolErrors.MAX_CONNECTIONS, CloseReason.MAX_CONNECTIONS_EXCEEDED);
            return;
        }
        flushNow();
        log().debug("%sClient connection created", logPrefix);
        ServerTls tls = server.tls();
        if (tls != null && !websocket) {
            upgradeToTls(tls);
            return;
        }
        startAuthTimer();
    }

    private void startAuthTimer() {
        if (authRequired && !isClosed()) {
            Duration timeout = websocket && server.options().websocket.authTimeout != null
                    ? server.options().websocket.authTimeout : server.options().authTimeout;
            authTimer = loop.schedule(this::authTimeout, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * After the plain-text INFO, the client must start TLS: the TLS stage goes first in the pipeline
     * (everything read and written from now on passes through it). The auth timer starts once the
     * handshake is done, as in the reference; a failed or timed-out handshake closes the connection.
     */
    private void upgradeToTls(ServerTls tls) {
        if (server.options().allowNonTls) {
            // the client chooses: TLS if its first bytes are a handshake, else plain text; the auth
            // timer runs from now either way
            channel.pipeline().addFirst(PipelineStages.TLS, tls.optional(alloc -> watched(tls, alloc, false)));
            startAuthTimer();
            return;
        }
        channel.pipeline().addFirst(PipelineStages.TLS, watched(tls, channel.alloc(), true));
    }

    @Override
    protected Set<String> pinnedCerts() {
        return TlsOptions.pinned(server.options().tls);
    }

    /**
     * Whether this client's certificate is among {@code pins} (a reload changed them); a client
     * without a certificate (or without TLS) is not, as the reference judges it. Any thread.
     */
    public boolean pinnedBy(Set<String> pins) {
        X509Certificate[] certs = peerCertificates;
        return PinnedCerts.matches(pins, certs == null || certs.length == 0 ? null : certs[0]);
    }

    /** A TLS handler whose handshake outcome is logged and recorded (and starts the auth timer). */
    private SslHandler watched(ServerTls tls, ByteBufAllocator alloc, boolean authTimerAfter) {
        SslHandler ssl = tls.newHandler(alloc);
        ssl.setHandshakeTimeoutMillis(tls.timeout().toMillis());
        onTlsHandshake(ssl, "", session -> {
            tlsVersion = ServerTls.version(session.getProtocol());
            tlsCipher = session.getCipherSuite();
            peerCertificates = peerCertificates(session);
            if (authTimerAfter) {
                startAuthTimer();
            }
        });
        return ssl;
    }

    private static X509Certificate[] peerCertificates(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : chain) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out.toArray(new X509Certificate[0]);
        } catch (SSLPeerUnverifiedException e) {
            return null; // the client sent none
        }
    }

    /** The certificates the client presented in its TLS handshake (its own first), or null. */
    public X509Certificate[] peerCertificates() {
        return peerCertificates;
    }

    private X509Certificate peerCertificate() {
        X509Certificate[] chain = peerCertificates;
        return chain == null || chain.length == 0 ? null : chain[0];
    }

    /** The negotiated TLS version ("1.3") and cipher suite, or null for a plain connection. */
    public String tlsVersion() {
        return tlsVersion;
    }

    public String tlsCipher() {
        return tlsCipher;
    }

    @Override
    protected void parse(ByteBuf data) throws ProtocolException {
        parser.feed(data);
    }

    @Override
    protected void protocolError(ProtocolException e) {
        if (e.reason() == CloseReason.AUTHENTICATION_VIOLATION) {
            authViolation("no CONNECT before " + e.getMessage());
            return;
        }
        if (e.reason() == CloseReason.MAX_PAYLOAD_EXCEEDED || e.reason() == CloseReason.MAX_CONTROL_LINE_EXCEEDED) {
            log().error("%s%s", logPrefix, e.getMessage());
        } else {
            log().error("%sClient parser ERROR: %s", logPrefix, e.getMessage());
        }
        closeFor(e);
    }

    @Override
    protected void internalError(RuntimeException e) {
        server.internalError(this, e);
    }

    /**
     * The reference leaves an oversized message's body unread, so its close is a reset; clients
     * (jnats's testThrowsIfTooBig) count on failing at once rather than on a FIN.
     */
    @Override
    protected boolean resetOnClose(CloseReason reason) {
        return reason == CloseReason.MAX_PAYLOAD_EXCEEDED && parser.unreadAtRefusal();
    }

    private void authTimeout() {
        if (connectReceived || isClosed()) {
            return;
        }
        log().debug("%sAuthentication Timeout", logPrefix);
        closeWithError(ProtocolErrors.AUTHENTICATION_TIMEOUT, CloseReason.AUTHENTICATION_TIMEOUT);
    }

    private void authViolation(String why) {
        log().error("%sauthentication error - %s", logPrefix, why);
        server.authFailed(this, why);
        closeWithError(ProtocolErrors.AUTHORIZATION_VIOLATION, CloseReason.AUTHENTICATION_VIOLATION);
    }

    @Override
    protected void onClosed() {
        cancel(authTimer);
        cancel(expiryTimer);
        parser.release();
        Account account = identity.account();
        if (account != null) {
            for (Subscription s : subs.values()) {
                s.close();
                account.unsubscribe(s);
            }
            server.clientDisconnected(this, account.connectionClosed(this));
        }
        subs.clear();
        server.clientClosed(this);
        log().debug("%s%s", logPrefix, "Client connection closed: " + closeReason());
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---------------------------------------------------------------- CONNECT and login (event loop)

    @Override
    public boolean awaitingConnect() {
        return authRequired && !connectReceived;
    }

    @Override
    public int maxControlLine() {
        return server.options().maxControlLine;
    }

    @Override
    public boolean headersSupported() {
        return identity.headers();
    }

    @Override
    public void onConnect(String json) throws ProtocolException {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [CONNECT %s]", logPrefix, json);
        ConnectOptions parsed;
        try {
            parsed = ConnectDecoder.decode(json);
        } catch (Exception e) {
            throw ProtocolException.silent("invalid CONNECT JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        // JSON null decodes to nothing in the reference: the options stay as they were.
        ConnectOptions c = parsed == null ? identity.options() : parsed.over(identity.options());
        if (cookieJwt != null && (c.jwt() == null || c.jwt().isEmpty())) {
            c = c.withJwt(cookieJwt);
        }
        if (server.options().noHeaderSupport && Boolean.TRUE.equals(c.headers())) {
            c = c.withoutHeaders(); // the server said headers:false: an HPUB now closes the connection
        }
        identity = identity.withOptions(c);
        verbose = c.verbose();
        pedantic = c.pedantic();
        noResponders = c.noResponders();
        if (!connectReceived) {
            // First estimate of the round trip, as the reference makes it: accept to CONNECT.
            rttNanos(nanosSinceStart());
        }
        connectReceived = true;
        cancel(authTimer);
        // The first CONNECT binds the connection to an account. When the server requires auth, the
        // reference authenticates every later CONNECT too and takes on the user it names.
        if (identity.account() == null || authenticator().required()) {
            if (authenticator().checksOffLoop(c)) {
                authenticateOffLoop(c);
                return;
            }
            if (login(c, authenticator().authenticate(c, nonce, peerCertificate()))) {
                afterLogin(c);
            }
            return;
        }
        afterLogin(c);
    }

    /**
     * A login that must wait for something slow (an account JWT fetched over HTTP, or an account
     * whose imports need one) or costs CPU (signature checks, so that many logins at once use
     * every core): the connection stops reading and its parser holds what follows CONNECT; the
     * check runs on a worker thread and the connection continues on its loop.
     */
    private void authenticateOffLoop(ConnectOptions c) {
        authPending = true;
        channel.config().setAutoRead(false);
        server.blockingWork().execute(() -> {
            AuthResult auth;
            try {
                auth = authenticator().authenticate(c, nonce, peerCertificate());
                if (auth.ok()) {
                    server.prepareAccount(auth.account(), auth.jwt());
                }
            } catch (RuntimeException e) {
                auth = AuthResult.failure("authentication error: " + e.getMessage());
            }
            AuthResult result = auth;
            loop.execute(() -> {
                authPending = false;
                if (isClosed() || closing()) {
                    return;
                }
                if (login(c, result)) {
                    afterLogin(c);
                }
                if (!isClosed() && !closing()) {
                    channel.config().setAutoRead(true);
                    try {
                        parser.resume();
                    } catch (ProtocolException e) {
                        protocolError(e);
                    } catch (RuntimeException e) {
                        internalError(e);
                        close(CloseReason.PROTOCOL_VIOLATION);
                    }
                    FlushBatch.current().flush();
                }
            });
        });
    }

    @Override
    protected boolean readAllowed() {
        return !authPending;
    }

    @Override
    public boolean paused() {
        // nothing more is processed once the connection is closing
        return authPending || closing();
    }

    /** Binds a successful login to its account; false (and the connection closing) otherwise. */
    private boolean login(ConnectOptions c, AuthResult auth) {
        if (!auth.ok()) {
            authViolation(auth.failure());
            return false;
        }
        if (c.account() != null && !c.account().isEmpty() || c.newAccount()) {
            authViolation("account designation in CONNECT is not allowed");
            return false;
        }
        JwtLogin jwt = auth.jwt();
        if (jwt != null && !jwt.src().isEmpty() && !Cidrs.contains(jwt.src(), remoteIp())) {
            authViolation("client address " + remoteIp() + " not in the user's src " + jwt.src());
            return false;
        }
        String type = websocket ? "WEBSOCKET" : "STANDARD";
        if (!auth.allows(type)) {
            authViolation("connection type " + type + " not allowed for this user "
                    + (jwt != null ? jwt.connectionTypes() : auth.connectionTypes()));
            return false;
        }
        Account previous = identity.account();
        Account joining = server.account(auth.account());
        boolean member = previous == joining;
        if (previous != null && !member) {
            leaveAccount(previous);
        }
        if (jwt != null && !admitJwtUser(jwt, joining, member)) {
            return false;
        }
        if (jwt == null && !member && overConnectionLimit(joining, joining.limits())) {
            return false; // a config account's limits {}
        }
        Permissions p = auth.permissions();
        PermissionChecker perms = p == null || p.isUnrestricted() ? null : new PermissionChecker(p);
        identity = new ClientIdentity(joining, auth.user(), perms, jwt, c);
        if (member) {
            server.clientConnected(this, -1); // a CONNECT event again, the count is unchanged
        } else {
            for (Subscription s : subs.values()) {
                joining.subscribe(s);
            }
            server.clientConnected(this, joining.connectionOpened(this));
        }
        if (jwt != null) {
            // after joining, so a close these cause (limits, an expired JWT) leaves the account cleanly
            limitsFrom(jwt.account().limits());
            scheduleExpiry(jwt);
        } else {
            limitsFrom(joining.limits());
        }
        return !closing();
    }

    /** A later CONNECT moved this connection to another account: its subscriptions go along. */
    private void leaveAccount(Account account) {
        for (Subscription s : subs.values()) {
            account.unsubscribe(s);
        }
        account.connectionClosed(this);
        identity = new ClientIdentity(null, null, null, null, identity.options());
    }

    /** The checks and replies of CONNECT that follow authentication. */
    private void afterLogin(ConnectOptions c) {
        if (c.protocol() < 0 || c.protocol() > 1) {
            closeWithError(ProtocolErrors.BAD_CLIENT_PROTOCOL, CloseReason.BAD_CLIENT_PROTOCOL_VERSION);
            return;
        }
        if (c.noResponders() && !identity.headers()) {
            closeWithError(ProtocolErrors.NO_RESPONDERS_REQUIRES_HEADERS, CloseReason.NO_RESPONDERS_REQUIRES_HEADERS);
            return;
        }
        ServerOptions opts = server.options();
        startPingTimer(opts.pingInterval, opts.pingMax);
        if (c.verbose()) {
            enqueue(OK);
        }
    }

    /**
     * A JWT user joining an account: the account's connection limit (checked now, as the
     * reference does at login) and its claims put in force.
     *
     * @return false if the connection was refused
     */
    private boolean admitJwtUser(JwtLogin login, Account joining, boolean member) {
        assert loop.inEventLoop() : "event loop only";
        if (!member && overConnectionLimit(joining, login.account().limits())) {
            return false;
        }
        server.accountClaims(joining, login.account());
        return true;
    }

    /**
     * The account's connection limit, checked as the reference checks it at login: the
     * cluster-wide count (other servers report theirs in CONNS events), leafs included (its
     * account's client set holds them). Refuses the connection when it would be one too many.
     */
    private boolean overConnectionLimit(Account joining, AccountLimits limits) {
        if (limits.conn() != -1
                && joining.connections() + joining.leafs() + joining.remoteConnections() >= limits.conn()) {
            log().error("%s%s", logPrefix, ProtocolErrors.MAX_ACCOUNT_CONNECTIONS);
            closeWithError(ProtocolErrors.MAX_ACCOUNT_CONNECTIONS, CloseReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
            return true;
        }
        return false;
    }

    /** The reference closes a user whose JWT expires while connected (a negative exp at once). */
    private void scheduleExpiry(JwtLogin login) {
        cancel(expiryTimer);
        if (login.expires() == 0) {
            return;
        }
        long inMillis = login.expires() * 1000 - System.currentTimeMillis();
        if (inMillis <= 0) {
            // expired already (a negative exp): closed before anything else it sent is processed
            closeWithError("User Authentication Expired", CloseReason.AUTHENTICATION_EXPIRED);
        } else {
            expiryTimer = loop.schedule(() -> closeWithError("User Authentication Expired",
                    CloseReason.AUTHENTICATION_EXPIRED), inMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The tighter of server, account and user limits for payload and subscriptions. Event loop. */
    private void limitsFrom(AccountLimits limits) {
        assert loop.inEventLoop() : "event loop only";
        ServerOptions opts = server.options();
        JwtLogin jwt = identity.jwt();
        long serverSubs = opts.maxSubscriptions > 0 ? opts.maxSubscriptions : -1;
        maxPayload = (int) tighter(tighter(opts.maxPayload, limits.payload()), jwt == null ? -1 : jwt.maxPayload());
        maxSubs = tighter(tighter(serverSubs, limits.subs()), jwt == null ? -1 : jwt.maxSubs());
        if (maxSubs != -1 && subs.size() >= maxSubs && !closing()) {
            // At (or past) its subscription limit as limits are applied (login or account
            // update): the reference tells the client and closes it 20 ms later.
            log().error("%s%s", logPrefix, ProtocolErrors.MAX_SUBSCRIPTIONS);
            sendError(ProtocolErrors.MAX_SUBSCRIPTIONS);
            flushNow();
            loop.schedule(() -> close(CloseReason.MAX_SUBSCRIPTIONS_EXCEEDED), 20, TimeUnit.MILLISECONDS);
        }
    }

    /** New account claims: limits for the next operation. Any thread. */
    public void applyAccountLimits(AccountClaims claims) {
        loop.execute(() -> {
            if (identity.jwt() != null) {
                limitsFrom(claims.limits());
            }
        });
    }

    /**
     * The smaller of two limits where -1 means "no limit" (as jwt.NoLimit; any other negative value
     * is a limit nothing fits under, as in the reference).
     */
    private static long tighter(long a, long b) {
        if (a == -1) {
            return b;
        }
        return b == -1 ? a : Math.min(a, b);
    }

    // ---------------------------------------------------------------- config reload

    /**
     * A config reload changed limits or authorization. Applied on this client's loop; a login
     * still in flight is left alone (2.9.10 kicks it). Any thread.
     */
    public void reloaded(boolean authorization) {
        loop.execute(() -> {
            if (isClosed() || closing()) {
                return;
            }
            ServerOptions opts = server.options();
            out.limits(opts.maxPending, opts.writeDeadline);
            Account account = identity.account();
            if (identity.jwt() != null && account != null && account.claims() != null) {
                limitsFrom(account.claims().limits());
            } else if (account != null) {
                limitsFrom(account.limits()); // a config account's limits {} may have changed too
            } else {
                maxPayload = opts.maxPayload;
            }
            if (authorization && connectReceived && !authPending && identity.jwt() == null) {
                reauthorize();
            }
            flushNow();
        });
    }

    /**
     * Checks this client's login against the reloaded users: gone or changed credentials close it
     * with 'Authorization Violation', a user moved to another account is closed (it reconnects into
     * the new one), new permissions apply at once and subscriptions they no longer allow are removed
     * with the reference's error. Event loop only.
     */
    private void reauthorize() {
        assert loop.inEventLoop() : "event loop only";
        AuthResult auth = authenticator().authenticate(identity.options(), nonce, peerCertificate());
        if (!auth.ok()) {
            authViolation(auth.failure());
            return;
        }
        Account now = server.account(auth.account());
        if (identity.account() != null && now != identity.account()) {
            close(CloseReason.CLIENT_CLOSED);
            return;
        }
        Permissions p = auth.permissions();
        PermissionChecker perms = p == null || p.isUnrestricted() ? null : new PermissionChecker(p);
        identity = new ClientIdentity(identity.account(), auth.user(), perms, identity.jwt(), identity.options());
        if (perms == null) {
            return;
        }
        for (Subscription sub : List.copyOf(subs.values())) {
            if (!perms.canSubscribe(sub.subject(), sub.queue())) {
                removeSubscription(sub);
                sendError("Permissions Violation for Subscription to \"" + sub.subject() + "\" (sid \"" + sub.sid()
                        + "\")");
                log().info("Removed sub \"%s\" (sid \"%s\") for %s - not authorized", sub.subject(), sub.sid(),
                        auth.user());
            }
        }
    }

    // ---------------------------------------------------------------- asynchronous INFO

    /** True if the client takes INFO after the first one (protocol 1, past its first PING). Loop. */
    private boolean takesAsyncInfo() {
        Integer protocol = identity.options().protocol();
        return !isClosed() && !closing() && firstPongSent && protocol != null && protocol >= 1;
    }

    /**
     * Sends an INFO built for this client by {@code line} (cid, ip) if it takes asynchronous INFO:
     * cluster changes and lame duck mode. Any thread; false if the client does not take it.
     */
    public CompletableFuture<Boolean> sendAsyncInfo(InfoLine line) {
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        loop.execute(() -> {
            if (takesAsyncInfo()) {
                enqueue(line.forClient(cid(), remoteIp()));
                flushNow();
                sent.complete(true);
            } else {
                sent.complete(false);
            }
        });
        return sent;
    }

    /** Renders an INFO line for one client. */
    @FunctionalInterface
    public interface InfoLine {
        byte[] forClient(long cid, String ip);
    }

    private InfoLine lameDuckInfo() {
        return websocket ? server::websocketLameDuckInfoLine : server::lameDuckInfoLine;
    }

    /** Lame duck mode: tells this client to move to another server. Any thread. */
    public void sendLameDuckInfo() {
        sendAsyncInfo(lameDuckInfo());
    }

    /**
     * {@code $SYS.REQ.SERVER.<id>.LDM} for this one client: the lame duck INFO, if it takes
     * asynchronous INFO. Any thread; waits for its loop.
     *
     * @return null when sent, else the reference's reason
     */
    public String lameDuckThisClient() {
        try {
            return sendAsyncInfo(lameDuckInfo()).get(2, TimeUnit.SECONDS) ? null : LDM_REFUSED;
        } catch (Exception e) {
            return LDM_REFUSED;
        }
    }

    // ---------------------------------------------------------------- PUB/SUB/UNSUB/PING (event loop)

    /** The account's subjects; before login (no auth configured) that is the global account. */
    private Account subjectSpace() {
        Account a = identity.account();
        return a != null ? a : server.accounts().global();
    }

    @Override
    public void onPublishArgs(String subject, int size) throws ProtocolException {
        assert loop.inEventLoop() : "event loop only";
        if (maxPayload != -1 && size > maxPayload) {
            enqueue(("-ERR '" + ProtocolErrors.MAX_PAYLOAD + "'\r\n").getBytes(StandardCharsets.US_ASCII));
            throw new ProtocolException(null, CloseReason.MAX_PAYLOAD_EXCEEDED,
                    "maximum payload exceeded: " + size + " vs " + maxPayload);
        }
        if (pedantic && !Subjects.isValidLiteralSubject(subject)) {
            sendError(ProtocolErrors.INVALID_PUBLISH_SUBJECT);
        }
    }

    @Override
    public void onPublish(InboundMessage published) {
        assert loop.inEventLoop() : "event loop only";
        countIn(published.totalLength);
        if (log().isTrace()) {
            log().trace("%s<<- [PUB %s %s %d]", logPrefix, published.subject,
                    published.reply() == null ? "" : published.reply(), published.totalLength);
        }
        Account account = subjectSpace();
        // the account's subject mappings first: permissions and delivery see the mapped subject
        InboundMessage m = account.mappings() == null ? published : account.mapped(published, server.clusterName());
        if (m == null) {
            if (verbose) {
                enqueue(OK);
            }
            if (published.hasReply() && noResponders) {
                noResponders(published.reply());
            }
            return;
        }
        try {
            publish(account, m);
        } finally {
            if (m != published) {
                log().trace("%s<-> [MAPPING %s -> %s]", logPrefix, published.subject, m.subject);
                m.buf.release();
            }
        }
    }

    private void publish(Account account, InboundMessage m) {
        String subject = m.subject;
        ClientIdentity id = identity;
        PermissionChecker perms = id.permissions();
        if (perms != null && !perms.canPublish(subject)) {
            log().error("%sPublish Violation - User %s, Subject \"%s\"", logPrefix, id.user(), subject);
            sendError(ProtocolErrors.publishViolation(subject));
            return;
        }
        if (verbose) {
            enqueue(OK);
        }
        SubjectIndex index = account.subjects();
        long gen = index.generation();
        MatchResult r;
        if (subject == l1Subject && gen == l1Generation && index == l1Index) {
            r = l1Result;
        } else {
            r = index.match(subject);
            l1Subject = subject;
            l1Generation = gen;
            l1Result = r;
            l1Index = index;
        }
        Map<String, RemoteLatencyTracking.TrackedReply> tracked = trackedReplies;
        if (tracked != null) {
            RemoteLatencyTracking.TrackedReply request = tracked.remove(subject);
            if (request != null) {
                server.remoteLatency().responded(this, request);
            }
        }
        boolean delivered = account.publish(m, r, FlushBatch.current());
        if (!delivered && m.hasReply() && noResponders) {
            noResponders(m.reply());
        }
    }

    /** A request nobody can answer: a 503 status to the requester's own reply subscription. */
    private void noResponders(String reply) {
        for (Subscription s : subs.values()) {
            if (Subjects.matches(s.subject(), reply)) {
                enqueue(("HMSG " + reply + " " + s.sid() + " 16 16\r\nNATS/1.0 503\r\n\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
    }

    @Override
    public void onSub(String subject, String queue, String sid) {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [SUB %s %s%s]", logPrefix, subject, queue == null ? "" : queue + " ", sid);
        ClientIdentity id = identity;
        PermissionChecker perms = id.permissions();
        if (perms != null && (!perms.canSubscribe(subject, queue) || "_sys_".equals(queue))) {
            log().error("%sSubscription Violation - User %s, Subject \"%s\", SID %s", logPrefix, id.user(), subject, sid);
            sendError(ProtocolErrors.subscribeViolation(subject, queue));
            return;
        }
        int maxTokens = server.options().maxSubTokens;
        if (maxTokens > 0 && subject.split("\\.", -1).length > maxTokens) {
            sendError("Permissions Violation for Subscription to \"" + subject + "\", too many tokens");
            log().error("%sSubscription Violation Too Many Tokens - %s, Subject \"%s\", SID %s", logPrefix, id.user(),
                    subject, sid);
            return;
        }
        if (maxSubs != -1 && subs.size() >= maxSubs) {
            log().error("%s%s", logPrefix, ProtocolErrors.MAX_SUBSCRIPTIONS);
            sendError(ProtocolErrors.MAX_SUBSCRIPTIONS);
            return;
        }
        if (subs.containsKey(sid)) {
            if (verbose) {
                enqueue(OK);
            }
            return;
        }
        Subscription sub = new Subscription(this, subject, queue, sid);
        if (!subjectSpace().subscribe(sub)) {
            sendError(ProtocolErrors.INVALID_SUBJECT);
            return;
        }
        subs.put(sid, sub);
        if (verbose) {
            enqueue(OK);
        }
    }

    @Override
    public void onUnsub(String sid, int max) {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [UNSUB %s%s]", logPrefix, sid, max >= 0 ? " " + max : "");
        Subscription sub = subs.get(sid);
        if (sub != null) {
            if (max > 0 && max > sub.delivered()) {
                sub.max(max);
            } else {
                removeSubscription(sub);
            }
        }
        if (verbose) {
            enqueue(OK);
        }
    }

    /** The owner's half of every unsubscribe. Event loop only. */
    private void removeSubscription(Subscription sub) {
        assert loop.inEventLoop() : "event loop only";
        sub.close();
        if (subs.remove(sub.sid(), sub)) {
            subjectSpace().unsubscribe(sub);
        }
    }

    @Override
    public void onPing() {
        log().trace("%s<<- [PING]", logPrefix);
        pingReceived();
        if (!firstPongSent) {
            firstPongSent = true;
            // the cluster changed between our INFO and this first PING: the client would never learn
            // of it (nats-server has this gap); it takes asynchronous INFO from now on, so send it
            Integer protocol = identity.options().protocol();
            if (infoVersion != server.infoVersion() && protocol != null && protocol >= 1) {
                infoVersion = server.infoVersion();
                enqueue(websocket ? server.websocketAsyncInfoLine(cid(), remoteIp())
                        : server.asyncInfoLine(cid(), remoteIp()));
            }
        }
    }

    @Override
    public void onPong() {
        log().trace("%s<<- [PONG]", logPrefix);
        pongReceived();
    }

    @Override
    public void onClientError(String text) {
        // A client has no business sending -ERR: the reference logs it and closes with a parse error.
        log().error("%sClient Error %s", logPrefix, text);
        close(CloseReason.PARSE_ERROR);
    }

    // ---------------------------------------------------------------- delivery (publisher's thread)

    /**
     * Queues a message for one of this connection's subscriptions. Called on the publisher's
     * thread; never blocks beyond the outbound queue's short lock.
     */
    @Override
    public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
        if (isClosed() || sub.isClosed()) {
            return false;
        }
        ClientIdentity id = identity;
        if (m.publisher == this && !id.options().echoEnabled()) {
            return false;
        }
        PermissionChecker p = id.permissions();
        if (p != null && p.hasSubscribeDeny() && p.deliveryDenied(m.subject)) {
            return false;
        }
        long max = sub.max();
        if (max > 0) {
            long n = sub.countDelivery();
            if (n > max) {
                return false;
            }
            if (n == max) {
                autoUnsubscribe(sub);
            }
        } else {
            sub.countDelivery();
        }
        Outbound.Append a = out.appendMessage(m, sub.sidBytes(), id.headers());
        if (a != Outbound.Append.QUEUED) {
            if (a == Outbound.Append.SLOW_CONSUMER) {
                slowConsumer(CloseReason.SLOW_CONSUMER_PENDING_BYTES);
            }
            return false;
        }
        if (p != null && p.tracksReplies() && m.hasReply()) {
            p.trackReply(m.reply());
        }
        if (m.origin == ConnectionKind.ROUTER && m.hasTrackedReply()) {
            trackRemoteRequest(m);
        }
        batch.add(out);
        if (m.publisher instanceof Connection producer) {
            producer.stallIfBehind(this);
        }
        return true;
    }

    /**
     * A request from another server whose reply asks for latency tracking, to a service this
     * client's account exports: remembered until the client answers it (publisher's thread).
     */
    private void trackRemoteRequest(InboundMessage m) {
        RemoteLatencyTracking tracking = server.remoteLatency();
        if (tracking == null) {
            return;
        }
        String reply = m.reply();
        Account acc = identity.account();
        if (acc == null || !tracking.exportsService(acc, m.subject)) {
            return;
        }
        Map<String, RemoteLatencyTracking.TrackedReply> tracked = trackedReplies;
        if (tracked == null) {
            synchronized (this) {
                tracked = trackedReplies;
                if (tracked == null) {
                    tracked = new ConcurrentHashMap<>();
                    trackedReplies = tracked;
                }
            }
        }
        if (tracked.size() > MAX_TRACKED_REPLIES) {
            long stale = System.nanoTime() - TRACKED_REPLY_TTL_NANOS;
            tracked.values().removeIf(t -> t.deliveredNanos() < stale);
        }
        tracked.put(reply, new RemoteLatencyTracking.TrackedReply(acc.name(), reply, Instant.now(), System.nanoTime()));
    }

    /** The limit is reached: marked closed now (no more deliveries), removed by the owner's loop. */
    private void autoUnsubscribe(Subscription sub) {
        sub.close();
        if (loop.inEventLoop()) {
            removeSubscription(sub);
        } else {
            loop.execute(() -> removeSubscription(sub));
        }
    }

    @Override
    protected void slowConsumer(CloseReason reason) {
        server.slowConsumer(this);
        Account account = identity.account();
        if (account != null) {
            account.slowConsumer();
        }
        // the reference's texts, plus who it is: the client's name tells an operator which app lags
        String name = identity.options().name();
        String who = name == null || name.isEmpty() ? "" : " (client \"" + name + "\")";
        if (reason == CloseReason.SLOW_CONSUMER_PENDING_BYTES) {
            log().info("%sSlow Consumer Detected: MaxPending of %d Exceeded%s", logPrefix, out.maxPending(), who);
        } else {
            log().info("%sSlow Consumer Detected: WriteDeadline of %s exceeded with %d chunks of %d total bytes.%s",
                    logPrefix, GoFormat.duration(out.writeDeadlineNanos()), 1, out.pendingBytes(), who);
        }
        close(reason, false);
    }
}
