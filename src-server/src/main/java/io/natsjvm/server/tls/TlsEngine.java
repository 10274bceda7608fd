package io.natsjvm.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS engine every listener and dialler uses: BoringSSL (netty-tcnative) when its native
 * library loads, else the JDK's. {@code -Dnatsjvm.tls.engine=jdk} forces the JDK engine (to
 * compare them, or where a native library is unwelcome).
 */
public final class TlsEngine {
    private static final SslProvider PROVIDER = choose();

    private TlsEngine() {
    }

    private static SslProvider choose() {
        if ("jdk".equalsIgnoreCase(System.getProperty("natsjvm.tls.engine"))) {
            return SslProvider.JDK;
        }
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public static SslProvider provider() {
        return PROVIDER;
    }

    /** For the start-up log: "BoringSSL" or "JDK". */
    public static String name() {
        return PROVIDER == SslProvider.JDK ? "JDK" : OpenSsl.versionString();
    }
}
