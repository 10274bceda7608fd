package io.natsjvm.server.websocket;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The origin rules of nats-server's websocket listener: with {@code same_origin} the Origin must
 * be the request's own host and port; with {@code allowed_origins} its host must be listed with
 * the same scheme and port. A request without Origin (not from a browser) is always accepted.
 */
final class Origins {
    private record Allowed(String scheme, String port) {
    }

    private final boolean sameOrigin;
    private final Map<String, Allowed> allowed = new HashMap<>();

    Origins(boolean sameOrigin, List<String> allowedOrigins) {
        this.sameOrigin = sameOrigin;
        for (String o : allowedOrigins) {
            try {
                URI u = new URI(o);
                String[] hp = hostAndPort("https".equals(u.getScheme()), u.getRawAuthority());
                allowed.put(hp[0], new Allowed(u.getScheme(), hp[1]));
            } catch (Exception e) {
                // validated when the options were loaded
            }
        }
    }

    /** Null when the origin may connect, else why not (the reference's words). */
    String check(String origin, String requestHost, boolean tls) {
        if (!sameOrigin && allowed.isEmpty()) {
            return null;
        }
        if (origin == null || origin.isEmpty()) {
            return null;
        }
        URI u;
        try {
            u = new URI(origin);
        } catch (Exception e) {
            return e.getMessage();
        }
        if (u.getScheme() == null || u.getRawAuthority() == null) {
            return "parse \"" + origin + "\": invalid URI for request";
        }
        String[] o = hostAndPort("https".equals(u.getScheme()), u.getRawAuthority());
        if (sameOrigin) {
            String[] r = hostAndPort(tls, requestHost == null ? "" : requestHost);
            if (!o[0].equals(r[0]) || !o[1].equals(r[1])) {
                return "not same origin";
            }
        }
        if (!allowed.isEmpty()) {
            Allowed a = allowed.get(o[0]);
            if (a == null || !u.getScheme().equals(a.scheme()) || !o[1].equals(a.port())) {
                return "not in the allowed list";
            }
        }
        return null;
    }

    /** Host (lower case) and port, the scheme's default port when none is given. */
    static String[] hostAndPort(boolean tls, String hostPort) {
        String host = hostPort;
        String port = tls ? "443" : "80";
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && hostPort.indexOf(']') < colon) {
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host.toLowerCase(), port};
    }
}
