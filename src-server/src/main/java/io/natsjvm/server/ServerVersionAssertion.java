package io.natsjvm.server;

import io.natsjvm.resolver.claims.OperatorClaims;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;

/**
 * An operator JWT's {@code assert_server_version}: the least server version the operator accepts.
 * A server older than that, or an assertion that is not {@code major.minor.update}, does not
 * start, in the reference's words.
 */
final class ServerVersionAssertion {
    private ServerVersionAssertion() {
    }

    /** Null when {@code serverVersion} satisfies the operator, else why it does not. */
    static String check(OperatorClaims op, String serverVersion) {
        String asserted;
        try {
            asserted = Jwts.decode(op.token()).nats().path("assert_server_version").asText("");
        } catch (JwtException e) {
            return null; // the operator JWT was loaded and verified already
        }
        int[] want;
        try {
            want = parse(asserted);
        } catch (IllegalArgumentException e) {
            return "operator " + op.subject() + " expects version " + asserted + " got error instead: " + e.getMessage();
        }
        int[] have = parse(serverVersion);
        String[] part = {"major", "minor", "update"};
        for (int i = 0; i < 3; i++) {
            if (want[i] > have[i]) {
                return "operator " + op.subject() + " expected " + part[i] + " version " + want[i] + " > server "
                        + part[i] + " version " + have[i];
            }
            if (have[i] > want[i]) {
                return null;
            }
        }
        return null;
    }

    /** As the JWT library parses it: empty is 0.0.0. */
    static int[] parse(String version) {
        if (version.isEmpty()) {
            return new int[3];
        }
        String[] split = version.split("\\.", -1);
        if (split.length != 3) {
            throw new IllegalArgumentException("asserted server version must be of the form <major>.<minor>.<update>");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Integer.parseInt(split[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("asserted server version cant parse " + split[i] + " to int");
            }
        }
        if (v[0] < 0 || v[1] < 0 || v[2] < 0) {
            throw new IllegalArgumentException("asserted server version can'b contain negative values: " + version);
        }
        return v;
    }
}
