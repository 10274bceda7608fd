package io.natsjvm.server.client;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.AccountLimits;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.AuthResult;
import io.natsjvm.server.auth.Cidrs;
import io.natsjvm.server.auth.JwtLogin;
import io.natsjvm.server.auth.PermissionChecker;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.server.protocol.ConnectOptions;
import io.natsjvm.server.protocol.Json;
import io.natsjvm.server.protocol.MessageEncoder;
import io.natsjvm.server.protocol.ProtocolErrors;
import io.natsjvm.server.protocol.ProtocolException;
import io.natsjvm.server.protocol.ProtocolHandler;
import io.natsjvm.server.protocol.ProtocolParser;
import io.natsjvm.server.delivery.Delivery;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MatchResult;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.delivery.SubjectIndex;
import io.natsjvm.server.delivery.Subjects;
import io.natsjvm.server.delivery.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection: its CONNECT state, subscriptions, permissions, timers and outbound
 * queue.
 *
 * <p>Threading: everything except {@link #deliver} and {@link #flushQueued} runs on the
 * connection's own event loop ({@link #loop}). Publishers on other loops append to the
 * outbound buffer under {@link #outLock} (a per-connection lock, never held while calling out)
 * and the flush is handed to this connection's loop.
 */
public final class ClientConnection implements ProtocolHandler, MessageTarget, FlushBatch.Flushable, Account.Member {
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int INITIAL_OUT = 1024;

    private final ConnectionContext server;
    private final ServerOptions opts;
    private final Channel channel;
    private final EventLoop loop;
    private final long cid;
    private final String remoteIp;
    private final int remotePort;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final ProtocolParser parser;
    /** Looked up per use: SIGUSR1 (and later reload) replace the process logger. */
    private static ServerLog log() {
        return ServerLog.get();
    }
    private final String logPrefix;

    // Connection state, event-loop only.
    /** The reference's defaults until a CONNECT arrives, then each CONNECT decoded on top. */
    private ConnectOptions connect = ConnectOptions.DEFAULTS;
    /** Copies of connect's flags read on every message. */
    private boolean verbose = true;
    private boolean pedantic = true;
    private boolean noResponders;
    private boolean connectReceived;
    private final boolean authRequired;
    private String nonce;
    private Account account;
    private String user;
    private PermissionChecker perms;
    // Written on the event loop; read by monitoring.
    private final Map<String, Subscription> subs = new ConcurrentHashMap<>();
    private int maxPayload;
    private long maxSubs;
    private JwtLogin jwtLogin;
    private ScheduledFuture<?> authTimer;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> expiryTimer;
    private int pingsOut;
    private volatile long lastReadNanos = startNanos;
    private long lastPingReceivedNanos;
    private boolean closeRequested;
    /** Set once a PING was answered: from then on the client gets asynchronous INFOs. */
    private boolean firstPongSent;
    private boolean authPending;

    // Read by publishers on other loops.
    private volatile boolean echo = true;
    private volatile boolean headers;
    private volatile boolean closed;
    private volatile CloseReason closeReason;

    // Route cache (L1): last subject published by this connection and its match result.
    private String l1Subject;
    private long l1Generation = -1;
    private MatchResult l1Result;

    // Outbound queue shared with publishers.
    private final Object outLock = new Object();
    private ByteBuf out;
    private long queuedBytes;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flushNow;
    private FlushBatch pendingBatch;
    private ChannelFuture lastWrite;
    private boolean deadlineArmed;

    // Back-pressure: publishers that stopped reading because this connection's socket is full.
    private final Set<ClientConnection> stalledPublishers = ConcurrentHashMap.newKeySet();
    private boolean readPaused;
    private final int stallBytes;
    private static final long STALL_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

    // Round-trip time, measured with a server PING as the reference does (for monitoring/events).
    private volatile long rttNanos;
    private long rttStartNanos;

    // Statistics (in* written on the event loop only, read by monitoring).
    private volatile long inMsgs;
    private volatile long inBytes;
    // Written under outLock by whichever loop delivers; read by monitoring.
    private volatile long outMsgs;
    private volatile long outBytes;

    public ClientConnection(ConnectionContext server, Channel channel, long cid, String remoteIp, int remotePort) {
        this.server = server;
        this.opts = server.options();
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.cid = cid;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.parser = new ProtocolParser(this, channel.alloc());
        this.authRequired = server.authenticator().required();
        this.maxPayload = opts.maxPayload;
        this.maxSubs = opts.maxSubscriptions > 0 ? opts.maxSubscriptions : -1;
        this.stallBytes = stallBytes(opts);
        this.logPrefix = remoteIp + ":" + remotePort + " - cid:" + cid + " - ";
    }

    public Account account() {
        return account;
    }

    public boolean isClosed() {
        return closed;
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    public long inMsgs() {
        return inMsgs;
    }

    public long inBytes() {
        return inBytes;
    }

    public long outMsgs() {
        return outMsgs;
    }

    public long outBytes() {
        return outBytes;
    }

    public String user() {
        return user;
    }

    public ConnectOptions connectOptions() {
        return connect;
    }

    public int subscriptionCount() {
        return subs.size();
    }

    public Instant start() {
        return start;
    }

    /** When the client last sent anything. */
    public Instant lastActivity() {
        return start.plusNanos(lastReadNanos - startNanos);
    }

    public String remoteIp() {
        return remoteIp;
    }

    public int remotePort() {
        return remotePort;
    }

    /** Measured round-trip time in nanoseconds, 0 until known. */
    public long rttNanos() {
        return rttNanos;
    }

    /** Bytes queued for this client and not yet written to the socket. */
    public long pendingBytes() {
        return queuedBytes + unflushedBytes();
    }

    /** A snapshot of this connection's subscriptions. */
    public List<Subscription> subscriptions() {
        return new ArrayList<>(subs.values());
    }

    @Override
    public long cid() {
        return cid;
    }

    // ---------------------------------------------------------------- lifecycle (event loop)

    /** Sends INFO and starts the auth timer. Event loop only. */
    public void start(boolean overLimit) {
        assert loop.inEventLoop() : "event loop only";
        assert loop.inEventLoop();
        if (authRequired && server.nonceRequired()) {
            nonce = server.newNonce();
        }
        enqueue(server.infoLine(cid, remoteIp, nonce));
        if (overLimit) {
            log().error("%s%s", logPrefix, ProtocolErrors.MAX_CONNECTIONS);
            closeWithError(ProtocolErrors.MAX_CONNECTIONS, CloseReason.MAX_CONNECTIONS_EXCEEDED);
            return;
        }
        flushNow();
        if (authRequired) {
            authTimer = loop.schedule(this::authTimeout, opts.authTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        log().debug("%sClient connection created", logPrefix);
    }

    /** Bytes arrived from the socket. Event loop only. */
    public void onRead(ByteBuf data) {
        assert loop.inEventLoop() : "event loop only";
        if (closed || closeRequested) {
            data.release();
            return;
        }
        lastReadNanos = System.nanoTime();
        try {
            parser.feed(data);
        } catch (ProtocolException e) {
            onProtocolError(e);
        } catch (RuntimeException e) {
            server.internalError(this, e);
            close(CloseReason.PROTOCOL_VIOLATION);
        }
    }

    private void onProtocolError(ProtocolException e) {
        if (e.reason() == CloseReason.AUTHENTICATION_VIOLATION) {
            authViolation("no CONNECT before " + e.getMessage());
            return;
        }
        if (e.reason() == CloseReason.MAX_PAYLOAD_EXCEEDED || e.reason() == CloseReason.MAX_CONTROL_LINE_EXCEEDED) {
            log().error("%s%s", logPrefix, e.getMessage());
        } else {
            log().error("%sClient parser ERROR: %s", logPrefix, e.getMessage());
        }
        if (e.clientError() != null) {
            closeWithError(e.clientError(), e.reason());
        } else {
            close(e.reason());
        }
    }

    private void authTimeout() {
        if (connectReceived || closed) {
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

    /** Queues -ERR, flushes, and closes. Event loop only. */
    public void closeWithError(String error, CloseReason reason) {
        assert loop.inEventLoop() : "event loop only";
        enqueue(("-ERR '" + error + "'\r\n").getBytes(StandardCharsets.UTF_8));
        close(reason);
    }

    /** Flushes what is queued and closes. Safe from any thread. */
    public void close(CloseReason reason) {
        close(reason, true);
    }

    /**
     * Closes the connection, first writing what is queued when {@code flushFirst} (a client
     * that stopped reading gets no such courtesy: its socket is closed at once). Any thread.
     */
    public void close(CloseReason reason, boolean flushFirst) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(reason, flushFirst));
            return;
        }
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        if (closeReason == null) {
            closeReason = reason;
        }
        ByteBuf b = takeQueued();
        if (b != null && flushFirst && channel.isActive()) {
            // The reference leaves an oversized message's body unread, so its close is a reset;
            // clients (jnats's testThrowsIfTooBig) count on failing at once rather than on a FIN.
            boolean reset = reason == CloseReason.MAX_PAYLOAD_EXCEEDED && parser.unreadAtRefusal();
            channel.writeAndFlush(b).addListener(f -> {
                if (reset) {
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                }
                channel.close();
            });
            // Do not wait for a peer that does not read.
            loop.schedule(() -> {
                channel.close();
            }, Math.max(opts.writeDeadline.toMillis(), 100), TimeUnit.MILLISECONDS);
        } else {
            if (b != null) {
                b.release();
            }
            channel.close();
        }
        cleanup();
    }

    /** The socket closed (by either side). Event loop only. */
    public void onChannelClosed(CloseReason reason) {
        assert loop.inEventLoop() : "event loop only";
        if (closeReason == null) {
            closeReason = reason;
        }
        closeRequested = true;
        cleanup();
    }

    private void cleanup() {
        if (closed) {
            return;
        }
        closed = true;
        cancel(authTimer);
        cancel(pingTimer);
        cancel(expiryTimer);
        parser.release();
        ByteBuf b = takeQueued();
        if (b != null) {
            b.release();
        }
        if (account != null) {
            SubjectIndex index = account.subjects();
            for (Subscription s : subs.values()) {
                s.close();
                index.remove(s);
            }
            server.clientDisconnected(this, account.connectionClosed(this));
        }
        subs.clear();
        releaseStalledPublishers();
        server.clientClosed(this);
        log().debug("%s%s", logPrefix, "Client connection closed: " + closeReason);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---------------------------------------------------------------- ProtocolHandler (event loop)

    @Override
    public boolean awaitingConnect() {
        return authRequired && !connectReceived;
    }

    @Override
    public int maxControlLine() {
        return opts.maxControlLine;
    }

    @Override
    public boolean headersSupported() {
        return headers;
    }

    @Override
    public void onConnect(String json) throws ProtocolException {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [CONNECT %s]", logPrefix, json);
        ConnectOptions parsed;
        try {
            parsed = Json.MAPPER.readValue(json, ConnectOptions.class);
        } catch (Exception e) {
            throw ProtocolException.silent("invalid CONNECT JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        // JSON null decodes to nothing in the reference: the options stay as they were.
        ConnectOptions c = parsed == null ? connect : parsed.over(connect);
        connect = c;
        verbose = c.verbose();
        pedantic = c.pedantic();
        noResponders = c.noResponders();
        if (!connectReceived) {
            // First estimate of the round trip, as the reference makes it: accept to CONNECT.
            rttNanos = Math.max(1, System.nanoTime() - startNanos);
        }
        connectReceived = true;
        cancel(authTimer);
        echo = c.echoEnabled();
        headers = c.headers();
        // The first CONNECT binds the connection to an account. When the server requires auth, the
        // reference authenticates every later CONNECT too and takes on the user it names.
        if (account == null || server.authenticator().required()) {
            if (server.authenticator().needsBlockingWork(c)) {
                authenticateOffLoop(c);
                return;
            }
            if (login(c, server.authenticator().authenticate(c, nonce))) {
                afterLogin(c);
            }
            return;
        }
        afterLogin(c);
    }

    /**
     * A login that must wait for something slow (an account JWT fetched over HTTP): the
     * connection stops reading and its parser holds what follows CONNECT; the check runs on a
     * worker thread and the connection continues on its loop when it is done.
     */
    private void authenticateOffLoop(ConnectOptions c) {
        authPending = true;
        channel.config().setAutoRead(false);
        server.blockingWork().execute(() -> {
            AuthResult auth;
            try {
                auth = server.authenticator().authenticate(c, nonce);
            } catch (RuntimeException e) {
                auth = AuthResult.failure("authentication error: " + e.getMessage());
            }
            AuthResult result = auth;
            loop.execute(() -> {
                authPending = false;
                if (closed || closeRequested) {
                    return;
                }
                if (login(c, result)) {
                    afterLogin(c);
                }
                if (!closed && !closeRequested) {
                    channel.config().setAutoRead(true);
                    try {
                        parser.resume();
                    } catch (ProtocolException e) {
                        onProtocolError(e);
                    } catch (RuntimeException e) {
                        server.internalError(this, e);
                        close(CloseReason.PROTOCOL_VIOLATION);
                    }
                    server.flushBatch().flush();
                }
            });
        });
    }

    @Override
    public boolean paused() {
        // nothing more is processed once the connection is closing
        return authPending || closeRequested;
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
        if (auth.jwt() != null && !auth.jwt().src().isEmpty()
                && !Cidrs.contains(auth.jwt().src(), remoteIp)) {
            authViolation("client address " + remoteIp + " not in the user's src " + auth.jwt().src());
            return false;
        }
        if (auth.jwt() != null && !auth.jwt().connectionTypes().isEmpty()
                && auth.jwt().connectionTypes().stream().noneMatch("STANDARD"::equalsIgnoreCase)) {
            authViolation("connection type STANDARD not allowed for this user " + auth.jwt().connectionTypes());
            return false;
        }
        Account joining = server.account(auth.account());
        boolean member = account == joining;
        if (account != null && !member) {
            leaveAccount();
        }
        if (auth.jwt() != null && !applyJwtLimits(auth.jwt(), joining, member)) {
            return false;
        }
        account = joining;
        user = auth.user();
        Permissions p = auth.permissions();
        perms = p == null || p.isUnrestricted() ? null : new PermissionChecker(p);
        if (member) {
            server.clientConnected(this, -1); // a CONNECT event again, the count is unchanged
        } else {
            SubjectIndex index = account.subjects();
            for (Subscription s : subs.values()) {
                index.insert(s);
            }
            server.clientConnected(this, account.connectionOpened(this));
        }
        return true;
    }

    /** A later CONNECT moved this connection to another account: its subscriptions go along. */
    private void leaveAccount() {
        SubjectIndex index = account.subjects();
        for (Subscription s : subs.values()) {
            index.remove(s);
        }
        account.connectionClosed(this);
        account = null;
    }

    /** The checks and replies of CONNECT that follow authentication. */
    private void afterLogin(ConnectOptions c) {
        if (c.protocol() < 0 || c.protocol() > 1) {
            closeWithError(ProtocolErrors.BAD_CLIENT_PROTOCOL, CloseReason.BAD_CLIENT_PROTOCOL_VERSION);
            return;
        }
        if (c.noResponders() && !headers) {
            closeWithError(ProtocolErrors.NO_RESPONDERS_REQUIRES_HEADERS, CloseReason.NO_RESPONDERS_REQUIRES_HEADERS);
            return;
        }
        if (pingTimer == null && opts.pingInterval.toNanos() > 0) {
            long every = opts.pingInterval.toNanos();
            pingTimer = loop.scheduleAtFixedRate(this::pingTimerFired, every, every, TimeUnit.NANOSECONDS);
        }
        if (c.verbose()) {
            enqueue(OK);
        }
    }

    /**
     * A JWT user's limits: the account's connection limit (checked now, as the reference does at
     * login) and the tighter of user and account limits for payload and subscriptions.
     *
     * @return false if the connection was refused
     */
    private boolean applyJwtLimits(JwtLogin login, Account joining, boolean member) {
        assert loop.inEventLoop() : "event loop only";
        var limits = login.account().limits();
        if (!member && limits.conn() != -1 && joining.connections() >= limits.conn()) {
            log().error("%s%s", logPrefix, ProtocolErrors.MAX_ACCOUNT_CONNECTIONS);
            closeWithError(ProtocolErrors.MAX_ACCOUNT_CONNECTIONS, CloseReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
            return false;
        }
        jwtLogin = login;
        server.accountClaims(joining, login.account());
        limitsFrom(limits);
        cancel(expiryTimer);
        if (login.expires() != 0) {
            // The reference closes a user whose JWT expires while connected (a negative exp at once).
            long inMillis = login.expires() * 1000 - System.currentTimeMillis();
            if (inMillis <= 0) {
                // expired already (a negative exp): closed before anything else it sent is processed
                closeWithError("User Authentication Expired", CloseReason.AUTHENTICATION_EXPIRED);
            } else {
                expiryTimer = loop.schedule(() -> closeWithError("User Authentication Expired",
                        CloseReason.AUTHENTICATION_EXPIRED), inMillis, TimeUnit.MILLISECONDS);
            }
        }
        return true;
    }

    private void limitsFrom(AccountLimits limits) {
        assert loop.inEventLoop() : "event loop only";
        long serverSubs = opts.maxSubscriptions > 0 ? opts.maxSubscriptions : -1;
        maxPayload = (int) tighter(tighter(opts.maxPayload, limits.payload()), jwtLogin.maxPayload());
        maxSubs = tighter(tighter(serverSubs, limits.subs()), jwtLogin.maxSubs());
        if (maxSubs != -1 && subs.size() >= maxSubs && !closeRequested) {
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
            if (jwtLogin != null) {
                limitsFrom(claims.limits());
            }
        });
    }

    /**
     * Lame duck mode: tells a client that takes asynchronous INFO (protocol 1, past its first
     * PING) to move to another server. Any thread.
     */
    public void sendLameDuckInfo() {
        loop.execute(() -> {
            Integer protocol = connect.protocol();
            if (!closed && !closeRequested && firstPongSent && protocol != null && protocol >= 1) {
                enqueue(server.lameDuckInfoLine(cid, remoteIp));
                flushNow();
            }
        });
    }

    /**
     * {@code $SYS.REQ.SERVER.<id>.LDM} for this one client: the lame duck INFO, if it takes
     * asynchronous INFO. Any thread; waits for its loop.
     *
     * @return null when sent, else the reference's reason
     */
    public String lameDuckThisClient() {
        CompletableFuture<String> done = new CompletableFuture<>();
        loop.execute(() -> {
            Integer protocol = connect.protocol();
            if (!closed && !closeRequested && firstPongSent && protocol != null && protocol >= 1) {
                enqueue(server.lameDuckInfoLine(cid, remoteIp));
                flushNow();
                done.complete(null);
            } else {
                done.complete("client does not support Lame Duck Mode or is not ready to receive the notification");
            }
        });
        try {
            return done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "client does not support Lame Duck Mode or is not ready to receive the notification";
        }
    }

    /** {@link #closeWithError} from any thread. */
    public void closeWithErrorAnyThread(String error, CloseReason reason) {
        if (loop.inEventLoop()) {
            closeWithError(error, reason);
        } else {
            loop.execute(() -> closeWithError(error, reason));
        }
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

    /** The JWT login details, or null for a config user. */
    public JwtLogin jwtLogin() {
        return jwtLogin;
    }

    /** The account's subjects; before login (no auth configured) that is the global account. */
    private SubjectIndex subjectSpace() {
        return (account != null ? account : server.accounts().global()).subjects();
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
    public void onPublish(InboundMessage m) {
        assert loop.inEventLoop() : "event loop only";
        inMsgs++;
        inBytes += m.totalLength;
        String subject = m.subject;
        if (log().isTrace()) {
            log().trace("%s<<- [PUB %s %s %d]", logPrefix, subject, m.reply() == null ? "" : m.reply(), m.totalLength);
        }
        if (perms != null && !perms.canPublish(subject)) {
            log().error("%sPublish Violation - User %s, Subject \"%s\"", logPrefix, user, subject);
            sendError(ProtocolErrors.publishViolation(subject));
            return;
        }
        if (verbose) {
            enqueue(OK);
        }
        SubjectIndex index = subjectSpace();
        long gen = index.generation();
        MatchResult r;
        if (subject == l1Subject && gen == l1Generation) {
            r = l1Result;
        } else {
            r = index.match(subject);
            l1Subject = subject;
            l1Generation = gen;
            l1Result = r;
        }
        boolean delivered = Delivery.deliver(r, m, server.flushBatch());
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
        if (perms != null && (!perms.canSubscribe(subject, queue) || "_sys_".equals(queue))) {
            log().error("%sSubscription Violation - User %s, Subject \"%s\", SID %s", logPrefix, user, subject, sid);
            sendError(ProtocolErrors.subscribeViolation(subject, queue));
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
        if (!subjectSpace().insert(sub)) {
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

    private void removeSubscription(Subscription sub) {
        sub.close();
        if (subs.remove(sub.sid(), sub)) {
            subjectSpace().remove(sub);
        }
    }

    @Override
    public void onPing() {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [PING]", logPrefix);
        lastPingReceivedNanos = System.nanoTime();
        enqueue(PONG);
        firstPongSent = true;
    }

    @Override
    public void onPong() {
        assert loop.inEventLoop() : "event loop only";
        log().trace("%s<<- [PONG]", logPrefix);
        pingsOut = 0;
        if (rttStartNanos != 0) {
            rttNanos = Math.max(1, System.nanoTime() - rttStartNanos);
            rttStartNanos = 0;
        }
    }

    @Override
    public void onClientError(String text) {
        // A client has no business sending -ERR: the reference logs it and closes with a parse error.
        log().error("%sClient Error %s", logPrefix, text);
        close(CloseReason.PARSE_ERROR);
    }

    private void sendError(String error) {
        enqueue(("-ERR '" + error + "'\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void pingTimerFired() {
        assert loop.inEventLoop() : "event loop only";
        if (closed || closeRequested) {
            return;
        }
        long now = System.nanoTime();
        long interval = opts.pingInterval.toNanos();
        if (now - lastReadNanos < interval || (lastPingReceivedNanos != 0 && now - lastPingReceivedNanos < interval)) {
            return; // recent activity proves the client is alive
        }
        if (pingsOut + 1 > opts.pingMax) {
            log().debug("%sStale Client Connection - Closing", logPrefix);
            closeWithError(ProtocolErrors.STALE_CONNECTION, CloseReason.STALE_CONNECTION);
            return;
        }
        pingsOut++;
        rttStartNanos = System.nanoTime();
        enqueue(PING);
        flushNow();
    }

    // ---------------------------------------------------------------- outbound

    /** Queues protocol bytes for this connection and marks it for the current batch's flush. */
    private void enqueue(byte[] bytes) {
        synchronized (outLock) {
            if (out == null) {
                out = channel.alloc().directBuffer(Math.max(INITIAL_OUT, bytes.length));
            }
            out.writeBytes(bytes);
            queuedBytes += bytes.length;
        }
        server.flushBatch().add(this);
    }

    /**
     * Queues a message for one of this connection's subscriptions. Called on the publisher's
     * event loop; never blocks beyond the short outbound lock.
     */
    @Override
    public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
        if (closed || sub.isClosed()) {
            return false;
        }
        if (!echo && m.publisher == this) {
            return false;
        }
        PermissionChecker p = perms;
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
        boolean withHeaders = headers;
        int frame = MessageEncoder.frameSize(m, sub.sidBytes().length, withHeaders);
        boolean slow = false;
        synchronized (outLock) {
            if (closed) {
                return false;
            }
            if (opts.maxPending > 0 && queuedBytes + unflushedBytes() + frame > opts.maxPending) {
                slow = true;
            } else {
                ByteBuf b = out;
                if (b == null) {
                    b = out = channel.alloc().directBuffer(Math.max(INITIAL_OUT, frame));
                }
                int before = b.writerIndex();
                MessageEncoder.writeMessage(b, m, sub.sidBytes(), withHeaders);
                queuedBytes += b.writerIndex() - before;
                outMsgs++;
                outBytes += withHeaders ? m.totalLength : m.totalLength - Math.max(m.headerLength, 0);
            }
        }
        if (slow) {
            slowConsumer(CloseReason.SLOW_CONSUMER_PENDING_BYTES);
            return false;
        }
        if (p != null && p.tracksReplies() && m.hasReply()) {
            p.trackReply(m.reply());
        }
        batch.add(this);
        if ((queuedBytes > stallBytes || !channel.isWritable())
                && m.publisher instanceof ClientConnection pub && pub != this) {
            pub.stallOn(this);
        }
        return true;
    }

    /**
     * Stops reading from this (publishing) connection until {@code dest} drains: the event-loop
     * form of the reference's stalled producer, so a fast publisher slows down to what its
     * subscribers can take instead of pushing them into max_pending. Bounded by
     * {@link #STALL_MAX_NANOS}, after which reading resumes and max_pending/write_deadline decide.
     * Publisher's event loop only.
     */
    private void stallOn(ClientConnection dest) {
        assert loop.inEventLoop() : "event loop only";
        dest.stalledPublishers.add(this);
        if (!readPaused) {
            readPaused = true;
            channel.config().setAutoRead(false);
            loop.schedule(this::resumeReading, STALL_MAX_NANOS, TimeUnit.NANOSECONDS);
        }
        if (dest.closed || (dest.queuedBytes <= dest.stallBytes && dest.channel.isWritable())) {
            dest.releaseStalledPublishers(); // drained while we registered
        }
    }

    private void resumeReading() {
        assert loop.inEventLoop() : "event loop only";
        if (readPaused) {
            readPaused = false;
            if (!closed) {
                channel.config().setAutoRead(true);
            }
        }
    }

    /** This connection's socket drained (or closed): let stalled publishers read again. Any thread. */
    public void releaseStalledPublishers() {
        if (stalledPublishers.isEmpty()) {
            return;
        }
        for (ClientConnection p : stalledPublishers) {
            stalledPublishers.remove(p);
            if (p.loop.inEventLoop()) {
                p.resumeReading();
            } else {
                p.loop.execute(p::resumeReading);
            }
        }
    }

    private void autoUnsubscribe(Subscription sub) {
        sub.close();
        // Remove from the index at once so no further deliveries are attempted; the
        // connection's own map is updated on its loop.
        subjectSpace().remove(sub);
        loop.execute(() -> subs.remove(sub.sid(), sub));
    }

    private long unflushedBytes() {
        ChannelOutboundBuffer ob = channel.unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

    private void slowConsumer(CloseReason reason) {
        server.slowConsumer(this);
        if (account != null) {
            account.slowConsumer();
        }
        // the reference's texts, plus who it is: the client's name tells an operator which app lags
        String who = connect.name() == null || connect.name().isEmpty() ? "" : " (client \"" + connect.name() + "\")";
        if (reason == CloseReason.SLOW_CONSUMER_PENDING_BYTES) {
            log().info("%sSlow Consumer Detected: MaxPending of %d Exceeded%s", logPrefix, opts.maxPending, who);
        } else {
            log().info("%sSlow Consumer Detected: WriteDeadline of %s exceeded with %d chunks of %d total bytes.%s",
                    logPrefix, GoFormat.duration(opts.writeDeadline.toNanos()), 1, unflushedBytes(), who);
        }
        close(reason, false);
    }

    @Override
    public FlushBatch pendingBatch() {
        return pendingBatch;
    }

    @Override
    public void pendingBatch(FlushBatch batch) {
        this.pendingBatch = batch;
    }

    /** Flushes on this connection's loop: now if called there, else via one scheduled task. */
    @Override
    public void flushQueued() {
        if (loop.inEventLoop()) {
            flushNow();
        } else if (flushScheduled.compareAndSet(false, true)) {
            loop.execute(flushTask);
        }
    }

    private ByteBuf takeQueued() {
        synchronized (outLock) {
            ByteBuf b = out;
            out = null;
            queuedBytes = 0;
            return b;
        }
    }

    private void flushNow() {
        assert loop.inEventLoop() : "event loop only";
        flushScheduled.set(false);
        if (closeRequested) {
            return;
        }
        ByteBuf b = takeQueued();
        if (b == null) {
            return;
        }
        if (!b.isReadable()) {
            b.release();
            return;
        }
        ChannelFuture f = channel.writeAndFlush(b);
        if (!channel.isWritable()) {
            lastWrite = f;
            armWriteDeadline();
        } else {
            releaseStalledPublishers();
        }
    }

    /**
     * The socket is backed up: if the last write has not completed within write_deadline,
     * the client is a slow consumer.
     */
    private void armWriteDeadline() {
        if (deadlineArmed || opts.writeDeadline.isZero()) {
            return;
        }
        deadlineArmed = true;
        loop.schedule(() -> {
            deadlineArmed = false;
            ChannelFuture f = lastWrite;
            if (f != null && !f.isDone() && !closed) {
                slowConsumer(CloseReason.SLOW_CONSUMER_WRITE_DEADLINE);
            } else if (!channel.isWritable() && !closed) {
                armWriteDeadline();
            }
        }, opts.writeDeadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return logPrefix;
    }

    /**
     * Bytes pending for one client above which publishers to it stop being read: half of
     * max_pending, where the reference stalls producers too (at least 16KB). A lower threshold
     * (we had a quarter, capped at 1MB) stalled fan-out publishers whenever a subscriber's socket
     * was briefly behind and cost about 20% of fan-out throughput.
     */
    public static int stallBytes(ServerOptions o) {
        long half = o.maxPending > 0 ? o.maxPending / 2 : 32L * 1024 * 1024;
        return (int) Math.max(16 * 1024, Math.min(Integer.MAX_VALUE / 2, half));
    }
}
