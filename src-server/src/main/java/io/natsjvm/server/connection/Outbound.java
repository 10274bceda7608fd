package io.natsjvm.server.connection;

import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.protocol.MessageEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's outbound queue: any thread appends frames, the owning event loop writes them
 * to the socket once per read batch, and the queue enforces max_pending (on append) and
 * write_deadline (on a socket that stops draining).
 *
 * <p>Threading: appends from any thread take {@link #lock}, held only while bytes are copied and
 * never while calling out. Pending bytes are counted here (queued, plus handed to the channel and
 * not yet written), so no thread reads the channel's own buffers. {@link #flush}, the write
 * deadline and {@link #takeForClose} run on the owning loop.
 */
public final class Outbound implements FlushBatch.Flushable {
    /** What the queue tells its connection. */
    public interface Listener {
        /** A write did not complete within write_deadline. Event loop. */
        void writeDeadlineExceeded();

        /** The socket took what was written: producers stalled on this destination may go on. */
        void drained();
    }

    /** The outcome of an append. */
    public enum Append {
        QUEUED,
        /** Over max_pending: the destination is a slow consumer; nothing was queued. */
        SLOW_CONSUMER,
        CLOSED
    }

    private static final int INITIAL_CAPACITY = 1024;
    /**
     * The largest segment a queue allocates for small frames. A batch bigger than its first
     * segment chains more (each twice the last, up to this) instead of growing one buffer, which
     * copied everything queued at each doubling (8% of the pub/sub profile with the pool churn it
     * caused). Smaller segments (32 KB, what Netty's per-thread cache holds) cost 20% of 1 KB
     * pub/sub throughput.
     */
    private static final int MAX_SEGMENT = 512 * 1024;
    /** Segments one write may gather (the kernel's iovec limit); more are merged by Netty. */
    private static final int MAX_SEGMENTS = 1024;

    private final Channel channel;
    private final EventLoop loop;
    private final Listener listener;
    private final int stallBytes;
    private final boolean cutAtMaxPending;
    private volatile long maxPending;
    private volatile long writeDeadlineNanos;

    // Written under lock. The counters are read without it (stall checks, monitoring), where a
    // value a moment old is fine: written and read "opaque" (atomic, no fence on the hot path).
    private final Object lock = new Object();
    /** The segment being filled. */
    private ByteBuf queued;
    /** Filled segments before {@link #queued}, oldest first; null while there is only one. */
    private CompositeByteBuf filled;
    /** Capacity for the next segment: about what the last flush carried, up to MAX_SEGMENT. */
    private int sizeHint = INITIAL_CAPACITY;
    private long queuedBytes;
    private long msgs;
    private long bytes;
    private volatile boolean closed;
    private static final VarHandle QUEUED_BYTES;
    private static final VarHandle MSGS;
    private static final VarHandle BYTES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            QUEUED_BYTES = l.findVarHandle(Outbound.class, "queuedBytes", long.class);
            MSGS = l.findVarHandle(Outbound.class, "msgs", long.class);
            BYTES = l.findVarHandle(Outbound.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long queuedBytes() {
        return (long) QUEUED_BYTES.getOpaque(this);
    }

    /** Lock held. */
    private void queuedBytes(long v) {
        QUEUED_BYTES.setOpaque(this, v);
    }

    /** Lock held: one more message of {@code payload} bytes queued. */
    private void counted(long payload) {
        MSGS.setOpaque(this, msgs + 1);
        BYTES.setOpaque(this, bytes + payload);
    }

    // Any thread.
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushTask = this::flush;
    private FlushBatch pendingBatch;

    // Event loop only.
    /** Sizes of the writes not completed yet, oldest first (the channel completes writes in order). */
    private final IntQueue writeSizes = new IntQueue();
    /** One listener for every write: no allocation per flush. */
    private final ChannelFutureListener written = f -> inFlight.addAndGet(-writeSizes.poll());
    private ChannelFuture lastWrite;
    private boolean deadlineArmed;

    /**
     * @param maxPending    bytes a destination may have pending before it is a slow consumer; 0: no limit
     * @param writeDeadline how long one write may take; zero: no deadline
     */
    public Outbound(Channel channel, Listener listener, long maxPending, Duration writeDeadline) {
        this(channel, listener, maxPending, writeDeadline, true);
    }

    /**
     * @param cutAtMaxPending false for routes and leaf nodes: as in the reference, only a client is
     *                        a slow consumer by pending bytes; a peer is cut by write_deadline only
     *                        (its producers stall at half max_pending all the same)
     */
    public Outbound(Channel channel, Listener listener, long maxPending, Duration writeDeadline,
            boolean cutAtMaxPending) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.listener = listener;
        this.stallBytes = stallBytes(maxPending);
        this.cutAtMaxPending = cutAtMaxPending;
        limits(maxPending, writeDeadline);
    }

    /**
     * Bytes pending for one destination above which its producers stop being read: half of
     * max_pending, where the reference stalls producers too (at least 16KB). A lower threshold
     * stalled fan-out publishers whenever a subscriber's socket was briefly behind and cost about
     * 20% of fan-out throughput. Also the channel's high water mark.
     */
    public static int stallBytes(long maxPending) {
        long half = maxPending > 0 ? maxPending / 2 : 32L * 1024 * 1024;
        return (int) Math.max(16 * 1024, Math.min(Integer.MAX_VALUE / 2, half));
    }

    /** New limits (config reload). Any thread. */
    public void limits(long maxPending, Duration writeDeadline) {
        this.maxPending = maxPending;
        this.writeDeadlineNanos = writeDeadline.toNanos();
    }

    public long maxPending() {
        return maxPending;
    }

    public long writeDeadlineNanos() {
        return writeDeadlineNanos;
    }

    /** Queued plus written to the channel and not yet on the wire. Any thread. */
    public long pendingBytes() {
        return queuedBytes() + inFlight.get();
    }

    /** Messages and their payload bytes queued since the start (monitoring). */
    public long msgs() {
        return (long) MSGS.getOpaque(this);
    }

    public long bytes() {
        return (long) BYTES.getOpaque(this);
    }

    /**
     * True while this destination is behind enough that producers should wait: its pending bytes
     * (queued plus handed to the channel), the sum max_pending is checked against, are over the
     * stall threshold. Checked apart, the two could each stay just under it while together they
     * reached max_pending: a route read batch queued up to half of it on top of a channel holding
     * almost the other half, and the subscriber was cut although its producer should have waited
     * (a routed pair with max_pending 2MB lost messages that way). Any thread.
     */
    public boolean congested() {
        return pendingBytes() > stallBytes || !channel.isWritable();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Queues protocol bytes (INFO, +OK, PONG, -ERR ...) and marks the queue for the batch's flush. */
    public void append(byte[] frame, FlushBatch batch) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            buffer(frame.length).writeBytes(frame);
            queuedBytes(queuedBytes + frame.length);
        }
        batch.add(this);
    }

    /**
     * Queues a MSG/HMSG for subscription {@code sid}, unless the destination already has
     * max_pending bytes pending. The caller adds this queue to its flush batch.
     */
    public Append appendMessage(InboundMessage m, byte[] sid, boolean withHeaders) {
        int frame = MessageEncoder.frameSize(m, sid.length, withHeaders);
        synchronized (lock) {
            if (closed) {
                return Append.CLOSED;
            }
            if (overMaxPending(frame)) {
                return Append.SLOW_CONSUMER;
            }
            ByteBuf b = buffer(frame);
            int before = b.writerIndex();
            MessageEncoder.writeMessage(b, m, sid, withHeaders);
            queuedBytes(queuedBytes + b.writerIndex() - before);
            counted(withHeaders ? m.totalLength : m.totalLength - Math.max(m.headerLength, 0));
        }
        return Append.QUEUED;
    }

    /**
     * Queues an RMSG/HMSG/LMSG for a route or leaf peer ({@code queues}: each name followed by a
     * space; {@code origin}: a leaf cluster's name for a route's LMSG, or null), unless
     * the peer already has max_pending bytes pending. The caller adds this queue to its batch.
     */
    public Append appendRouted(InboundMessage m, byte[] origin, byte[] account, byte[] queues, boolean withHeaders) {
        boolean sizes = withHeaders || origin != null;
        int frame = MessageEncoder.routedFrameSize(m, MessageEncoder.namesLength(origin, account), queues.length, sizes);
        synchronized (lock) {
            if (closed) {
                return Append.CLOSED;
            }
            if (overMaxPending(frame)) {
                return Append.SLOW_CONSUMER;
            }
            ByteBuf b = buffer(frame);
            int before = b.writerIndex();
            MessageEncoder.writeRouted(b, m, origin, account, queues, withHeaders);
            queuedBytes(queuedBytes + b.writerIndex() - before);
            counted(sizes ? m.totalLength : m.totalLength - Math.max(m.headerLength, 0));
        }
        return Append.QUEUED;
    }

    /**
     * Queues protocol bytes from any thread and has the owning loop flush them after what it is
     * doing now (one task however many frames arrive meanwhile): for interest updates, which
     * happen on whatever thread changed a subscription, inside or outside a read batch.
     */
    public void appendAndFlushSoon(byte[] frame) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            buffer(frame.length).writeBytes(frame);
            queuedBytes(queuedBytes + frame.length);
        }
        if (flushScheduled.compareAndSet(false, true)) {
            loop.execute(flushTask);
        }
    }

    /** True if queueing {@code frame} more bytes makes this a slow consumer (clients only). */
    private boolean overMaxPending(int frame) {
        long limit = maxPending;
        return cutAtMaxPending && limit > 0 && queuedBytes + inFlight.get() + frame > limit;
    }

    /**
     * A segment with {@code room} writable bytes. The first is sized for what the last flush
     * carried, so a destination that gets many messages per batch does not start small every
     * batch (once the top of the fan-out profile); when it is full the next one is chained
     * behind it, never copied. Lock held.
     */
    private ByteBuf buffer(int room) {
        ByteBuf b = queued;
        if (b == null) {
            return queued = channel.alloc().directBuffer(Math.max(sizeHint, room));
        }
        if (b.writableBytes() < room) {
            if (filled == null) {
                filled = channel.alloc().compositeDirectBuffer(MAX_SEGMENTS);
            }
            filled.addComponent(true, b);
            b = queued = channel.alloc().directBuffer(Math.max(Math.min(MAX_SEGMENT, 2 * b.capacity()), room));
        }
        return b;
    }

    /** Detaches everything queued as one buffer (null if none). Lock held. */
    private ByteBuf detach() {
        ByteBuf b = queued;
        CompositeByteBuf segments = filled;
        queued = null;
        filled = null;
        queuedBytes(0);
        // filled segments always have the one being filled behind them
        return segments == null ? b : segments.addComponent(true, b);
    }

    @Override
    public FlushBatch pendingBatch() {
        return pendingBatch;
    }

    @Override
    public void pendingBatch(FlushBatch batch) {
        this.pendingBatch = batch;
    }

    /** Flushes on the owning loop: now if called there, else through one scheduled task. Any thread. */
    @Override
    public void flushQueued() {
        if (loop.inEventLoop()) {
            flush();
        } else if (flushScheduled.compareAndSet(false, true)) {
            loop.execute(flushTask);
        }
    }

    /** Writes and flushes what is queued. Event loop only. */
    public void flush() {
        assert loop.inEventLoop() : "event loop only";
        flushScheduled.set(false);
        ByteBuf b = take();
        if (b == null) {
            return;
        }
        if (!b.isReadable() || !channel.isActive()) {
            b.release();
            return;
        }
        int n = b.readableBytes();
        inFlight.addAndGet(n);
        writeSizes.add(n);
        ChannelFuture f = channel.writeAndFlush(b);
        f.addListener(written);
        if (!channel.isWritable()) {
            lastWrite = f;
            armWriteDeadline();
        } else {
            listener.drained();
        }
    }

    private ByteBuf take() {
        synchronized (lock) {
            ByteBuf b = detach();
            if (b != null) {
                int used = b.readableBytes();
                // grow at once to what a batch needs, shrink slowly when batches get smaller
                sizeHint = Math.min(MAX_SEGMENT, Math.max(INITIAL_CAPACITY, used > sizeHint ? used
                        : sizeHint - (sizeHint - used) / 4));
            }
            return closed && b != null ? release(b) : b;
        }
    }

    private static ByteBuf release(ByteBuf b) {
        b.release();
        return null;
    }

    /**
     * The socket is backed up: if the last write has not completed within write_deadline, the
     * destination is a slow consumer. Event loop only.
     */
    private void armWriteDeadline() {
        long deadline = writeDeadlineNanos;
        if (deadlineArmed || deadline <= 0) {
            return;
        }
        deadlineArmed = true;
        loop.schedule(() -> {
            deadlineArmed = false;
            ChannelFuture f = lastWrite;
            if (closed) {
                return;
            }
            if (f != null && !f.isDone()) {
                listener.writeDeadlineExceeded();
            } else if (!channel.isWritable()) {
                armWriteDeadline();
            }
        }, deadline, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes the queue: later appends are refused. Returns what was queued (the caller writes it
     * before closing the socket, or releases it), or null. Event loop only.
     */
    public ByteBuf takeForClose() {
        assert loop.inEventLoop() : "event loop only";
        synchronized (lock) {
            closed = true;
            return detach();
        }
    }

    /** Closes the queue and drops what it holds. Any thread. */
    public void close() {
        ByteBuf b;
        synchronized (lock) {
            closed = true;
            b = detach();
        }
        if (b != null) {
            b.release();
        }
    }

    /** A growable ring of ints, for the sizes of writes in flight. Event loop only. */
    private static final class IntQueue {
        private int[] items = new int[8];
        private int head;
        private int size;

        void add(int v) {
            if (size == items.length) {
                int[] grown = new int[items.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = items[(head + i) % items.length];
                }
                items = grown;
                head = 0;
            }
            items[(head + size) % items.length] = v;
            size++;
        }

        int poll() {
            if (size == 0) {
                return 0;
            }
            int v = items[head];
            head = (head + 1) % items.length;
            size--;
            return v;
        }
    }
}
