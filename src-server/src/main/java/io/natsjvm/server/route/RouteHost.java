package io.natsjvm.server.route;

import io.natsjvm.server.account.Account;
import io.natsjvm.server.account.AccountRegistry;
import io.natsjvm.server.config.ServerOptions;

import java.util.List;

/** What routes need from the server they belong to; the server implements it, tests can fake it. */
public interface RouteHost {
    /** The options in force (read per use). */
    ServerOptions options();

    String serverId();

    String serverName();

    AccountRegistry accounts();

    /** The account a peer's interest names, created if the server may learn of it later; null if unknown. */
    Account accountForRoute(String name);

    long nextCid();

    /** The client port actually bound (for this server's client connect URLs). */
    int clientPort();

    /**
     * The leafnode listener's advertised {@code host:port} (it binds before the route listener),
     * or null without one or with {@code no_advertise}: routes tell peers, whose leafs learn it.
     */
    String leafnodeUrl();

    /**
     * The peers' leafnode listeners (and websocket listeners) changed: leafs connected here are
     * told, so they can fail over to another node of the cluster.
     */
    void peerLeafUrlsChanged(List<String> leafnodeUrls, List<String> websocketUrls);

    /** The websocket listener's bound port (it binds before the route listener), 0 without one. */
    int websocketPort();

    /**
     * The cluster's client URLs changed: the server's INFO and its clients learn of them (NATS
     * clients of {@code connectUrls}, websocket clients of {@code websocketUrls}).
     */
    void clientUrlsChanged(String clusterName, List<String> connectUrls, List<String> websocketUrls);

    void internalError(RouteConnection r, Throwable t);
}
