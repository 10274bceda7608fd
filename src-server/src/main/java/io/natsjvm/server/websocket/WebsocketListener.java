package io.natsjvm.server.websocket;

import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.WebsocketOptions;
import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.connection.Sockets;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.config.TlsOptions;
import io.natsjvm.server.tls.PinnedCerts;
import io.natsjvm.server.tls.ServerTls;
import io.netty.handler.ssl.SslHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@code websocket {}} listener: TLS first when configured (wss), then HTTP until the upgrade,
 * then NATS in WebSocket frames on the same client connection core as plain clients. Bound while
 * the server is built, before the client port.
 */
public final class WebsocketListener {
    /** The upgrade request itself may not be larger than this. */
    private static final int MAX_UPGRADE_REQUEST = 16 * 1024;

    private final WebsocketOptions options;
    private final ServerTls tls;
    private final Origins origins;
    private final int maxFrame;
    private Channel listener;

    /**
     * @param maxPayload the server's max_payload: a frame may carry a whole message and its
     *                   protocol line, with room to spare
     * @throws IllegalArgumentException when the tls block's files cannot be used
     */
    public WebsocketListener(WebsocketOptions options, int maxPayload) {
        this.options = options;
        try {
            this.tls = options.tls == null ? null : ServerTls.of(options.tls);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("websocket: " + e.getMessage(), e);
        }
        this.origins = new Origins(options.sameOrigin, options.allowedOrigins);
        this.maxFrame = maxFrame(maxPayload);
    }

    /** The largest frame taken: a whole message and its protocol line, with room to spare. */
    public static int maxFrame(long maxPayload) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1L << 20, 2L * maxPayload + 64 * 1024));
    }

    /**
     * @param accept     starts the NATS client connection on an upgraded channel (its loop)
     * @param acceptLeaf starts a leaf node connection on a channel upgraded at {@code /leafnode},
     *                   or null when this server has no leafnode listener (such upgrades are closed)
     */
    public void start(EventLoopGroup acceptors, EventLoopGroup loops, ChannelFactory<? extends ServerChannel> servers,
            long maxPending, BiFunction<Channel, WebsocketUpgrade.Upgraded, Connection> accept,
            Function<Channel, Connection> acceptLeaf) {
        ServerBootstrap b = Sockets.listener(acceptors, loops, servers, 1024, maxPending)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc());
                            ch.pipeline().addLast(PipelineStages.TLS, ssl);
                            refuseUnpinned(ch, ssl);
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST));
                        if (options.compression) {
                            // As nats-server: a peer that asks for no context takeover gets it (its
                            // leaf nodes always ask, and refuse compression otherwise), and every
                            // peer is told it may compress each message on its own.
                            ch.pipeline().addLast("ws-compression", new WebSocketServerExtensionHandler(
                                    new PerMessageDeflateServerExtensionHandshaker(6, false, 15, true, true)));
                        }
                        ch.pipeline().addLast("ws-upgrade",
                                new WebsocketUpgrade(options, origins, tls != null, maxFrame, accept, acceptLeaf));
                    }
                });
        try {
            listener = b.bind(options.host, Math.max(options.port, 0)).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("Unable to listen for websocket connections: " + e.getMessage(), e);
        }
        ServerLog.get().info("Listening for websocket clients on %s://%s:%d", tls != null ? "wss" : "ws", options.host,
                port());
        if (tls == null) {
            ServerLog.get().warn("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
        }
    }

    /** With {@code pinned_certs}, a peer whose certificate is not pinned is closed after its handshake. */
    private void refuseUnpinned(Channel ch, SslHandler ssl) {
        Set<String> pins = TlsOptions.pinned(options.tls);
        if (pins == null) {
            return;
        }
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess() && !PinnedCerts.matches(pins, ssl.engine().getSession())) {
                ServerLog.get().error("%s - websocket TLS handshake error: certificate not pinned", ch.remoteAddress());
                ch.close();
            }
        });
    }

    public int port() {
        return listener == null ? 0 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }
}
