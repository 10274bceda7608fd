package io.natsjvm.server.connection;

import io.natsjvm.server.log.ServerLog;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code host:port} addresses a listener is advertised at to peers and clients, as the
 * reference computes them: the {@code advertise} setting when there is one, else the listening
 * host, else (listening on 0.0.0.0 or ::) every global unicast address of the machine.
 */
public final class AdvertisedAddresses {
    private AdvertisedAddresses() {
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    public static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public static List<String> of(String advertise, String listenHost, int port) {
        if (advertise != null && !advertise.isEmpty()) {
            boolean hasPort = advertise.contains(":") && !advertise.startsWith("[")
                    && advertise.chars().filter(c -> c == ':').count() == 1
                    || advertise.startsWith("[") && advertise.contains("]:");
            return List.of(hasPort ? advertise : hostPort(advertise, port));
        }
        if (!"0.0.0.0".equals(listenHost) && !"::".equals(listenHost)) {
            return List.of(hostPort(listenHost, port));
        }
        List<String> urls = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                            || a.isMulticastAddress()) {
                        continue;
                    }
                    String ip = a.getHostAddress();
                    int zone = ip.indexOf('%');
                    if (zone >= 0) {
                        ip = ip.substring(0, zone);
                    }
                    urls.add(a instanceof Inet6Address ? "[" + ip + "]:" + port : ip + ":" + port);
                }
            }
        } catch (SocketException e) {
            ServerLog.get().error("Address \"%s\" can not be resolved properly", listenHost);
        }
        return urls;
    }

    /** The one address a leafnode listener names itself by: the first of {@link #of} (the listen address if none). */
    public static String first(String advertise, String listenHost, int port) {
        List<String> all = of(advertise, listenHost, port);
        return all.isEmpty() ? hostPort(listenHost, port) : all.get(0);
    }
}
