package io.natsjvm.server.auth;

import java.security.cert.X509Certificate;
import io.natsjvm.server.protocol.ConnectOptions;

/** Decides whether a CONNECT may log in. Implementations must be thread-safe and not block long. */
public interface Authenticator {
    /** True if clients must authenticate (INFO auth_required, CONNECT required first). */
    boolean required();

    AuthResult authenticate(ConnectOptions connect, String nonce);

    /**
     * As {@link #authenticate(ConnectOptions, String)}, for a client that presented
     * {@code certificate} in its TLS handshake (null: none, or a plain connection); only
     * {@code verify_and_map} looks at it.
     */
    default AuthResult authenticate(ConnectOptions connect, String nonce, X509Certificate certificate) {
        return authenticate(connect, nonce);
    }

    /**
     * True if checking this CONNECT runs on a worker thread, the connection holding what follows
     * it: a check that may block (a remote account lookup), or that is CPU-heavy (signature
     * checks, so that a fleet reconnecting after a restart is verified on every core while the
     * event loop keeps serving).
     */
    default boolean checksOffLoop(ConnectOptions connect) {
        return false;
    }

    /** True if some login signs a nonce (nkeys, JWTs), so INFO must carry one. */
    default boolean usesNonce() {
        return false;
    }

    /** Accepts everyone into the global account. */
    Authenticator NONE = new Authenticator() {
        @Override
        public boolean required() {
            return false;
        }

        @Override
        public AuthResult authenticate(ConnectOptions connect, String nonce) {
            return AuthResult.success(null, null, Permissions.NONE);
        }
    };
}
