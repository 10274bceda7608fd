package io.natsjvm.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code websocket {}} block as nats-server 2.9.10 reads it: a listener for clients that speak
 * the NATS protocol in WebSocket frames (nats.ws in browsers and Node). Part of the
 * {@link ServerOptions} snapshot.
 */
public final class WebsocketOptions {
    public String host = "0.0.0.0";
    /** 0: no websocket listener; -1: a free port. */
    public int port;
    public String advertise;
    /** Without {@link #tls}, {@code no_tls: true} must say plain text is meant (the reference's rule). */
    public boolean noTls;
    public TlsOptions tls;
    /** Only pages of the server's own origin may connect. */
    public boolean sameOrigin;
    /** Origins ({@code scheme://host[:port]}) allowed to connect; empty: any. */
    public final List<String> allowedOrigins = new ArrayList<>();
    /** The HTTP upgrade must arrive within this; zero: no limit (the reference's default). */
    public Duration handshakeTimeout = Duration.ZERO;
    /** Negotiate permessage-deflate with clients that offer it. */
    public boolean compression;
    /** A cookie whose value is taken as the user JWT when CONNECT carries none (operator mode). */
    public String jwtCookie;
    /**
     * {@code authorization { user, password, token, timeout }} and {@code no_auth_user}: websocket
     * clients log in with these instead of the server's (the reference's "auth override").
     */
    public String user;
    public String password;
    public String token;
    public Duration authTimeout;
    public String noAuthUser;

    /** True when websocket clients have credentials of their own. */
    public boolean authOverride() {
        return user != null || token != null || noAuthUser != null;
    }

    public boolean enabled() {
        return port != 0;
    }
}
