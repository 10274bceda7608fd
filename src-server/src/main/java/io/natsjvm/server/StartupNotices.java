package io.natsjvm.server;

import io.natsjvm.resolver.claims.OperatorClaims;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.server.auth.UserEntry;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.log.ServerLog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The notices and warnings nats-server 2.9.10 logs while it starts, in its words and order:
 * plain-text passwords (before the configuration file line), then the trusted operators, a
 * missing system account and very large payloads (after it).
 */
final class StartupNotices {
    /** Payloads above this are legal but warned about, as the reference does. */
    static final int LARGE_PAYLOAD = 8 * 1024 * 1024;
    /** Go's default formatting of a time.Time. */
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private StartupNotices() {
    }

    /** Logged right after the server's identity. */
    static void beforeConfigFile(ServerLog log, ServerOptions o) {
        if (plaintextPasswords(o)) {
            log.warn("Plaintext passwords detected, use nkeys or bcrypt");
        }
    }

    /** Logged right after the configuration file line. */
    static void afterConfigFile(ServerLog log, ServerOptions o, List<OperatorClaims> operators, boolean systemAccount) {
        if (!operators.isEmpty()) {
            log.info("Trusted Operators");
        }
        for (OperatorClaims op : operators) {
            long issued = 0;
            long expires = 0;
            String audience = "";
            try {
                DecodedJwt jwt = Jwts.decode(op.token());
                issued = jwt.issuedAt();
                expires = jwt.expires();
                audience = jwt.claims().path("aud").asText("");
            } catch (JwtException e) {
                // loaded and verified already; nothing more to say about it
            }
            log.info("  System  : \"%s\"", audience);
            log.info("  Operator: \"%s\"", op.name() == null ? "" : op.name());
            log.info("  Issued  : %s", goTime(issued));
            log.info("  Expires : %s", expires == 0 ? "Never" : goTime(expires));
        }
        if (!operators.isEmpty() && !systemAccount) {
            log.warn("Trusted Operators should utilize a System Account");
        }
        if (o.maxPayload > LARGE_PAYLOAD) {
            log.warn("Maximum payloads over 8.00 MB are generally discouraged and could lead to poor performance");
        }
    }

    /** As the reference: any configured password that is not a bcrypt hash (TLS-mapped users aside). */
    static boolean plaintextPasswords(ServerOptions o) {
        if (o.authPassword != null && !UserEntry.isBcrypt(o.authPassword)) {
            return true;
        }
        for (UserEntry u : o.users) {
            if (u.nkey() != null) {
                continue;
            }
            String p = u.password() == null ? "" : u.password();
            if (p.isEmpty() && o.tls != null && o.tls.map) {
                continue;
            }
            if (!UserEntry.isBcrypt(p)) {
                return true;
            }
        }
        return false;
    }

    static String goTime(long epochSeconds) {
        return GO_TIME.format(Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault()));
    }
}
