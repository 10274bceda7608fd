package io.natsjvm.server.monitor;

import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.server.leaf.Leafs;
import io.natsjvm.server.route.Routes;
import io.natsjvm.resolver.claims.Export;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.account.ImportWiring;
import io.natsjvm.server.account.AccountRegistry;
import io.natsjvm.server.auth.Authenticator;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.protocol.ServerInfo;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The read-only view of the server that monitoring, the event stream and the system services
 * compute from: the same numbers behind /varz, $SYS.REQ and /metrics. The server implements it;
 * nothing here changes server state. Any thread.
 */
public interface ServerView {
    String serverId();

    String serverName();

    ServerInfo info();

    /** What websocket clients' INFO names as connect_urls (the cluster's websocket listeners). */
    List<String> websocketConnectUrls();

    ServerOptions options();

    Authenticator authenticator();

    AccountRegistry accounts();

    Account systemAccount();

    Collection<ClientConnection> clients();

    int port();

    String httpHost();

    int httpPort();

    Instant startTime();

    long totalConnections();

    long slowConsumerCount();

    long internalErrorCount();

    Map<String, Long> authFailureReasons();

    /** The imports an account has from the system account's services (account INFO). */
    List<Map<String, Object>> systemImportsOf(Account a);

    /** The imports in force in an account, from its JWT or config block (account INFO). */
    default List<ImportWiring.Wired> importsOf(Account a) {
        return List.of();
    }

    /** The exports an account declares, in its JWT or config block (account INFO). */
    default List<Export> exportsOf(Account a) {
        return List.of();
    }

    /** The client with this connection id, or null. */
    ClientConnection client(long cid);

    /** A connection id for an internal client of the system account. */
    long nextCid();

    /** The cluster, or null when this server has no routes configured. */
    Routes routes();

    /**
     * The cluster name clients and peers see: the route cluster's, or without a route listener a
     * configured {@code cluster { name }} or (a leaf with remotes) the configured server name, as
     * the reference names it; null when there is none.
     */
    String clusterName();

    /** Leaf nodes, or null when none are configured. */
    Leafs leafs();

    /** Reloads the configuration; null when applied, else the reason it was refused. */
    String reloadFromSource();

    /** Which account JWTs are in force and where they came from. */
    ClaimsLedger claimsLedger();
}
