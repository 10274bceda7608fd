package io.natsjvm.bench;

import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.protocol.MessageEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Writing one delivery into a subscriber's outbound buffer: MSG to a client (with and without a
 * reply subject), and RMSG with a queue name to a route. Scores are per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncoderBenchmark {
    @Param({"16", "128", "1024"})
    public int size;

    private InboundMessage plain;
    private InboundMessage withReply;
    private ByteBuf out;
    private final byte[] sid = "17".getBytes(StandardCharsets.US_ASCII);
    private final byte[] account = "$G".getBytes(StandardCharsets.US_ASCII);
    // queue names each end with a space, as the route writer keeps them
    private final byte[] queues = "workers ".getBytes(StandardCharsets.US_ASCII);

    @Setup(Level.Trial)
    public void setUp() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[size]);
        plain = InboundMessage.build("orders.eu.created", null, payload, 0, size, -1);
        withReply = InboundMessage.build("orders.eu.created", "_INBOX.8Q2fT6bT0gFq2eTVr6Lx1y.42", payload, 0, size, -1);
        out = Unpooled.directBuffer(64 * 1024);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plain.buf.release();
        withReply.buf.release();
        out.release();
    }

    @Benchmark
    public int msg() {
        out.clear();
        MessageEncoder.writeMessage(out, plain, sid, false);
        return out.writerIndex();
    }

    @Benchmark
    public int msgWithReply() {
        out.clear();
        MessageEncoder.writeMessage(out, withReply, sid, false);
        return out.writerIndex();
    }

    @Benchmark
    public int routedWithQueue() {
        out.clear();
        MessageEncoder.writeRouted(out, plain, account, queues, false);
        return out.writerIndex();
    }
}
