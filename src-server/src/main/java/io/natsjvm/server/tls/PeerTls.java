package io.natsjvm.server.tls;

import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.File;
import java.time.Duration;
import java.util.List;

/**
 * TLS between servers (routes, leaf nodes): each side may accept and dial, so one block gives a
 * server context and a client context with the same certificate and CA. The TLS handshake comes
 * first on these connections, before any INFO, as in nats-server. Routes verify both ways, as the
 * reference forces for clusters; a dialling side checks the peer's name against the URL host
 * unless {@code insecure} is set.
 */
public final class PeerTls {
    private final SslContext server;
    private final SslContext client;
    private final TlsOptions options;

    private PeerTls(SslContext server, SslContext client, TlsOptions options) {
        this.server = server;
        this.client = client;
        this.options = options;
    }

    /**
     * @param mutual accepted connections must present a certificate from the CA (routes always)
     * @throws ConfigException naming what could not be used
     */
    public static PeerTls of(TlsOptions o, boolean mutual) throws ConfigException {
        try {
            String[] protocols = "1.3".equals(o.minVersion) ? new String[] {"TLSv1.3"}
                    : new String[] {"TLSv1.3", "TLSv1.2"};
            SslContext serverContext = null;
            SslContextBuilder c = SslContextBuilder.forClient().sslProvider(TlsEngine.provider())
                    .protocols(protocols);
            if (o.certFile != null && o.keyFile != null) {
                c.keyManager(new File(o.certFile), new File(o.keyFile));
                SslContextBuilder s = SslContextBuilder.forServer(new File(o.certFile), new File(o.keyFile))
                        .sslProvider(TlsEngine.provider())
                        .protocols(protocols).clientAuth(mutual || o.verify ? ClientAuth.REQUIRE : ClientAuth.NONE);
                if (o.caFile != null) {
                    s.trustManager(new File(o.caFile));
                }
                if (!o.cipherSuites.isEmpty()) {
                    s.ciphers(List.copyOf(o.cipherSuites));
                }
                serverContext = s.build();
            }
            if (o.caFile != null) {
                c.trustManager(new File(o.caFile));
            }
            if (!o.cipherSuites.isEmpty()) {
                c.ciphers(List.copyOf(o.cipherSuites));
            }
            return new PeerTls(serverContext, c.build(), o);
        } catch (Exception e) {
            throw new ConfigException("error parsing tls config: " + e.getMessage());
        }
    }

    /**
     * For a leaf remote that must use TLS without a {@code tls {}} block of its own (a
     * {@code tls://} URL, or a hub whose INFO requires it): the JDK's trusted CAs, no certificate.
     */
    public static PeerTls defaults() throws ConfigException {
        return of(new TlsOptions(), false);
    }

    /** For a connection accepted on the listener (only for a block with a certificate). */
    public SslHandler serverHandler(ByteBufAllocator alloc) {
        if (server == null) {
            throw new IllegalStateException("no certificate to accept TLS connections with");
        }
        return timed(server.newHandler(alloc));
    }

    /** For a connection this server dialled to {@code host:port}. */
    public SslHandler clientHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler h = client.newHandler(alloc, host, port);
        if (!options.insecure) {
            SSLEngine engine = h.engine();
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        return timed(h);
    }

    private SslHandler timed(SslHandler h) {
        h.setHandshakeTimeoutMillis(timeout().toMillis());
        return h;
    }

    public Duration timeout() {
        return options.timeout;
    }

    public boolean verify() {
        return options.verify;
    }
}
