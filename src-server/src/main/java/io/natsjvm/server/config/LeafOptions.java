package io.natsjvm.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code leafnodes {}} block, as nats-server 2.9.10 reads it: a listener for leaf nodes (the
 * hub side) with its own authorization, and remotes this server connects to as a leaf. Part of the
 * {@link ServerOptions} snapshot.
 */
public final class LeafOptions {
    /** A user a leaf node may log in as, bound to an account (null: the global account). */
    public record User(String user, String password, String account) {
    }

    /**
     * A hub this server connects to as a leaf, binding its local {@code account} there.
     *
     * @param tls           the remote's {@code tls {}} (CA, and a certificate when the hub verifies);
     *                      null: TLS only if a URL says {@code tls://} or {@code wss://}, or the hub's
     *                      INFO requires it
     * @param wsCompression {@code ws_compression}: ask a websocket hub for permessage-deflate
     * @param wsNoMasking   {@code ws_no_masking}: ask a websocket hub to accept unmasked frames
     * @param hub           {@code hub}: this server is the hub of the connection (the other side
     *                      is the spoke), the reverse of the usual roles
     * @param noRandomize   {@code no_randomize}: dial the URLs in the configured order (else
     *                      shuffled once, as the reference does)
     */
    public record Remote(List<URI> urls, String account, String credentials, List<String> denyImports,
            List<String> denyExports, TlsOptions tls, boolean wsCompression, boolean wsNoMasking, boolean hub,
            boolean noRandomize) {

        /** TLS whatever the hub says: a tls block, or a {@code tls://} or {@code wss://} URL. */
        public boolean tlsConfigured() {
            return tls != null || urls.stream().anyMatch(u -> "tls".equalsIgnoreCase(u.getScheme())
                    || "wss".equalsIgnoreCase(u.getScheme()));
        }

        /**
         * The hub is dialled over WebSocket ({@code ws://} or {@code wss://} URLs; a remote's URLs
         * are all websocket or none, checked at start-up).
         */
        public boolean websocket() {
            return isWebsocket(urls.get(0));
        }

        /** As the reference decides it: any scheme that starts with "ws". */
        public static boolean isWebsocket(URI url) {
            return url.getScheme() != null && url.getScheme().toLowerCase(Locale.ROOT).startsWith("ws");
        }
    }

    public String host = "0.0.0.0";
    /** Leaf listener port: 0 means none, -1 a random port. */
    public int port;
    /** {@code authorization { user, password, account }}: the one user every leaf must present. */
    public String user;
    public String password;
    public String account;
    public final List<User> users = new ArrayList<>();
    public Duration authTimeout = Duration.ofSeconds(2);
    public final List<Remote> remotes = new ArrayList<>();
    /** Delay before a lost remote is dialled again. */
    public Duration reconnect = Duration.ofSeconds(1);
    public String advertise;
    public boolean noAdvertise;
    /** {@code tls {}} of the listener: INFO in plain text, then the TLS handshake, as the reference. */
    public TlsOptions tls;

    public boolean listens() {
        return port != 0;
    }

    public boolean configured() {
        return listens() || !remotes.isEmpty();
    }
}
