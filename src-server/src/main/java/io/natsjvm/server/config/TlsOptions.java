package io.natsjvm.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
}
