package io.natsjvm.bench;

import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.protocol.ProtocolException;
import io.natsjvm.server.protocol.DiscardingHandler;
import io.natsjvm.server.protocol.ProtocolParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The protocol parser on one read batch of {@value #FRAMES} frames, as an event loop hands it a
 * socket read: client PUB and HPUB, and RMSG from a route. Scores are per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParserBenchmark {
    static final int FRAMES = 100;

    @Param({"PUB", "HPUB", "RMSG"})
    public String frame;

    @Param({"16", "128", "1024"})
    public int size;

    private ByteBuf batch;
    private ProtocolParser parser;
    private Sink sink;

    /** Counts what the parser hands over, so the work cannot be optimised away. */
    static final class Sink extends DiscardingHandler {
        private final ConnectionKind kind;
        Blackhole hole;
        long published;

        Sink(ConnectionKind kind) {
            this.kind = kind;
        }

        @Override
        public ConnectionKind kind() {
            return kind;
        }

        @Override
        public void onPublish(InboundMessage msg) {
            published++;
            if (hole != null) {
                hole.consume(msg.subject);
                hole.consume(msg.totalLength);
            }
        }

        @Override
        public void onClientError(String text) {
            throw new IllegalStateException("parser refused the benchmark input: " + text);
        }
    }

    /** The bytes of {@code frames} frames of one kind, each with a {@code size}-byte body. */
    static byte[] frames(String frame, int size, int frames) {
        String payload = "x".repeat(size);
        String headers = "NATS/1.0\r\nK: v\r\n\r\n";
        String one = switch (frame) {
            case "PUB" -> "PUB orders.eu.created " + size + "\r\n" + payload + "\r\n";
            case "HPUB" -> "HPUB orders.eu.created " + headers.length() + " " + (headers.length() + size) + "\r\n"
                    + headers + payload + "\r\n";
            case "RMSG" -> "RMSG $G orders.eu.created " + size + "\r\n" + payload + "\r\n";
            default -> throw new IllegalArgumentException(frame);
        };
        return one.repeat(frames).getBytes(StandardCharsets.US_ASCII);
    }

    @Setup(Level.Trial)
    public void setUp() {
        batch = Unpooled.directBuffer().writeBytes(frames(frame, size, FRAMES));
        sink = new Sink(frame.equals("RMSG") ? ConnectionKind.ROUTER : ConnectionKind.CLIENT);
        parser = new ProtocolParser(sink, ByteBufAllocator.DEFAULT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parser.release();
        batch.release();
        if (sink.published == 0) {
            throw new IllegalStateException("nothing parsed");
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long parseBatch(Blackhole hole) throws ProtocolException {
        sink.hole = hole;
        // the parser takes ownership of what it is fed and releases it: hand it a retained view
        parser.feed(batch.retainedDuplicate());
        return sink.published;
    }
}
