package io.natsjvm.server.connection;

import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.function.Function;

/**
 * The last pipeline stage of every listener: creates the {@link Connection} when the channel
 * becomes active, hands it the bytes read, flushes every destination the read batch touched once
 * when the batch ends, and reports the close. Runs on the channel's loop.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final Function<Channel, Connection> accept;
    private Connection conn;
    private boolean ioError;

    /** @param accept registers and starts the connection for a new channel (on its loop) */
    public ConnectionHandler(Function<Channel, Connection> accept) {
        this.accept = accept;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        conn = accept.apply(ctx.channel());
        FlushBatch.current().flush();
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
        FlushBatch.current().flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (conn != null && ctx.channel().isWritable()) {
            conn.releaseStalledProducers();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (conn != null) {
            conn.onChannelClosed(ioError ? CloseReason.READ_ERROR : CloseReason.CLIENT_CLOSED);
        }
        FlushBatch.current().flush();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are how clients (and the benchmark) often leave.
        ioError = true;
        // TLS failures (not TLS, bad certificate, timeout) are reported by the connection's handshake
        if (!(cause instanceof IOException) && !(cause instanceof DecoderException)) {
            ServerLog.get().error("%sunexpected error: %s", conn == null ? ctx.channel().remoteAddress() + " - " : conn,
                    cause);
        }
        ctx.close();
    }
}
