package io.natsjvm.server.connection;

import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

/**
 * The client socket {@code scripts/server}'s launcher ({@code src/main/c/listen-early.c}) bound
 * and put on standard input before the JVM started, so that the port answers within milliseconds
 * of the process starting while the server takes its few hundred to become whole. The kernel holds
 * the connections that arrive meanwhile in the backlog; the server adopts the socket with
 * accepting off and turns accepting on where it would otherwise bind.
 *
 * <p>Adopted only when the launcher says it passed one and the socket listens on exactly the
 * address the server's own options name; any other socket is closed at once, so the server binds
 * as it always did.
 */
public final class EarlyListener {
    /** Set by the launcher: the descriptor of the listening socket (always standard input). */
    public static final String ENV = "NATS_JVM_LISTEN_EARLY_FD";

    private static volatile ServerSocketChannel inherited; // kept reachable: it owns descriptor 0

    private EarlyListener() {
    }

    /**
     * The launcher's socket as a Netty server channel for the given transport, when it listens
     * on {@code host:port}; empty otherwise (then there is no early socket any more either).
     */
    public static Optional<ServerChannel> adopt(String host, int port, boolean epoll) {
        if (!"0".equals(System.getenv(ENV)) || inherited != null) {
            return Optional.empty();
        }
        ServerSocketChannel socket;
        try {
            Channel c = System.inheritedChannel();
            if (!(c instanceof ServerSocketChannel s)) {
                return Optional.empty();
            }
            socket = s;
            inherited = s;
            if (!(s.getLocalAddress() instanceof InetSocketAddress bound) || !listensOn(bound, host, port)) {
                s.close();
                return Optional.empty();
            }
            // Netty's loops must never block in accept
            s.configureBlocking(false);
        } catch (IOException | SecurityException e) {
            closeQuietly();
            return Optional.empty();
        }
        return Optional.of(epoll ? new EpollServerSocketChannel(0) : new NioServerSocketChannel(socket));
    }

    /** Whether a socket bound to {@code bound} is the one the options name ({@code host}, a fixed port). */
    public static boolean listensOn(InetSocketAddress bound, String host, int port) throws IOException {
        if (bound.getPort() != port || port <= 0) {
            return false;
        }
        InetAddress wanted = InetAddress.getByName(host);
        InetAddress actual = bound.getAddress();
        return wanted.isAnyLocalAddress() ? actual.isAnyLocalAddress() : wanted.equals(actual);
    }

    private static void closeQuietly() {
        ServerSocketChannel s = inherited;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
