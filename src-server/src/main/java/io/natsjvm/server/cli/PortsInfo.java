package io.natsjvm.server.cli;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ServerOptions;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The ports file's JSON as nats-server 2.9.10 writes it: {@code nats}, {@code monitoring},
 * {@code cluster} and {@code websocket}, each the listener's URLs (every interface address for
 * a listener on 0.0.0.0), {@code tls}/{@code https}/{@code wss} schemes where TLS is on. Test
 * harnesses (nats.js, nats.deno) find a server's ports, cluster port included, only here.
 */
final class PortsInfo {
    private PortsInfo() {
    }

    static String json(NatsServer server, ServerOptions o) {
        StringBuilder b = new StringBuilder("{");
        field(b, "nats", o.tls != null ? "tls" : "nats", o.host, server.port());
        if (server.httpPort() > 0) {
            field(b, "monitoring", o.httpsPort != 0 ? "https" : "http", o.monitorHost(), server.httpPort());
        }
        if (server.routePort() > 0) {
            field(b, "cluster", o.cluster.tls != null ? "tls" : "nats", o.cluster.host, server.routePort());
        }
        if (server.websocketPort() > 0) {
            field(b, "websocket", o.websocket.tls != null ? "wss" : "ws", o.websocket.host, server.websocketPort());
        }
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String scheme, String host, int port) {
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('"').append(name).append("\":[");
        List<String> hosts = hosts(host);
        for (int i = 0; i < hosts.size(); i++) {
            b.append(i == 0 ? "" : ",").append('"').append(scheme).append("://").append(hosts.get(i)).append(':')
                    .append(port).append('"');
        }
        b.append(']');
    }

    /** The listener's address, or for 0.0.0.0 every address of every interface (IPv6 bracketed). */
    static List<String> hosts(String host) {
        List<String> out = new ArrayList<>();
        try {
            InetAddress bound = InetAddress.getByName(host == null || host.isEmpty() ? "0.0.0.0" : host);
            if (!bound.isAnyLocalAddress()) {
                out.add(literal(bound));
                return out;
            }
            List<NetworkInterface> interfaces = NetworkInterface.networkInterfaces()
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex)).toList();
            for (NetworkInterface i : interfaces) {
                // IPv4 first, as the kernel lists an interface's addresses to Go
                i.getInterfaceAddresses().stream().map(InterfaceAddress::getAddress)
                        .filter(a -> a instanceof Inet4Address).forEach(a -> out.add(literal(a)));
                i.getInterfaceAddresses().stream().map(InterfaceAddress::getAddress)
                        .filter(a -> a instanceof Inet6Address).forEach(a -> out.add(literal(a)));
            }
        } catch (UnknownHostException | SocketException e) {
            out.clear();
        }
        if (out.isEmpty()) {
            out.add("127.0.0.1");
        }
        return out;
    }

    private static String literal(InetAddress a) {
        String s = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int zone = s.indexOf('%');
            return "[" + compress(zone >= 0 ? s.substring(0, zone) : s) + "]";
        }
        return s;
    }

    /**
     * Go's IPv6 text: the longest run of two or more zero groups (the first of equal runs) as
     * {@code ::}. Java writes every group out, without leading zeros.
     */
    static String compress(String full) {
        String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            return full;
        }
        return String.join(":", Arrays.copyOfRange(g, 0, bestStart)) + "::"
                + String.join(":", Arrays.copyOfRange(g, bestStart + bestLen, g.length));
    }
}
