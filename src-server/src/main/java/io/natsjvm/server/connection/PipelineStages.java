package io.natsjvm.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Assembles one listener's Netty pipeline from named stages: an optional TLS stage first, then the
 * connection. One instance per listener kind (clients now; routes, leaf nodes, websockets next),
 * with its dependencies handed in rather than reached for.
 */
public final class PipelineStages extends ChannelInitializer<Channel> {
    /** The TLS handler's name (the slot TLS listeners fill). */
    public static final String TLS = "tls";
    /** The connection's handler. */
    public static final String CONNECTION = "nats";

    private final Supplier<ChannelHandler> tls;
    private final Function<Channel, Connection> accept;

    /**
     * @param tls    makes the TLS handler for a new channel, or null for plain TCP
     * @param accept registers and starts the connection for an active channel
     */
    public PipelineStages(Supplier<ChannelHandler> tls, Function<Channel, Connection> accept) {
        this.tls = tls;
        this.accept = accept;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (tls != null) {
            ch.pipeline().addLast(TLS, tls.get());
        }
        ch.pipeline().addLast(CONNECTION, new ConnectionHandler(accept));
    }
}
