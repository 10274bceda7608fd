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

    /** True if checking this CONNECT may block (a remote lookup): it then runs off the event loop. */
    default boolean needsBlockingWork(ConnectOptions connect) {
        return false;
    }

    /**
     * True if checking this CONNECT is CPU-heavy (Ed25519 checks of a JWT and a signed nonce,
     * ~0.2 ms each): it then runs on a worker too, so that the logins of a fleet reconnecting
     * after a restart are checked on every core while the event loop keeps serving.
     */
    default boolean checksSignatures(ConnectOptions connect) {
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
