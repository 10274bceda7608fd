package io.natsjvm.server.connection;

import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.util.FakeConnectionContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections on one real event loop (Netty's in-process channels: a close is completed by a later
 * task on the loop, as on a socket; an embedded channel would run it at once).
 */
class ClosingsTest {
    private final DefaultEventLoopGroup loop = new DefaultEventLoopGroup(1);
    private final FakeConnectionContext ctx = new FakeConnectionContext();
    private final List<ClientConnection> accepted = new CopyOnWriteArrayList<>();
    private final LocalAddress address = new LocalAddress("closings-" + UUID.randomUUID());
    private Peer a;
    private Peer b;
    private ClientConnection ca;
    private ClientConnection cb;

    /** The client end of one connection: what it received, and when it was closed. */
    private static final class Peer extends ChannelInboundHandlerAdapter {
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        Channel channel;

        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            partial.append(b.toString(StandardCharsets.UTF_8));
            b.release();
            for (int i; (i = partial.indexOf("\r\n")) >= 0; partial.delete(0, i + 2)) {
                lines.add(partial.substring(0, i));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext c) {
            closed.complete(null);
        }

        String next() throws InterruptedException {
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertTrue(line != null, "nothing received");
            return line;
        }
    }

    private Peer connect() throws Exception {
        Peer p = new Peer();
        p.channel = new Bootstrap().group(loop).channel(LocalChannel.class).handler(p).connect(address).sync().channel();
        assertTrue(p.next().startsWith("INFO "));
        p.channel.writeAndFlush(Unpooled.copiedBuffer("CONNECT {\"verbose\":false}\r\nPING\r\n", StandardCharsets.UTF_8));
        assertEquals("PONG", p.next());
        return p;
    }

    /** Two connected clients, a and b, on one loop: {@code ca} and {@code cb} are the server's ends. */
    @BeforeEach
    void twoConnections() throws Exception {
        new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(new ConnectionHandler(c -> {
                            ClientConnection conn = ctx.accept(c);
                            accepted.add(conn);
                            return conn;
                        }));
                    }
                }).bind(address).sync();
        a = connect();
        b = connect();
        ca = accepted.get(0);
        cb = accepted.get(1);
    }

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void everySocketOnALoopIsClosedBeforeAnyConnectionsBookkeeping() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ctx.onClosed = c -> seen.add((c == ca ? "a" : "b") + " bookkept; a open " + ca.channel.isOpen()
                + ", b open " + cb.channel.isOpen());
        Closings cut = new Closings();
        cut.add(ca, "maximum account active connections exceeded", CloseReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
        cut.add(cb, null, CloseReason.AUTHENTICATION_VIOLATION);
        cut.closeAll(); // from the test thread: handed to the loop
        assertEquals("-ERR 'maximum account active connections exceeded'", a.next());
        a.closed.get(5, TimeUnit.SECONDS);
        b.closed.get(5, TimeUnit.SECONDS);
        loop.submit(() -> { }).sync(); // the bookkeeping ran on the loop before this
        assertEquals(List.of("a bookkept; a open false, b open false", "b bookkept; a open false, b open false"), seen);
        assertTrue(b.lines.isEmpty(), "no -ERR when none is given: " + b.lines);
        assertEquals(List.of(ca, cb), ctx.closed);
    }

    @Test
    void aConnectionAlreadyClosingIsLeftAloneAndNothingIsClosedTwice() throws Exception {
        cb.close(CloseReason.CLIENT_CLOSED);
        b.closed.get(5, TimeUnit.SECONDS);
        Closings cut = new Closings();
        cut.add(ca, "User Authentication Revoked", CloseReason.REVOCATION);
        cut.add(cb, "User Authentication Revoked", CloseReason.REVOCATION);
        cut.add(ca, "User Authentication Revoked", CloseReason.REVOCATION);
        cut.closeAll();
        assertEquals("-ERR 'User Authentication Revoked'", a.next());
        a.closed.get(5, TimeUnit.SECONDS);
        loop.submit(() -> { }).sync();
        assertTrue(a.lines.isEmpty(), "one -ERR only: " + a.lines);
        assertTrue(b.lines.isEmpty(), "nothing for the connection that was already closed: " + b.lines);
        assertEquals(List.of(cb, ca), ctx.closed);
        assertEquals(CloseReason.CLIENT_CLOSED, cb.closeReason());
        assertEquals(CloseReason.REVOCATION, ca.closeReason());
    }
}
