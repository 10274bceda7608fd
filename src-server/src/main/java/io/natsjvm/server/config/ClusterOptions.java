package io.natsjvm.server.config;

import io.natsjvm.server.auth.Permissions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cluster {}} block and the cluster flags, defaults as in nats-server 2.9.10. Part of
 * the {@link ServerOptions} snapshot: filled while loading, read-only once the server starts.
 */
public final class ClusterOptions {
    /** Cluster name; null: generated at start-up (dynamic), as the reference does. */
    public String name;
    public String host = "0.0.0.0";
    /** Route listen port: 0 means no route listener, -1 a random port. */
    public int port;
    /** Routes to solicit ({@code nats-route://[user:pass@]host:port}). */
    public final List<URI> routes = new ArrayList<>();
    /** What peers must send in their route CONNECT (and what we send when a URL carries none). */
    public String user;
    public String password;
    public Duration authTimeout = Duration.ofSeconds(2);
    /** Do not tell clients about the other servers' URLs (connect_urls). */
    public boolean noAdvertise;
    /** Attempts for an implicit (gossiped) route; explicit routes are retried for ever. */
    public int connectRetries;
    /**
     * {@code permissions { import, export }}: import (kept as publish) limits the interest this
     * server sends to routes, export (kept as subscribe) the remote interest it accepts; both
     * only act on interest, as in the reference. Null: no restriction.
     */
    public Permissions permissions;
    /** {@code tls {}}: routes are TLS both ways (accepted and dialled), certificates checked both ways. */
    public TlsOptions tls;
    /** {@code host:port} announced to peers instead of the listen address. */
    public String advertise;

    /** True when this server takes part in a cluster (it listens for routes). */
    public boolean enabled() {
        return port != 0;
    }
}
