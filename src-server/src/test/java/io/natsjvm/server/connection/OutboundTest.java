package io.natsjvm.server.connection;

import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.protocol.InboundMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbound queue on an embedded channel: no sockets, virtual time. */
class OutboundTest {
    private final Events events = new Events();
    private EmbeddedChannel channel;

    /** What the queue told its connection. */
    private static final class Events implements Outbound.Listener {
        int deadlines;
        int drains;

        @Override
        public void writeDeadlineExceeded() {
            deadlines++;
        }

        @Override
        public void drained() {
            drains++;
        }
    }

    /** Holds every flush, so written bytes stay in the channel's buffer: a peer that stopped reading. */
    private static final class StuckPeer extends ChannelOutboundHandlerAdapter {
        @Override
        public void flush(ChannelHandlerContext ctx) {
        }
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static InboundMessage message(String subject, String payload) {
        ByteBuf p = Unpooled.copiedBuffer(payload, StandardCharsets.US_ASCII);
        try {
            return InboundMessage.build(subject, null, p, 0, p.readableBytes(), -1);
        } finally {
            p.release();
        }
    }

    private static String read(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void framesQueuedInOneBatchAreWrittenAsOneFlush() {
        channel = new EmbeddedChannel();
        Outbound out = new Outbound(channel, events, 0, Duration.ofSeconds(10));
        FlushBatch batch = new FlushBatch();
        out.append(bytes("+OK\r\n"), batch);
        out.append(bytes("PONG\r\n"), batch);
        InboundMessage m = message("a.b", "hi");
        assertEquals(Outbound.Append.QUEUED, out.appendMessage(m, bytes("7"), false));
        m.buf.release();
        assertNull(channel.readOutbound(), "nothing is written before the batch ends");
        assertEquals(5 + 6 + "MSG a.b 7 2\r\nhi\r\n".length(), out.pendingBytes());
        batch.flush();
        ByteBuf written = channel.readOutbound();
        assertEquals("+OK\r\nPONG\r\nMSG a.b 7 2\r\nhi\r\n", written.toString(StandardCharsets.US_ASCII));
        written.release();
        assertNull(channel.readOutbound(), "one write for the whole batch");
        assertEquals(0, out.pendingBytes());
        assertEquals(1, out.msgs());
        assertEquals(2, out.bytes());
        assertEquals(1, events.drains, "a socket that took everything releases stalled producers");
        assertTrue(batch.isEmpty());
    }

    @Test
    void aBatchLargerThanOneSegmentIsChainedAndWrittenInOrderAsOneWrite() {
        channel = new EmbeddedChannel();
        Outbound out = new Outbound(channel, events, 0, Duration.ofSeconds(10));
        FlushBatch batch = new FlushBatch();
        StringBuilder expected = new StringBuilder();
        InboundMessage m = message("s", "y".repeat(1000));
        for (int i = 0; i < 200; i++) { // about 200 KB: several segments
            String sid = Integer.toString(i);
            assertEquals(Outbound.Append.QUEUED, out.appendMessage(m, bytes(sid), false));
            expected.append("MSG s ").append(sid).append(" 1000\r\n").append("y".repeat(1000)).append("\r\n");
        }
        out.append(bytes("x".repeat(70_000)), batch); // a frame bigger than a segment
        expected.append("x".repeat(70_000));
        m.buf.release();
        assertEquals(expected.length(), out.pendingBytes());
        batch.flush();
        ByteBuf written = channel.readOutbound();
        assertTrue(written.nioBufferCount() > 1, "segments are gathered, not copied into one buffer");
        assertEquals(expected.toString(), written.toString(StandardCharsets.US_ASCII));
        written.release();
        assertNull(channel.readOutbound(), "one write for the whole batch");
        assertEquals(0, out.pendingBytes());
        assertEquals(200, out.msgs());
    }

    @Test
    void aClosedQueueReleasesEverySegment() {
        channel = new EmbeddedChannel();
        Outbound out = new Outbound(channel, events, 0, Duration.ofSeconds(10));
        out.append(bytes("a".repeat(40_000)), new FlushBatch());
        out.append(bytes("b".repeat(40_000)), new FlushBatch());
        ByteBuf last = out.takeForClose();
        assertEquals("a".repeat(40_000) + "b".repeat(40_000), last.toString(StandardCharsets.US_ASCII));
        assertTrue(last.release(), "one release frees the chain");
    }

    @Test
    void overMaxPendingIsASlowConsumerAndNothingIsQueued() {
        channel = new EmbeddedChannel(new StuckPeer());
        // a 44-byte frame, checked against the limit as its upper bound (66: sizes up to 22 digits)
        Outbound out = new Outbound(channel, events, 130, Duration.ofSeconds(10));
        InboundMessage m = message("s", "x".repeat(30));
        assertEquals(Outbound.Append.QUEUED, out.appendMessage(m, bytes("1"), false));
        out.flush(); // handed to the channel, not written: still pending
        assertEquals(Outbound.Append.QUEUED, out.appendMessage(m, bytes("1"), false));
        assertEquals(Outbound.Append.SLOW_CONSUMER, out.appendMessage(m, bytes("1"), false));
        assertEquals(88, out.pendingBytes(), "in flight and queued bytes both count");
        assertEquals(2, out.msgs());
        m.buf.release();
        out.close();
    }

    @Test
    void aWriteStuckPastWriteDeadlineIsReported() {
        channel = new EmbeddedChannel(new StuckPeer());
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.freezeTime();
        Outbound out = new Outbound(channel, events, 0, Duration.ofSeconds(2));
        out.append(bytes("MSG a 1 20\r\n01234567890123456789\r\n"), new FlushBatch());
        out.flush();
        assertFalse(channel.isWritable());
        channel.advanceTimeBy(1999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(0, events.deadlines);
        channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(1, events.deadlines);
        assertEquals(0, events.drains);
    }

    @Test
    void aWriteThatCompletesInTimeIsNotReported() {
        StuckPeer stuck = new StuckPeer();
        channel = new EmbeddedChannel(stuck);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.freezeTime();
        Outbound out = new Outbound(channel, events, 0, Duration.ofSeconds(2));
        out.append(bytes("MSG a 1 20\r\n01234567890123456789\r\n"), new FlushBatch());
        out.flush();
        channel.pipeline().remove(stuck);
        channel.flush(); // the peer reads again
        assertEquals("MSG a 1 20\r\n01234567890123456789\r\n", read(channel));
        assertEquals(0, out.pendingBytes());
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertEquals(0, events.deadlines);
    }

    @Test
    void congestionFollowsTheSocket() {
        StuckPeer stuck = new StuckPeer();
        channel = new EmbeddedChannel(stuck);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        Outbound out = new Outbound(channel, events, 0, Duration.ofSeconds(2));
        assertFalse(out.congested());
        out.append(bytes("0123456789012345678901234567890123456789"), new FlushBatch());
        out.flush();
        assertTrue(out.congested());
        channel.pipeline().remove(stuck);
        channel.flush();
        read(channel);
        assertFalse(out.congested());
    }

    @Test
    void congestionCountsQueuedAndInFlightBytesTogether() {
        channel = new EmbeddedChannel(new StuckPeer());
        int maxPending = 64 * 1024;
        channel.config().setWriteBufferWaterMark(Sockets.waterMark(maxPending)); // stalls at 32 KB
        Outbound out = new Outbound(channel, events, maxPending, Duration.ofSeconds(2));
        out.append(bytes("a".repeat(20_000)), new FlushBatch());
        out.flush(); // in flight, under the channel's high water mark: writable
        assertTrue(channel.isWritable());
        assertFalse(out.congested());
        out.append(bytes("b".repeat(20_000)), new FlushBatch()); // queued, under the threshold on its own
        assertTrue(out.congested(), "40 KB pending: producers wait before max_pending is near");
        out.close();
    }

    @Test
    void aClosedQueueRefusesAndHandsOverWhatItHeld() {
        channel = new EmbeddedChannel();
        Outbound out = new Outbound(channel, events, 0, Duration.ofSeconds(2));
        out.append(bytes("-ERR 'x'\r\n"), new FlushBatch());
        ByteBuf last = out.takeForClose();
        assertEquals("-ERR 'x'\r\n", last.toString(StandardCharsets.US_ASCII));
        last.release();
        InboundMessage m = message("s", "x");
        assertEquals(Outbound.Append.CLOSED, out.appendMessage(m, bytes("1"), false));
        m.buf.release();
        out.append(bytes("PONG\r\n"), new FlushBatch());
        out.flush();
        assertNull(channel.readOutbound());
        assertTrue(out.isClosed());
    }
}
