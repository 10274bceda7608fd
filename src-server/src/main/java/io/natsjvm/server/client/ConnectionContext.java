package io.natsjvm.server.client;

import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.account.AccountRegistry;
import io.natsjvm.server.auth.Authenticator;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.tls.ServerTls;
import io.natsjvm.server.auth.JwtLogin;
import io.netty.channel.Channel;

import java.util.concurrent.Executor;

/**
 * What a connection needs from the server it belongs to, and nothing more: the server implements
 * it, tests can fake it, and the client package does not depend on the server class. Methods are
 * safe from any event loop unless they say otherwise.
 */
public interface ConnectionContext {
    /** The options in force (read per use: reload may replace them). */
    ServerOptions options();

    Authenticator authenticator();

    /** How websocket clients log in: the websocket block's own credentials, else {@link #authenticator}. */
    default Authenticator websocketAuthenticator() {
        return authenticator();
    }

    AccountRegistry accounts();

    /** The account of that name, created on first use (config accounts and JWT accounts). */
    Account account(String name);

    /** Puts JWT claims in force for an account if they are new or newer. */
    void accountClaims(Account a, AccountClaims c);

    /**
     * Puts a JWT login's account claims in force and wires its imports. Called off the event loops
     * for a login that may have to fetch accounts (URL resolver); may block.
     */
    void prepareAccount(String accountName, JwtLogin jwt);

    /** Off-loop executor for work that may block (URL resolver fetches). */
    Executor blockingWork();

    /** The client listener's TLS, or null for plain TCP. */
    ServerTls tls();

    /** This server's cluster name (cluster-scoped subject mappings), or null. */
    default String clusterName() {
        return null;
    }

    /** The INFO line for a new connection. */
    byte[] infoLine(long cid, String ip, String nonce);

    /** The INFO line for a websocket client: auth_required as the websocket listener's credentials say. */
    default byte[] websocketInfoLine(long cid, String ip, String nonce) {
        return infoLine(cid, ip, nonce);
    }

    /** Identifies the INFO in force: it changes when the cluster changes (compared by identity). */
    Object infoVersion();

    /** The INFO in force as an asynchronous INFO for a logged-in client. */
    byte[] asyncInfoLine(long cid, String ip);

    /** The INFO with {@code "ldm":true} sent to a client when the server enters lame duck mode. */
    byte[] lameDuckInfoLine(long cid, String ip);

    /** {@link #asyncInfoLine} for a websocket client (its connect_urls are the websocket listeners'). */
    default byte[] websocketAsyncInfoLine(long cid, String ip) {
        return asyncInfoLine(cid, ip);
    }

    /** {@link #lameDuckInfoLine} for a websocket client. */
    default byte[] websocketLameDuckInfoLine(long cid, String ip) {
        return lameDuckInfoLine(cid, ip);
    }

    boolean nonceRequired();

    String newNonce();

    /** Registers a connection for an accepted channel and starts it (the channel's loop). */
    ClientConnection accept(Channel ch);

    void clientConnected(ClientConnection c, int count);

    void clientDisconnected(ClientConnection c, int count);

    void clientClosed(ClientConnection c);

    void authFailed(ClientConnection c, String why);

    void slowConsumer(ClientConnection c);

    void internalError(ClientConnection c, Throwable t);

    /** Cross-server service latency tracking (responder side), or null when not provided. */
    default RemoteLatencyTracking remoteLatency() {
        return null;
    }
}
