package io.natsjvm.server.tls;

import io.natsjvm.server.log.ServerLog;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Set;

/**
 * {@code pinned_certs}, as nats-server 2.9.10 checks them after a TLS handshake: the SHA-256 of
 * the peer's (first) certificate's SubjectPublicKeyInfo, in hex, must be in the set. A peer that
 * presented no certificate does not match.
 */
public final class PinnedCerts {
    private PinnedCerts() {
    }

    /** True without pins, or when the session's peer certificate is pinned. */
    public static boolean matches(Set<String> pins, SSLSession session) {
        if (pins == null) {
            return true;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && matches(pins, chain[0]);
        } catch (SSLPeerUnverifiedException e) {
            ServerLog.get().debug("Failed pinned cert test as client did not provide a certificate");
            return false;
        }
    }

    /** True without pins, or when {@code cert} (null: none presented) is pinned. */
    public static boolean matches(Set<String> pins, Certificate cert) {
        if (pins == null) {
            return true;
        }
        if (cert == null) {
            return false;
        }
        String id = keyId(cert);
        if (!pins.contains(id)) {
            ServerLog.get().debug("Failed pinned cert test for key id: %s", id);
            return false;
        }
        return true;
    }

    /** The hex SHA-256 of the certificate's DER SubjectPublicKeyInfo (what {@code pinned_certs} lists). */
    public static String keyId(Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
