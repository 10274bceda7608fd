package io.natsjvm.server.websocket;

import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.connection.ConnectionHandler;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.log.ServerLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The client side of the WebSocket upgrade, for a leaf node that dials its hub's websocket port
 * ({@code ws://} or {@code wss://} remote URLs), as nats-server 2.9.10 does it: TLS first for
 * {@code wss}, then {@code GET /leafnode<url path>} with a fresh key, asking for permessage-deflate
 * (with no context takeover either way) and for unmasked frames when the remote says so; the
 * response must be 101 with the right accept key within a second. Then the HTTP stages leave and
 * the connection starts on frames, masked unless the hub agreed to {@code Nats-No-Masking}.
 * Runs on the channel's loop.
 */
public final class WebsocketDialer extends SimpleChannelInboundHandler<FullHttpResponse> {
    /** The path that tells a websocket listener the peer is a leaf node, not a client. */
    public static final String LEAF_PATH = "/leafnode";
    /** How long the hub has to answer the upgrade (the reference's wait for a leaf's first INFO). */
    private static final Duration RESPONSE_WAIT = Duration.ofSeconds(1);
    private static final int MAX_RESPONSE = 16 * 1024;

    private final WebSocketClientHandshaker handshaker;
    private final boolean noMasking;
    private final Function<Channel, Connection> accept;
    private final Runnable failed;
    private ScheduledFuture<?> timeout;
    private boolean upgraded;
    private boolean reported;

    private WebsocketDialer(WebSocketClientHandshaker handshaker, boolean noMasking,
            Function<Channel, Connection> accept, Runnable failed) {
        this.handshaker = handshaker;
        this.noMasking = noMasking;
        this.accept = accept;
        this.failed = failed;
    }

    /**
     * The pipeline of a channel that dials a hub's websocket port.
     *
     * @param url         the remote URL ({@code ws://host:port[/path]} or {@code wss://...})
     * @param tls         makes the TLS client handler, or null for plain {@code ws}
     * @param compression ask for permessage-deflate
     * @param noMasking   ask the hub to accept unmasked frames (it may refuse: then frames are masked)
     * @param maxFrame    the largest frame taken from the hub
     * @param accept      starts the leaf connection once upgraded (on the channel's loop)
     * @param failed      called once if the channel closes before the upgrade completed
     */
    public static ChannelInitializer<Channel> pipeline(URI url, Function<Channel, SslHandler> tls, boolean compression,
            boolean noMasking, int maxFrame, Function<Channel, Connection> accept, Runnable failed) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tls != null) {
                    ch.pipeline().addLast(PipelineStages.TLS, tls.apply(ch));
                }
                ch.pipeline().addLast("http", new HttpClientCodec());
                ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(MAX_RESPONSE));
                if (compression) {
                    // no context takeover either way: every message compressed on its own, which is
                    // all nats-server's websocket side accepts
                    ch.pipeline().addLast("ws-compression", new WebSocketClientExtensionHandler(
                            new PerMessageDeflateClientExtensionHandshaker(6, false, 15, true, true)));
                }
                DefaultHttpHeaders headers = new DefaultHttpHeaders();
                if (noMasking) {
                    headers.set(WebsocketUpgrade.NO_MASKING_HEADER, "true");
                }
                WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                        upgradeUri(url, tls != null), WebSocketVersion.V13, null, compression, headers, maxFrame);
                ch.pipeline().addLast("ws-dial", new WebsocketDialer(handshaker, noMasking, accept, failed));
            }
        };
    }

    /** The request URI: the leaf path, then the remote URL's own path, as the reference builds it. */
    static URI upgradeUri(URI url, boolean tls) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        try {
            return new URI((tls ? "wss" : "ws") + "://" + url.getRawAuthority().replaceFirst("^.*@", "") + LEAF_PATH
                    + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad websocket URL " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        // with TLS the request waits in the TLS stage until the handshake is done
        handshaker.handshake(ch).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, String.valueOf(f.cause()));
                return;
            }
            timeout = ctx.executor().schedule(() -> fail(ctx, "timeout waiting for the websocket upgrade"),
                    RESPONSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        Channel ch = ctx.channel();
        try {
            handshaker.finishHandshake(ch, response);
        } catch (RuntimeException e) {
            fail(ctx, "invalid websocket connection");
            return;
        }
        upgraded = true;
        boolean unmasked = noMasking && "true".equals(response.headers().get(WebsocketUpgrade.NO_MASKING_HEADER));
        if (unmasked) {
            ch.pipeline().replace("ws-encoder", "ws-encoder", new WebSocket13FrameEncoder(false));
        }
        ServerLog.get().debug("%s - Leafnode compression=%s masking=%s", ch.remoteAddress(),
                ch.pipeline().get("ws-compression") != null && response.headers().contains("Sec-WebSocket-Extensions"),
                !unmasked);
        ch.pipeline().remove(this);
        ch.pipeline().addLast("ws-frames", new WebsocketFrames());
        ConnectionHandler handler = new ConnectionHandler(accept);
        ch.pipeline().addLast(PipelineStages.CONNECTION, handler);
        handler.channelActive(ch.pipeline().context(handler));
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (!upgraded && !reported) {
            reported = true;
            ServerLog.get().error("%s - Error soliciting websocket connection: %s", ctx.channel().remoteAddress(), why);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (!upgraded) {
            failed.run();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause instanceof IOException ? cause.getMessage() : String.valueOf(cause));
    }
}
