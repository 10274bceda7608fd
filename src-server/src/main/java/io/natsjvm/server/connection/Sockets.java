package io.natsjvm.server.connection;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;

/**
 * The socket settings every listener and dialler shares (clients, routes, leaf nodes,
 * websockets): address reuse, no Nagle, pooled buffers, and the write water mark at which a
 * connection's socket counts as backed up (what stalls producers and, past write_deadline, makes
 * a slow consumer).
 */
public final class Sockets {
    /** Every connection's buffers (listeners and dialers alike). */
    public static final PooledByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private Sockets() {
    }

    /** The channel's buffer marks for a connection allowed {@code maxPending} bytes queued. */
    public static WriteBufferWaterMark waterMark(long maxPending) {
        int high = Outbound.stallBytes(maxPending);
        return new WriteBufferWaterMark(high / 2, high);
    }

    public static ServerBootstrap listener(EventLoopGroup acceptors, EventLoopGroup loops,
            ChannelFactory<? extends ServerChannel> servers, int backlog, long maxPending) {
        return new ServerBootstrap()
                .group(acceptors, loops)
                .channelFactory(servers)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(maxPending));
    }

    public static Bootstrap dialer(EventLoopGroup loops, ChannelFactory<? extends Channel> channels,
            int connectTimeoutMillis, long maxPending) {
        return new Bootstrap()
                .group(loops)
                .channelFactory(channels)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, ALLOCATOR)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(maxPending));
    }
}
