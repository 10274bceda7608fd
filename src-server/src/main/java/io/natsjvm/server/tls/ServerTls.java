package io.natsjvm.server.tls;

import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The client listener's TLS, built once from a {@code tls {}} block: certificate and key (PEM),
 * the CA that client certificates must chain to when {@code verify} is on, TLS 1.2 or newer (1.3
 * with {@code min_version: "1.3"}), and the handshake timeout. As in the reference, the handshake
 * follows the plain-text INFO (which says {@code tls_required}).
 */
public final class ServerTls {
    private final SslContext context;
    private final TlsOptions options;

    private ServerTls(SslContext context, TlsOptions options) {
        this.context = context;
        this.options = options;
    }

    /** @throws ConfigException naming the file that could not be used */
    public static ServerTls of(TlsOptions o) throws ConfigException {
        if (o.certFile == null || o.keyFile == null) {
            throw new ConfigException("missing 'cert_file' or 'key_file' in TLS configuration");
        }
        try {
            SslContextBuilder b = SslContextBuilder.forServer(new File(o.certFile), new File(o.keyFile))
                    .sslProvider(TlsEngine.provider());
            if (o.caFile != null) {
                b.trustManager(new File(o.caFile));
            }
            b.clientAuth(o.verify ? ClientAuth.REQUIRE : ClientAuth.NONE);
            b.protocols("1.3".equals(o.minVersion) ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"});
            if (!o.cipherSuites.isEmpty()) {
                b.ciphers(List.copyOf(o.cipherSuites));
            }
            return new ServerTls(b.build(), o);
        } catch (Exception e) {
            throw new ConfigException("error parsing tls config: " + e.getMessage());
        }
    }

    public SslHandler newHandler(ByteBufAllocator alloc) {
        return context.newHandler(alloc);
    }

    /**
     * {@code allow_non_tls}: a stage that looks at the client's first bytes and becomes the TLS
     * handler (made by {@code make}) when they start a TLS handshake, or steps aside for plain text,
     * as the reference decides from the first byte.
     */
    public ChannelHandler optional(Function<ByteBufAllocator, SslHandler> make) {
        return new OptionalSslHandler(context) {
            @Override
            protected SslHandler newSslHandler(ChannelHandlerContext ctx, SslContext sslContext) {
                return make.apply(ctx.alloc());
            }
        };
    }

    public boolean verify() {
        return options.verify;
    }

    public Duration timeout() {
        return options.timeout;
    }

    /** The innermost message of a handshake failure (what went wrong, not the wrapping layers). */
    public static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** "1.3" for "TLSv1.3", as the reference names versions. */
    public static String version(String protocol) {
        return protocol != null && protocol.startsWith("TLSv") ? protocol.substring(4) : protocol;
    }
}
