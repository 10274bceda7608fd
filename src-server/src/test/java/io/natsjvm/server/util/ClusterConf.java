package io.natsjvm.server.util;

/** {@code cluster {}} blocks for tests: loopback listen port, optional routes to dial. */
public final class ClusterConf {
    private ClusterConf() {
    }

    /** A cluster block with {@code extra} lines (a tls block ...) inside it. */
    public static String block(String extra, int port, int... routes) {
        StringBuilder sb = new StringBuilder("cluster {\n  name: mixed\n  listen: 127.0.0.1:" + port + "\n" + extra);
        if (routes.length > 0) {
            sb.append("  routes: [");
            for (int r : routes) {
                sb.append(" nats-route://127.0.0.1:").append(r);
            }
            sb.append(" ]\n");
        }
        return sb.append("}\n").toString();
    }
}
