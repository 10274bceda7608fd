package io.natsjvm.server.client;

import io.natsjvm.server.protocol.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.natsjvm.server.log.ServerLog;

import java.io.IOException;

/**
 * Bridges a Netty channel to its {@link ClientConnection}: hands over read bytes, flushes every
 * destination touched once per read batch, and reports the close. Runs on the channel's loop.
 */
public final class NatsChannelHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionContext server;
    private ClientConnection conn;
    private boolean ioError;

    public NatsChannelHandler(ConnectionContext server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        conn = server.accept(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (conn != null && msg instanceof ByteBuf buf) {
            conn.onRead(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        server.flushBatch().flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (conn != null && ctx.channel().isWritable()) {
            conn.releaseStalledPublishers();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (conn != null) {
            conn.onChannelClosed(ioError ? CloseReason.READ_ERROR : CloseReason.CLIENT_CLOSED);
        }
        server.flushBatch().flush();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are how clients (and the benchmark) often leave.
        ioError = true;
        if (!(cause instanceof IOException)) {
            ServerLog.get().error("%sunexpected error: %s", conn == null ? ctx.channel().remoteAddress() + " - " : conn,
                    cause);
        }
        ctx.close();
    }
}
