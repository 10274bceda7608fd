package io.natsjvm.server.websocket;

import io.natsjvm.server.config.WebsocketOptions;
import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.connection.ConnectionHandler;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.log.ServerLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The HTTP upgrade of nats-server's websocket listener: the request is checked in the reference's
 * order with its status codes and reasons (GET, Host, Upgrade, Connection, key, version 13,
 * origin), a failure answered with the status text and logged as {@code <addr> - websocket
 * handshake error: <reason>}; on success the 101 is sent (with permessage-deflate when both sides
 * want it), the HTTP stages leave the pipeline and the NATS client connection starts, sending INFO
 * in the first frame. Runs on the channel's loop.
 */
public final class WebsocketUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    /**
     * nats-server's header for a peer that will not mask its frames (leaf nodes may ask): echoed
     * in the 101 when accepted, and then frames are taken masked or not.
     */
    static final String NO_MASKING_HEADER = "Nats-No-Masking";

    /** What the upgrade request carried that the client connection needs. */
    public record Upgraded(String cookieJwt) {
    }

    private final WebsocketOptions options;
    private final Origins origins;
    private final boolean tls;
    private final int maxFrame;
    private final BiFunction<Channel, Upgraded, Connection> accept;
    private final Function<Channel, Connection> acceptLeaf;
    private ScheduledFuture<?> timeout;

    /** @param acceptLeaf starts a leaf node connection ({@code /leafnode}), or null: no leafnode listener */
    WebsocketUpgrade(WebsocketOptions options, Origins origins, boolean tls, int maxFrame,
            BiFunction<Channel, Upgraded, Connection> accept, Function<Channel, Connection> acceptLeaf) {
        this.options = options;
        this.origins = origins;
        this.tls = tls;
        this.maxFrame = maxFrame;
        this.accept = accept;
        this.acceptLeaf = acceptLeaf;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long ms = options.handshakeTimeout.toMillis();
        if (ms > 0) {
            timeout = ctx.executor().schedule(() -> {
                ServerLog.get().error("%s - websocket handshake error: handshake timeout", ctx.channel().remoteAddress());
                ctx.close();
            }, ms, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String error = null;
        HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
        var h = req.headers();
        if (!HttpMethod.GET.equals(req.method())) {
            status = HttpResponseStatus.METHOD_NOT_ALLOWED;
            error = "request method must be GET";
        } else if (!h.contains(HttpHeaderNames.HOST) || h.get(HttpHeaderNames.HOST).isEmpty()) {
            error = "'Host' missing in request";
        } else if (!hasToken(h.getAll(HttpHeaderNames.UPGRADE), "websocket")) {
            error = "invalid value for header 'Upgrade'";
        } else if (!hasToken(h.getAll(HttpHeaderNames.CONNECTION), "Upgrade")) {
            error = "invalid value for header 'Connection'";
        } else if (h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY, "").isEmpty()) {
            error = "key missing";
        } else if (!hasToken(h.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION), "13")) {
            error = "invalid version";
        } else {
            String origin = h.get(HttpHeaderNames.ORIGIN);
            if (origin == null || origin.isEmpty()) {
                origin = h.get("Sec-Websocket-Origin");
            }
            String why = origins.check(origin, h.get(HttpHeaderNames.HOST), tls);
            if (why != null) {
                status = HttpResponseStatus.FORBIDDEN;
                error = "origin not allowed: " + why;
            }
        }
        if (error != null) {
            refuse(ctx, status, error);
            return;
        }
        String path = req.uri();
        if (path.startsWith("/mqtt")) {
            ServerLog.get().error("%s - websocket MQTT connections are not supported by this server",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        boolean leaf = path.startsWith(WebsocketDialer.LEAF_PATH);
        String cookieJwt = leaf ? null : cookie(h.get(HttpHeaderNames.COOKIE));
        boolean noMasking = "true".equals(h.get(NO_MASKING_HEADER));
        if (timeout != null) {
            timeout.cancel(false);
        }
        Channel ch = ctx.channel();
        WebSocketDecoderConfig frames = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame)
                .allowExtensions(options.compression)
                .allowMaskMismatch(noMasking)
                .build();
        WebSocketServerHandshaker13 handshaker = new WebSocketServerHandshaker13(
                (tls ? "wss://" : "ws://") + h.get(HttpHeaderNames.HOST) + path, null, frames);
        HttpHeaders extra = new DefaultHttpHeaders();
        if (noMasking) {
            extra.set(NO_MASKING_HEADER, "true");
        }
        handshaker.handshake(ch, req, extra, ch.newPromise()).addListener(f -> {
            if (!f.isSuccess()) {
                ServerLog.get().error("%s - websocket handshake error: %s", ch.remoteAddress(), f.cause());
                ch.close();
                return;
            }
            if (leaf && acceptLeaf == null) {
                // as the reference: the upgrade succeeds, then the connection is closed without a word
                ServerLog.get().error("Not configured to accept leaf node connections");
                ch.close();
                return;
            }
            // the HTTP stages are gone; from here the connection reads and writes NATS in frames
            ch.pipeline().remove(this);
            ch.pipeline().addLast("ws-frames", new WebsocketFrames());
            ConnectionHandler handler = new ConnectionHandler(
                    leaf ? acceptLeaf : c -> accept.apply(c, new Upgraded(cookieJwt)));
            ch.pipeline().addLast(PipelineStages.CONNECTION, handler);
            handler.channelActive(ch.pipeline().context(handler));
        });
    }

    private String cookie(String header) {
        if (options.jwtCookie == null || header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (c.name().equals(options.jwtCookie)) {
                return c.value();
            }
        }
        return null;
    }

    /** The reference's refusal: the status text as the body, and the version it speaks. */
    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        ServerLog.get().error("%s - websocket handshake error: %s", remote(ctx), reason);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase() + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
                .set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    private static String remote(ChannelHandlerContext ctx) {
        String a = String.valueOf(ctx.channel().remoteAddress());
        return a.startsWith("/") ? a.substring(1) : a;
    }

    /** A comma-separated header holds this token (case-insensitive), as the reference checks. */
    private static boolean hasToken(List<String> values, String token) {
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ServerLog.get().debug("%s - websocket: %s", remote(ctx), cause);
        }
        ctx.close();
    }
}
