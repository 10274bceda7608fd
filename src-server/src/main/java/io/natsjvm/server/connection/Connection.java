package io.natsjvm.server.connection;

import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.ProtocolErrors;
import io.natsjvm.server.protocol.ProtocolException;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.tls.PinnedCerts;
import io.natsjvm.server.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every kind of connection (client now; route, leaf and gateway next) has in common: its
 * channel and event loop, id and kind, statistics, outbound queue, close, PING/PONG keep-alive and
 * producer stalls. A subclass adds its protocol (CONNECT, subscriptions, RS+ ...).
 *
 * <p>Thread ownership, in the style of Vert.x's {@code VertxConnection}: fields are grouped by the
 * thread that writes them; methods that must run on the connection's loop say so and assert it;
 * methods "safe from any thread" hand their work to the loop.
 */
public abstract class Connection implements Outbound.Listener {
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A stalled producer reads again after this long at most; max_pending and write_deadline decide then. */
    private static final long STALL_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A route or leaf node waits this long at most for a client that is catching up: long enough
     * for a socket draining at ~64 MB/s to fall from the high to the low water mark (16 MB).
     */
    private static final long PEER_STALL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    // ---- set once
    protected final Channel channel;
    protected final EventLoop loop;
    private final long cid;
    private final ConnectionKind kind;
    private final String remoteIp;
    private final int remotePort;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    protected final String logPrefix;
    protected final Outbound out;

    // ---- event loop only
    private boolean closeRequested;
    private ScheduledFuture<?> pingTimer;
    private long pingIntervalNanos;
    private int pingMax;
    private int pingsOut;
    private long rttStartNanos;
    private long lastPingReceivedNanos;
    private boolean readPaused;
    /** Counts stalls, so that a timer can tell whether the stall it bounds is still the current one. */
    private long stallSeq;

    // ---- written on the event loop, read from any thread (monitoring, events)
    private volatile boolean closed;
    private volatile CloseReason closeReason;
    private volatile long lastReadNanos = startNanos;
    private volatile long rttNanos;
    /** Written by the loop per message, read by monitoring: opaque access (no fence per message). */
    private long inMsgs;
    private long inBytes;
    private static final VarHandle IN_MSGS;
    private static final VarHandle IN_BYTES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            IN_MSGS = l.findVarHandle(Connection.class, "inMsgs", long.class);
            IN_BYTES = l.findVarHandle(Connection.class, "inBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- any thread: producers on other loops that stopped reading because this destination is full
    private final Set<Connection> stalledProducers = ConcurrentHashMap.newKeySet();
    /**
     * False once a route or leaf waited for this destination in vain: no peer waits for it again
     * until its socket drains, so a client that is not catching up holds no route back twice.
     */
    private volatile boolean peersMayWait = true;
    /** The last single queue name forwarded to this peer, encoded; any thread (an immutable pair). */
    private volatile QueueName lastQueue;

    protected Connection(Channel channel, long cid, ConnectionKind kind, String remoteIp, int remotePort,
            long maxPending, Duration writeDeadline) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.cid = cid;
        this.kind = kind;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.logPrefix = remoteIp + ":" + remotePort + " - " + kind.idLabel() + ":" + cid + " - ";
        this.out = new Outbound(channel, this, maxPending, writeDeadline, kind == ConnectionKind.CLIENT);
    }

    // ---------------------------------------------------------------- identity and statistics (any thread)

    public long cid() {
        return cid;
    }

    public ConnectionKind kind() {
        return kind;
    }

    public String remoteIp() {
        return remoteIp;
    }

    public int remotePort() {
        return remotePort;
    }

    public Instant start() {
        return start;
    }

    /** When the peer last sent anything. */
    public Instant lastActivity() {
        return start.plusNanos(lastReadNanos - startNanos);
    }

    /** Measured round-trip time in nanoseconds, 0 until known. */
    public long rttNanos() {
        return rttNanos;
    }

    protected void rttNanos(long nanos) {
        rttNanos = Math.max(1, nanos);
    }

    protected long nanosSinceStart() {
        return System.nanoTime() - startNanos;
    }

    public long inMsgs() {
        return (long) IN_MSGS.getOpaque(this);
    }

    public long inBytes() {
        return (long) IN_BYTES.getOpaque(this);
    }

    public long outMsgs() {
        return out.msgs();
    }

    public long outBytes() {
        return out.bytes();
    }

    /** Event loop only. */
    protected void countIn(long bytes) {
        IN_MSGS.setOpaque(this, inMsgs + 1);
        IN_BYTES.setOpaque(this, inBytes + bytes);
    }

    /** Bytes queued for this connection and not yet written to the socket. */
    public long pendingBytes() {
        return out.pendingBytes();
    }

    public Outbound outbound() {
        return out;
    }

    public boolean isClosed() {
        return closed;
    }

    public CloseReason closeReason() {
        return closeReason;
    }

    /** True once a close was asked for: nothing more is read or processed. Event loop only. */
    protected boolean closing() {
        return closeRequested;
    }

    // ---------------------------------------------------------------- input (event loop)

    /** Bytes arrived from the socket. Event loop only. */
    public final void onRead(ByteBuf data) {
        assert loop.inEventLoop() : "event loop only";
        if (closed || closeRequested) {
            data.release();
            return;
        }
        lastReadNanos = System.nanoTime();
        try {
            parse(data);
        } catch (ProtocolException e) {
            protocolError(e);
        } catch (RuntimeException e) {
            internalError(e);
            close(CloseReason.PROTOCOL_VIOLATION);
        }
    }

    /** Decodes what arrived (the parser takes ownership of {@code data}). */
    protected abstract void parse(ByteBuf data) throws ProtocolException;

    /** The peer broke the protocol: log and close as the reference does for this kind. */
    protected abstract void protocolError(ProtocolException e);

    /** An exception no input should cause: counted and logged; the connection is then closed. */
    protected abstract void internalError(RuntimeException e);

    /** Closed for good (either side, any reason): undo subscriptions, account membership. Event loop. */
    protected abstract void onClosed();

    /** The destination could not keep up: counted, logged, closed without flushing. */
    protected abstract void slowConsumer(CloseReason reason);

    /** The peer broke the protocol: closed with the reference's -ERR when it sends one, else at once. */
    protected final void closeFor(ProtocolException e) {
        if (e.clientError() != null) {
            closeWithError(e.clientError(), e.reason());
        } else {
            close(e.reason());
        }
    }

    /** A route or leaf node that cannot keep up: logged as the reference logs it, closed unflushed. */
    protected final void peerSlowConsumer(String kind, CloseReason reason) {
        ServerLog.get().info("%sSlow Consumer Detected: %s is not keeping up (%d bytes pending)", logPrefix, kind,
                out.pendingBytes());
        close(reason, false);
    }

    /**
     * Follows a TLS handshake on this connection ({@code kind}: "" for clients, "route ",
     * "leafnode "): once done, the version and cipher are logged as the reference logs them and
     * {@code then} runs with the session; a failure or timeout is logged as
     * {@code TLS <kind>handshake error: ...} / {@code ...timeout} and closes the connection.
     * The listener runs on the connection's loop.
     */
    protected final void onTlsHandshake(SslHandler ssl, String kind, Consumer<SSLSession> then) {
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                SSLSession session = ssl.engine().getSession();
                if (!PinnedCerts.matches(pinnedCerts(), session)) {
                    ServerLog.get().error("%sTLS %shandshake error: certificate not pinned", logPrefix, kind);
                    close(CloseReason.TLS_HANDSHAKE_ERROR, false);
                    return;
                }
                ServerLog.get().debug("%sTLS handshake complete", logPrefix);
                ServerLog.get().debug("%sTLS version %s, cipher suite %s", logPrefix,
                        ServerTls.version(session.getProtocol()), session.getCipherSuite());
                then.accept(session);
            } else if (!isClosed()) {
                Throwable cause = f.cause();
                ServerLog.get().error("%s%s", logPrefix, cause instanceof SslHandshakeTimeoutException
                        ? "TLS " + kind + "handshake timeout"
                        : "TLS " + kind + "handshake error: " + ServerTls.rootMessage(cause));
                close(CloseReason.TLS_HANDSHAKE_ERROR, false);
            }
        });
    }

    /**
     * The {@code pinned_certs} the peer's certificate must be among after a TLS handshake (its
     * listener's, or the remote's for a dialled connection), or null: no pinning.
     */
    protected Set<String> pinnedCerts() {
        return null;
    }

    /** True if a close for this reason should reset the socket (the peer's unread data). */
    protected boolean resetOnClose(CloseReason reason) {
        return false;
    }

    // ---------------------------------------------------------------- output

    /** Queues protocol bytes and marks them for this read batch's flush. Event loop only. */
    protected void enqueue(byte[] bytes) {
        assert loop.inEventLoop() : "event loop only";
        out.append(bytes, FlushBatch.current());
    }

    /** Writes what is queued now. Event loop only. */
    protected void flushNow() {
        out.flush();
    }

    protected void sendError(String error) {
        enqueue(("-ERR '" + error + "'\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void writeDeadlineExceeded() {
        slowConsumer(CloseReason.SLOW_CONSUMER_WRITE_DEADLINE);
    }

    @Override
    public void drained() {
        if (!peersMayWait) {
            peersMayWait = true;
        }
        releaseStalledProducers();
    }

    /**
     * One RMSG/HMSG (routes: {@code account} named) or LMSG/HMSG (leafs: {@code account} null) for a
     * peer that fans out itself, naming the queue groups it was picked for; with an {@code origin},
     * a route's LMSG naming the leaf cluster the message came from. Any thread.
     *
     * @return false if the peer could not take it (closed, or a slow consumer now closing)
     */
    protected final boolean forwardToPeer(InboundMessage m, byte[] origin, byte[] account, List<String> queues,
            boolean withHeaders, FlushBatch batch) {
        Outbound.Append a = out.appendRouted(m, origin, account, queueNames(queues), withHeaders);
        if (a != Outbound.Append.QUEUED) {
            if (a == Outbound.Append.SLOW_CONSUMER) {
                slowConsumer(CloseReason.SLOW_CONSUMER_PENDING_BYTES);
            }
            return false;
        }
        batch.add(out);
        if (m.publisher instanceof Connection producer) {
            producer.stallIfBehind(this);
        }
        return true;
    }

    private static final byte[] NO_QUEUES = new byte[0];

    /** The queue names of an RMSG/LMSG, each followed by a space; one group is the common case. */
    private byte[] queueNames(List<String> queues) {
        if (queues.isEmpty()) {
            return NO_QUEUES;
        }
        if (queues.size() == 1) {
            // a queue group's messages all name it: encode it once, not per message
            QueueName last = lastQueue;
            String name = queues.get(0);
            if (last == null || !last.name.equals(name)) {
                last = new QueueName(name, (name + ' ').getBytes(StandardCharsets.UTF_8));
                lastQueue = last;
            }
            return last.bytes;
        }
        StringBuilder sb = new StringBuilder();
        for (String queue : queues) {
            sb.append(queue).append(' ');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private record QueueName(String name, byte[] bytes) {
    }

    // ---------------------------------------------------------------- producer stalls

    /**
     * A message was just queued for {@code dest}: if dest is behind, stop reading from this
     * (producing) connection until it drains, the event-loop form of the reference's stalled
     * producer. A CLIENT producer waits up to {@link #STALL_MAX_NANOS}, as in the reference.
     *
     * <p>The reference never holds a route or leaf back for a client, so a publisher faster than a
     * subscriber on another server overruns it (slow consumer, messages lost) where the same pair on
     * one server would be paced. Here a route or leaf producer also waits for a client destination,
     * but only for one that is catching up: at most {@link #PEER_STALL_MAX_NANOS}, and after one wait
     * in vain not again until that client drains. A stuck client therefore costs the route one short
     * pause and then meets max_pending as with the reference; a slower one paces the route (and,
     * through TCP, the publishing server's client) instead of being cut. Producer's loop only.
     */
    public void stallIfBehind(Connection dest) {
        if (dest == this || !dest.out.congested()) {
            return;
        }
        long bound;
        if (kind == ConnectionKind.CLIENT) {
            bound = STALL_MAX_NANOS;
        } else if ((kind == ConnectionKind.ROUTER || kind == ConnectionKind.LEAF)
                && dest.kind == ConnectionKind.CLIENT && dest.peersMayWait) {
            bound = PEER_STALL_MAX_NANOS;
        } else {
            return;
        }
        pauseReadingBehind(dest, bound);
    }

    /**
     * The rare part of {@link #stallIfBehind}, kept out of it: the timer's lambda is linked on
     * first use, and the JIT cannot compile a call site that is not linked yet. Inlined into the
     * message path it left a trap there that, at a server's first stall, threw the compiled
     * read path of every connection on the loop back to the interpreter (seen in
     * -XX:+LogCompilation of a routed128 pair: three of the largest compilations redone mid-run).
     */
    private void pauseReadingBehind(Connection dest, long bound) {
        assert loop.inEventLoop() : "event loop only";
        dest.stalledProducers.add(this);
        if (!readPaused) {
            readPaused = true;
            channel.config().setAutoRead(false);
            long seq = ++stallSeq;
            loop.schedule(() -> stallExpired(seq, dest), bound, TimeUnit.NANOSECONDS);
        }
        if (dest.closed || !dest.out.congested()) {
            dest.releaseStalledProducers(); // drained while we registered
        }
    }

    private void stallExpired(long seq, Connection dest) {
        if (!readPaused || seq != stallSeq) {
            return; // released in time; a later stall has its own timer
        }
        if (kind != ConnectionKind.CLIENT) {
            dest.peersMayWait = false;
        }
        resumeReading();
    }

    private void resumeReading() {
        assert loop.inEventLoop() : "event loop only";
        if (readPaused) {
            readPaused = false;
            if (!closed && readAllowed()) {
                channel.config().setAutoRead(true);
            }
        }
    }

    /** False while a subclass holds reading for its own reasons (a login checked off the loop). */
    protected boolean readAllowed() {
        return true;
    }

    /** This connection's socket drained (or closed): stalled producers read again. Any thread. */
    public void releaseStalledProducers() {
        if (stalledProducers.isEmpty()) {
            return;
        }
        for (Connection p : stalledProducers) {
            stalledProducers.remove(p);
            if (p.loop.inEventLoop()) {
                p.resumeReading();
            } else {
                p.loop.execute(p::resumeReading);
            }
        }
    }

    // ---------------------------------------------------------------- keep-alive (event loop)

    /** Starts PINGing a quiet peer every {@code interval}; {@code max} unanswered PINGs close it. */
    protected void startPingTimer(Duration interval, int max) {
        assert loop.inEventLoop() : "event loop only";
        if (pingTimer != null || interval.toNanos() <= 0) {
            return;
        }
        pingIntervalNanos = interval.toNanos();
        pingMax = max;
        pingTimer = loop.scheduleAtFixedRate(this::pingTimerFired, pingIntervalNanos, pingIntervalNanos,
                TimeUnit.NANOSECONDS);
    }

    private void pingTimerFired() {
        assert loop.inEventLoop() : "event loop only";
        if (closed || closeRequested) {
            return;
        }
        long now = System.nanoTime();
        long interval = pingIntervalNanos;
        if (now - lastReadNanos < interval || (lastPingReceivedNanos != 0 && now - lastPingReceivedNanos < interval)) {
            return; // recent activity proves the peer is alive
        }
        if (pingsOut + 1 > pingMax) {
            staleConnection();
            return;
        }
        pingsOut++;
        rttStartNanos = System.nanoTime();
        enqueue(PING);
        flushNow();
    }

    /** Too many PINGs unanswered. */
    protected void staleConnection() {
        closeWithError(ProtocolErrors.STALE_CONNECTION, CloseReason.STALE_CONNECTION);
    }

    /** The peer sent PING: answer PONG. Event loop only. */
    protected void pingReceived() {
        assert loop.inEventLoop() : "event loop only";
        lastPingReceivedNanos = System.nanoTime();
        enqueue(PONG);
    }

    /** The peer answered a PING: it is alive, and the round trip is measured. Event loop only. */
    protected void pongReceived() {
        assert loop.inEventLoop() : "event loop only";
        pingsOut = 0;
        if (rttStartNanos != 0) {
            rttNanos(System.nanoTime() - rttStartNanos);
            rttStartNanos = 0;
        }
    }

    /** Sends a PING now and measures the round trip when its PONG comes. Event loop only. */
    protected void sendPing() {
        rttStartNanos = System.nanoTime();
        enqueue(PING);
        flushNow();
    }

    // ---------------------------------------------------------------- close

    /** Queues -ERR, flushes, and closes. Event loop only. */
    public void closeWithError(String error, CloseReason reason) {
        assert loop.inEventLoop() : "event loop only";
        sendError(error);
        close(reason);
    }

    /** The event loop that owns this connection. */
    public EventLoop loop() {
        return loop;
    }

    /** {@link #closeWithError} from any thread. */
    public void closeWithErrorAnyThread(String error, CloseReason reason) {
        if (loop.inEventLoop()) {
            closeWithError(error, reason);
        } else {
            loop.execute(() -> closeWithError(error, reason));
        }
    }

    /** Flushes what is queued and closes. Safe from any thread. */
    public void close(CloseReason reason) {
        close(reason, true);
    }

    /**
     * Closes the connection, first writing what is queued when {@code flushFirst} (a peer that
     * stopped reading gets no such courtesy: its socket is closed at once). Any thread.
     */
    public void close(CloseReason reason, boolean flushFirst) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(reason, flushFirst));
            return;
        }
        if (closeSocket(reason, flushFirst)) {
            cleanup();
        }
    }

    /**
     * The half of a close the peer sees: what is queued is written (when {@code flushFirst}) and
     * the socket closed. False when a close was already requested. {@link #cleanup} must follow.
     */
    boolean closeSocket(CloseReason reason, boolean flushFirst) {
        assert loop.inEventLoop() : "event loop only";
        if (closeRequested) {
            return false;
        }
        closeRequested = true;
        if (closeReason == null) {
            closeReason = reason;
        }
        ByteBuf b = out.takeForClose();
        if (b != null && flushFirst && channel.isActive()) {
            boolean reset = resetOnClose(reason);
            channel.writeAndFlush(b).addListener(f -> {
                if (reset) {
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                }
                channel.close();
            });
            // Do not wait for a peer that does not read.
            long wait = Math.max(TimeUnit.NANOSECONDS.toMillis(out.writeDeadlineNanos()), 100);
            loop.schedule(() -> {
                channel.close();
            }, wait, TimeUnit.MILLISECONDS);
        } else {
            if (b != null) {
                b.release();
            }
            channel.close();
        }
        return true;
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

    /** The bookkeeping half of a close (timers, queue, subscriptions, accounts, events): once. */
    void cleanup() {
        assert loop.inEventLoop() : "event loop only";
        if (closed) {
            return;
        }
        closed = true;
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
        out.close();
        releaseStalledProducers();
        onClosed();
    }

    @Override
    public String toString() {
        return logPrefix;
    }
}
