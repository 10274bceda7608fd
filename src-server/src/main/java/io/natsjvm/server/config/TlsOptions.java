package io.natsjvm.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code tls {}} block (the client listener's), as nats-server 2.9.10 reads it. Part of the
 * {@link ServerOptions} snapshot.
 */
public final class TlsOptions {
    public String certFile;
    public String keyFile;
    /** CA certificates that client certificates must chain to (with {@link #verify}). */
    public String caFile;
    /** Clients must present a certificate signed by {@link #caFile}. */
    public boolean verify;
    /**
     * {@code verify_and_map}: verify, and the client certificate names the user (e-mail, DNS or
     * URI SAN, or the subject), which then needs no password.
     */
    public boolean map;
    /** The handshake must complete within this (the reference's default: 2 s). */
    public Duration timeout = Duration.ofSeconds(2);
    /** IANA cipher suite names; empty: the engine's secure defaults. */
    public final List<String> cipherSuites = new ArrayList<>();
    /** A dialling server does not check the peer certificate's name against the URL host. */
    public boolean insecure;
    /** "1.2" or "1.3"; null: 1.2, as the reference. */
    public String minVersion;
    /**
     * {@code pinned_certs}: hex SHA-256 digests (lower case) of the peer certificates' public key
     * info; when not empty a peer whose certificate is not among them is refused after the
     * handshake. Empty: no pinning.
     */
    public final Set<String> pinnedCerts = new LinkedHashSet<>();

    /**
     * What this block puts in force, files included: two blocks with the same fingerprint give the
     * same TLS. A certificate replaced in place (the usual rotation) changes it, as the reference's
     * reload sees a changed certificate.
     */
    public String fingerprint() {
        StringBuilder b = new StringBuilder();
        b.append(certFile).append('|').append(keyFile).append('|').append(caFile).append('|').append(verify)
                .append('|').append(map).append('|').append(timeout).append('|').append(cipherSuites).append('|')
                .append(minVersion).append('|').append(insecure).append('|').append(pinnedCerts);
        for (String f : new String[] {certFile, keyFile, caFile}) {
            b.append('|');
            if (f != null) {
                try {
                    b.append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(Path.of(f)))));
                } catch (IOException | NoSuchAlgorithmException e) {
                    b.append("unreadable");
                }
            }
        }
        return b.toString();
    }

    /** The pinned set of a block, or null without a block or pins (any thread). */
    public static Set<String> pinned(TlsOptions t) {
        return t == null || t.pinnedCerts.isEmpty() ? null : t.pinnedCerts;
    }

    /** True when both are absent or both put the same TLS in force. */
    public static boolean same(TlsOptions a, TlsOptions b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.fingerprint().equals(b.fingerprint());
    }
}
