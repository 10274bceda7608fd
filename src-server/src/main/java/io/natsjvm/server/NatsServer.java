package io.natsjvm.server;
import io.natsjvm.resolver.AccountResolver;
import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.resolver.ClaimsUpdateHandler;
import io.natsjvm.resolver.ClusterSync;
import io.natsjvm.resolver.DirResolver;
import io.natsjvm.resolver.FullResolverServices;
import io.natsjvm.resolver.MemoryResolver;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.OperatorClaims;
import io.natsjvm.resolver.claims.SubjectMatch;
import io.natsjvm.resolver.claims.TrustChain;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.account.Account;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import io.natsjvm.resolver.UrlResolver;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.claims.Claims;
import java.util.LinkedHashMap;
import io.natsjvm.server.account.AccountRegistry;
import io.natsjvm.resolver.claims.AccountLimits;
import java.util.HashMap;
import io.natsjvm.resolver.claims.Import;
import io.natsjvm.resolver.claims.Export;
import io.natsjvm.server.account.ImportWiring;
import io.natsjvm.server.delivery.SubjectMappings;
import io.natsjvm.server.auth.AuthFailures;
import io.natsjvm.server.auth.Authenticator;
import io.natsjvm.server.auth.ConfigAuthenticator;
import io.natsjvm.server.auth.JwtAuthenticator;
import io.natsjvm.server.auth.OperatorJwts;
import io.natsjvm.server.auth.UserEntry;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.client.ConnectionContext;
import io.natsjvm.server.client.RemoteLatencyTracking;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.ConnectDecoder;
import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.connection.EarlyListener;
import io.natsjvm.server.auth.JwtLogin;
import io.natsjvm.server.connection.PipelineStages;
import io.natsjvm.server.connection.Sockets;
import io.natsjvm.server.protocol.InfoTemplate;
import io.natsjvm.server.protocol.ProtocolErrors;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.leaf.LeafConnection;
import io.natsjvm.server.leaf.LeafHost;
import io.natsjvm.server.leaf.Leafs;
import io.natsjvm.server.route.RouteConnection;
import io.natsjvm.server.tls.ServerTls;
import io.natsjvm.server.websocket.WebsocketListener;
import io.natsjvm.server.console.ConsoleFeed;
import io.natsjvm.server.console.ConsoleRoutes;
import io.natsjvm.server.websocket.WebsocketUpgrade;
import io.natsjvm.server.tls.TlsEngine;
import io.natsjvm.server.config.LeafOptions;
import io.natsjvm.server.route.RouteHost;
import io.natsjvm.server.route.Routes;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.config.TlsOptions;
import io.natsjvm.server.config.WebsocketOptions;
import io.natsjvm.server.events.RequestInfos;
import io.natsjvm.server.events.ServiceLatencies;
import io.natsjvm.server.events.SystemBusAdapter;
import io.natsjvm.server.events.SystemEvents;
import io.natsjvm.server.events.SystemServices;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.monitor.HttpMonitor;
import io.natsjvm.server.monitor.Monitor;
import io.natsjvm.server.monitor.ServerView;
import io.natsjvm.server.protocol.ServerInfo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The server: owns the Vert.x instance whose event loops run every connection, the listening
 * socket, the accounts and the connected clients.
 *
 * <p>Client sockets are accepted with a Netty bootstrap on Vert.x's own acceptor and event-loop
 * groups, so each connection lives on one Vert.x event loop and the protocol codec works on
 * Netty buffers directly (no copies between the socket and the subscribers' queues).
 */
public final class NatsServer implements ConnectionContext, ServerView, RouteHost, LeafHost {
    public static final String VERSION = ServerInfo.VERSION;

    /**
     * The options in force: a snapshot (never changed once the server starts) behind one reference
     * that config reload swaps. Everything reads {@link #options()} per use; {@link #opts} is the
     * snapshot the server was built from (listen addresses, auth and resolver set-up).
     */
    private final AtomicReference<ServerOptions> current;
    private final ServerOptions opts;
    /** Looked up per use: SIGUSR1 (and later reload) replace the process logger. */
    private static ServerLog log() {
        return ServerLog.get();
    }
    private final String serverId = NKeys.newServerId();
    /** Replaced by a config reload that changes users, tokens or accounts. */
    private volatile Authenticator authenticator;
    /** Websocket clients' authenticator (the main one unless the websocket block has credentials). */
    private volatile Authenticator websocketAuthenticator;
    private final AccountRegistry accounts = new AccountRegistry();
    private final Map<Long, ClientConnection> clients = new ConcurrentHashMap<>();
    private final AtomicLong nextCid = new AtomicLong();
    private final AtomicLong totalConnections = new AtomicLong();
    private final Account systemAccount;
    /** Whether a system account was named (config or operator JWT), not the default $SYS. */
    private final boolean systemAccountConfigured;
    /** The trusted operators (operator mode), for the start-up notices. */
    private final List<OperatorClaims> operators;
    /** What the resolver said while it was built, logged in the reference's place in start(). */
    private String resolverNotice;
    private final Monitor monitor = new Monitor(this);
    private SystemEvents events;
    /** Service latency samples, here and across the cluster (built with the system events). */
    private ServiceLatencies latencies;
    private SystemServices services;
    private HttpMonitor http;
    /** The cluster (routes), or null when this server is not clustered. */
    private Routes routes;
    /** Leaf nodes (listener and remotes), or null when none are configured. */
    private Leafs leafs;
    private WebsocketListener websocket;
    /** The operations console's feed (with monitoring), or null. */
    private volatile ConsoleFeed console;
    /** The client listener's TLS, or null for plain TCP. */
    /** Replaced by a config reload that changes {@code tls {}}; new connections use the new one. */
    private volatile ServerTls tls;
    private ImportWiring imports;
    /**
     * Code the first clients run, run once on the login workers while the server is assembled
     * (CONNECT decoding; in operator mode JWT logins); start() waits for them before accepting.
     */
    private final List<Future<?>> warmUps = new ArrayList<>();
    private final ExecutorService blockingWork = Executors.newFixedThreadPool(4,
            r -> {
                Thread t = new Thread(r, "nats-blocking");
                t.setDaemon(true);
                return t;
            });
    private final AtomicLong slowConsumers = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();
    private final Map<String, Long> authFailureReasons = new ConcurrentHashMap<>();
    private final AtomicLong internalErrors = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private Vertx vertx;
    private boolean ownsProcess;
    private Channel listener;
    /** The INFO every new client gets; swapped whole when it changes (cluster URLs, reload). */
    private volatile InfoTemplate info;
    private volatile boolean shuttingDown;
    private volatile boolean lameDuck;
    private final Instant startTime = Instant.now();
    /** Which account JWT is in force and where it came from ($SYS.REQ.CLAIMS.STATUS, /claimsz). */
    private final ClaimsLedger claimsLedger = new ClaimsLedger(Clock.systemUTC());

    public NatsServer(ServerOptions opts) {
        warmUps.add(blockingWork.submit(NatsServer::warmConnectDecoding));
        this.opts = opts;
        this.current = new AtomicReference<>(opts);
        if (opts.httpPort != 0 && opts.httpsPort != 0) {
            throw new IllegalArgumentException(String.format("can't specify both HTTP (%d) and HTTPs (%d) ports",
                    opts.httpPort, opts.httpsPort));
        }
        if (opts.httpsPort != 0 && opts.tls == null) {
            throw new IllegalArgumentException("TLS cert and key required for HTTPS");
        }
        validateNoAuthUser(opts, opts.noAuthUser);
        validateNoAuthUser(opts, opts.websocket.noAuthUser);
        if (!opts.users.isEmpty() && opts.websocket.user != null) {
            throw new IllegalArgumentException("websocket authentication username not compatible with presence of"
                    + " users/nkeys");
        }
        if (!opts.users.isEmpty() && opts.websocket.token != null) {
            throw new IllegalArgumentException("websocket authentication token not compatible with presence of"
                    + " users/nkeys");
        }
        if (opts.websocket.jwtCookie != null && !opts.operatorMode()) {
            throw new IllegalArgumentException("trusted operators or trusted keys configuration is required for JWT"
                    + " authentication via cookie \"" + opts.websocket.jwtCookie + "\"");
        }
        validateLeafAccounts(opts);
        validateLeafRemoteSchemes(opts);
        try {
            this.tls = opts.tls == null ? null : ServerTls.of(opts.tls);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String systemName = opts.systemAccount;
        if (opts.operatorMode()) {
            List<OperatorClaims> operators = OperatorJwts.load(opts.operators,
                    opts.configFile == null ? null : Path.of(opts.configFile).toAbsolutePath().getParent());
            this.operators = operators;
            validateTrustedOperators(opts, operators);
            JwtAuthenticator jwt = new JwtAuthenticator(new TrustChain(operators, opts.trustedKeys),
                    resolver(opts, operators), claimsLedger);
            this.authenticator = jwt;
            if (systemName == null) {
                systemName = operators.stream().map(OperatorClaims::systemAccount).filter(Objects::nonNull)
                        .findFirst().orElse(null);
            }
            if (!opts.resolverPinnedAccounts.isEmpty()) {
                // the operator's system account can always connect, as the reference keeps it
                Set<String> pinned = new HashSet<>(opts.resolverPinnedAccounts);
                if (systemName != null) {
                    pinned.add(systemName);
                }
                jwt.pinnedAccounts(pinned);
            }
            if (systemName != null && jwt.resolver() instanceof MemoryResolver) {
                requireSystemAccountClaims(jwt, systemName);
            }
            warmUps.add(blockingWork.submit(jwt::warmUp));
        } else {
            this.operators = List.of();
            if (systemName != null && !systemName.equals("$G") && !opts.accounts.containsKey(systemName)) {
                // as the reference: only a configured account (or $G) can be named the system account
                throw new IllegalArgumentException("error resolving system account: account missing");
            }
            this.authenticator = opts.authConfigured()
                    ? new ConfigAuthenticator(opts.authToken, opts.authTokenPermissions, opts.users,
                            opts.tls != null && opts.tls.map, opts.noAuthUser)
                    : Authenticator.NONE;
        }
        for (String name : opts.accounts.keySet()) {
            accounts.getOrCreate(name);
        }
        // Like the reference, there is always a system account: the configured one or $SYS.
        systemAccount = accounts.getOrCreate(systemName != null ? systemName : "$SYS");
        systemAccountConfigured = systemName != null;
        websocketAuthenticator = websocketLogin(opts, authenticator);
        applyConfigAccountSettings(opts);
    }

    /**
     * The config file's subject mappings and account limits put in force on their accounts
     * (config mode; JWT accounts take theirs from their claims). Accounts without any lose what
     * they had.
     */
    private void applyConfigAccountSettings(ServerOptions o) {
        if (o.operatorMode()) {
            return;
        }
        for (Account a : accounts.all()) {
            a.configLimits(null);
            a.mappings(null);
        }
        accounts.global().mappings(null);
        o.accountLimits.forEach((name, l) -> configAccount(name).configLimits(new AccountLimits(
                l.maxSubscriptions(), -1, l.maxPayload(), -1, -1, true, l.maxConnections(), l.maxLeafnodes(), false)));
        o.mappings.forEach((name, m) -> configAccount(name).mappings(m));
    }

    /** A config account by name, {@code $G} being the global account. */
    private Account configAccount(String name) {
        return name.equals("$G") ? accounts.global() : accounts.getOrCreate(name);
    }

    /** What requests crossing service imports carry about their requester, and their latency samples. */
    private void serviceImportObservers(ImportWiring wiring) {
        wiring.requestorInfo(latencies.infos());
        wiring.latencyReporter(latencies);
    }

    @Override
    public RemoteLatencyTracking remoteLatency() {
        return latencies;
    }

    /** Whether {@code a} exports a service covering {@code subject}. */
    private boolean exportsService(Account a, String subject) {
        return exportsOf(a).stream().anyMatch(e -> e.isService() && e.subject() != null
                && SubjectMatch.covers(e.subject(), subject));
    }

    /** Config mode: each account block's exports and imports, as claims the import wiring reads. */
    private volatile Map<String, AccountClaims> configClaims = Map.of();

    /**
     * Config mode: the account blocks' exports and imports wired as JWT accounts' are (the load
     * checked that every import is authorized by an export). A reload wires them again.
     */
    private void wireConfigImports(ServerOptions o) {
        Map<String, AccountClaims> claims = new HashMap<>();
        for (String name : o.accounts.keySet()) {
            List<Export> exports = new ArrayList<>();
            for (ServerOptions.ExportOption e : o.accountExports.getOrDefault(name, List.of())) {
                exports.add(new Export(null, e.subject(), e.service() ? "service" : "stream", false, e.responseType(),
                        e.accountTokenPosition(), Map.of(), e.responseThresholdNanos(), e.latency() == null ? null
                        : new Export.ServiceLatency(e.latency().sampling(), e.latency().subject()), e.accounts()));
            }
            List<Import> imports = new ArrayList<>();
            for (ServerOptions.ImportOption i : o.accountImports.getOrDefault(name, List.of())) {
                // a service's "to" and a stream's "to" are where the import appears here; a
                // stream's "prefix" goes in front of the exported subject
                imports.add(new Import(null, i.subject(), i.account(), null, i.service() ? null : i.prefix(), i.to(),
                        i.service() ? "service" : "stream", i.share()));
            }
            claims.put(name, new AccountClaims("", name, name, "", 0, 0, AccountLimits.UNLIMITED, List.of(), Map.of(),
                    exports, imports, Map.of(), List.of()));
        }
        configClaims = Map.copyOf(claims);
        if (o.accountImports.isEmpty() && imports == null) {
            return;
        }
        if (imports == null) {
            // read per use: a reload replaces the map
            imports = new ImportWiring(accounts::getOrCreate, n -> configClaims.get(n), a -> configClaims.get(a.name()));
            serviceImportObservers(imports);
        }
        for (String name : claims.keySet()) {
            accounts.getOrCreate(name);
        }
        for (Account a : accounts.all()) {
            imports.claimsChanged(a);
        }
    }

    /** The reference's checks of the accounts the leafnodes block names. */
    private static void validateLeafAccounts(ServerOptions o) {
        if (o.operatorMode()) {
            if (!o.leaf.users.isEmpty()) {
                throw new IllegalArgumentException("operator mode does not allow specifying user in leafnode config");
            }
            for (LeafOptions.Remote r : o.leaf.remotes) {
                if (r.account() == null || !NKeys.isValidPublic(r.account(), NKeys.PREFIX_ACCOUNT)) {
                    throw new IllegalArgumentException("operator mode requires account nkeys in remotes. Please add an"
                            + " `account` key to each remote in your `leafnodes` section, to assign it to an account."
                            + " Each account value should be a 56 character public key, starting with the letter 'A'");
                }
            }
            return;
        }
        Set<String> names = new HashSet<>(o.accounts.keySet());
        names.add("$G");
        names.add("");
        if (o.systemAccount == null) {
            names.add("$SYS");
        }
        if (o.leaf.account != null && !names.contains(o.leaf.account)) {
            throw new IllegalArgumentException(noLeafAccount(o.leaf.account, "authorization"));
        }
        for (LeafOptions.User u : o.leaf.users) {
            if (u.account() != null && !names.contains(u.account())) {
                throw new IllegalArgumentException(noLeafAccount(u.account(), "authorization"));
            }
        }
        for (LeafOptions.Remote r : o.leaf.remotes) {
            if (r.account() != null && !names.contains(r.account())) {
                throw new IllegalArgumentException(noLeafAccount(r.account(), "remote"));
            }
        }
    }

    /** A remote dials its hub over WebSocket or over plain NATS, never a mix (the reference's check). */
    private static void validateLeafRemoteSchemes(ServerOptions o) {
        for (LeafOptions.Remote r : o.leaf.remotes) {
            boolean ws = r.websocket();
            if (r.urls().stream().anyMatch(u -> LeafOptions.Remote.isWebsocket(u) != ws)) {
                throw new IllegalArgumentException("remote leaf node configuration cannot have a mix of websocket and"
                        + " non-websocket urls: " + r.urls().stream().map(NatsServer::redacted)
                                .map(u -> "\"" + u + "\"").collect(Collectors.joining(" ", "[", "]")));
            }
        }
    }

    /** A URL as Go's {@code url.Redacted} prints it: any password replaced by {@code xxxxx}. */
    private static String redacted(URI u) {
        String info = u.getRawUserInfo();
        if (info == null || info.indexOf(':') < 0) {
            return u.toString();
        }
        return u.toString().replace(info + "@", info.substring(0, info.indexOf(':')) + ":xxxxx@");
    }

    private static String noLeafAccount(String account, String where) {
        return "cannot find local account \"" + account + "\" specified in leafnode " + where;
    }

    /** The reference's checks of operator mode against the rest of the configuration, in its order. */
    private static void validateTrustedOperators(ServerOptions o, List<OperatorClaims> operators) {
        if (operators.size() > 1 && o.resolverType == null) {
            throw new IllegalArgumentException("operators require an account resolver to be configured");
        }
        if (!o.accounts.isEmpty()) {
            throw new IllegalArgumentException("operators do not allow Accounts to be configured directly");
        }
        if (o.users.stream().anyMatch(u -> u.nkey() != null || !Objects.equals(u.username(), o.authUser))) {
            throw new IllegalArgumentException("operators do not allow users to be configured directly");
        }
        if (!o.trustedKeys.isEmpty()) {
            throw new IllegalArgumentException("conflicting options for 'TrustedKeys' and 'TrustedOperators'");
        }
        if (o.systemAccount != null && !o.systemAccount.isEmpty()) {
            boolean named = operators.stream().anyMatch(op -> op.systemAccount() != null);
            boolean same = operators.stream().anyMatch(op -> o.systemAccount.equals(op.systemAccount()));
            if (named && !same) {
                throw new IllegalArgumentException("system_account in config and operator JWT must be identical");
            }
        } else if (operators.get(0).systemAccount() == null
                && ("full".equals(o.resolverType) || "cache".equals(o.resolverType))) {
            throw new IllegalArgumentException("using nats based account resolver - the system account needs to be"
                    + " specified in configuration or the operator jwt");
        }
        for (OperatorClaims op : operators) {
            String problem = ServerVersionAssertion.check(op, VERSION);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        for (String key : o.resolverPinnedAccounts) {
            if (!NKeys.isValidPublic(key, NKeys.PREFIX_ACCOUNT)) {
                throw new IllegalArgumentException("pinned account key \"" + key + "\" is not a valid public account nkey");
            }
        }
    }

    /**
     * With the memory resolver, as the reference: the system account's JWT must be preloaded and
     * valid (a trusted issuer, in time), or the server does not start. Other resolvers start with
     * a bootstrapping system account and load its JWT when it comes.
     */
    private static void requireSystemAccountClaims(JwtAuthenticator jwt, String systemName) {
        if (jwt.resolver().fetch(systemName) == null) {
            throw new IllegalArgumentException("error resolving system account: account missing");
        }
        try {
            jwt.account(systemName);
        } catch (JwtException e) {
            throw new IllegalArgumentException("error resolving system account: account validation failed");
        }
    }

    /**
     * As the reference: one trusted operator, a named system account, a resolver that is not the
     * memory one, and no JWT for the system account yet; it runs on an account without claims.
     */
    private boolean bootstrappingSystemAccount() {
        if (!(authenticator instanceof JwtAuthenticator jwt) || operators.size() != 1 || !systemAccountConfigured
                || jwt.resolver() instanceof MemoryResolver) {
            return false;
        }
        return jwt.resolver().fetch(systemAccount.name()) == null;
    }

    /** The reference's checks of a {@code no_auth_user}: a configured user, and not in operator mode. */
    private static void validateNoAuthUser(ServerOptions o, String noAuthUser) {
        if (noAuthUser == null || noAuthUser.isEmpty()) {
            return;
        }
        if (o.operatorMode()) {
            throw new IllegalArgumentException("no_auth_user not compatible with Trusted Operator");
        }
        if (o.users.isEmpty()) {
            throw new IllegalArgumentException("no_auth_user: \"" + noAuthUser + "\" present, but users are not defined");
        }
        if (o.users.stream().noneMatch(u -> noAuthUser.equals(u.username()))) {
            throw new IllegalArgumentException("no_auth_user: \"" + noAuthUser
                    + "\" not present as user in authorization block or account configuration");
        }
    }

    /** Websocket clients' login: the block's own user/token/no_auth_user when set, else the server's. */
    private static Authenticator websocketLogin(ServerOptions o, Authenticator main) {
        WebsocketOptions w = o.websocket;
        if (!w.authOverride() || o.operatorMode()) {
            return main;
        }
        List<UserEntry> users = w.user != null ? List.of(new UserEntry(w.user, w.password, null, null, null)) : o.users;
        return new ConfigAuthenticator(w.token, null, users, false, w.noAuthUser);
    }

    @Override
    public Authenticator websocketAuthenticator() {
        return websocketAuthenticator;
    }

    private AccountResolver resolver(ServerOptions opts, List<OperatorClaims> operators) {
        String type = opts.resolverType == null ? "MEMORY" : opts.resolverType;
        String resolverUrl = opts.resolverUrl;
        if (opts.resolverType == null && operators.size() == 1) {
            // As the reference: no resolver configured means the operator's account server, under
            // the /accounts path nsc pushes to (an operator without one fails the check below).
            String server = operators.get(0).accountServerUrl();
            type = "URL";
            resolverUrl = (server == null ? "" : server.strip()) + "/accounts";
        }
        Map<String, String> preload = validPreloads(opts.resolverPreload);
        switch (type) {
            case "MEMORY":
                claimsLedger.storedAtStart(preload::keySet, preload::get, k -> ClaimsLedger.Source.PRELOAD);
                return new MemoryResolver(preload);
            case "URL":
                if (!preload.isEmpty()) {
                    throw new IllegalArgumentException(
                            "resolver preloads only available for writeable resolver types MEM/DIR/CACHE_DIR");
                }
                UrlResolver url = new UrlResolver(resolverUrl, Duration.ofMillis(1900), Duration.ofMinutes(2));
                String absent = url.probe(); // as the reference: is anyone home?
                if (absent != null) {
                    throw new IllegalArgumentException(absent);
                }
                preload.forEach(url::store);
                claimsLedger.storedAtStart(preload::keySet, preload::get, k -> ClaimsLedger.Source.PRELOAD);
                return url;
            case "full":
            case "cache":
                Path dir = Path.of(opts.resolverDir == null ? "jwt" : opts.resolverDir);
                try {
                    DirResolver r = type.equals("cache")
                            ? DirResolver.cache(dir, preload, opts.resolverLimit, opts.resolverTtl)
                            : new DirResolver(dir, preload, opts.resolverAllowDelete);
                    r.store().problems().forEach(p -> ServerLog.get().error("JWT store: %s", p));
                    // a preload is in force only where the store did not hold a newer JWT
                    claimsLedger.storedAtStart(r.store()::keys, r.store()::get,
                            k -> preload.containsKey(k) && preload.get(k).equals(r.store().get(k))
                                    ? ClaimsLedger.Source.PRELOAD : ClaimsLedger.Source.STORE);
                    resolverNotice = "Managing all jwt in exclusive directory " + dir.toAbsolutePath();
                    return r;
                } catch (IOException e) {
                    throw new IllegalArgumentException("resolver dir " + dir + ": " + e.getMessage(), e);
                }
            default:
                throw new IllegalArgumentException("unknown resolver type " + type);
        }
    }

    /**
     * The preloaded account JWTs that decode as account claims for their key. Each bad one is
     * logged and left out (its account is refused), so one bad entry does not stop the server.
     */
    private static Map<String, String> validPreloads(Map<String, String> preload) {
        Map<String, String> valid = new LinkedHashMap<>();
        preload.forEach((key, jwt) -> {
            try {
                AccountClaims c = Claims.account(Jwts.decode(jwt));
                if (!c.subject().equals(key)) {
                    throw new JwtException("the JWT is for " + c.subject());
                }
                valid.put(key, jwt);
            } catch (JwtException e) {
                ServerLog.get().error("preload account error for \"%s\": %s; the account is refused", key,
                        e.getMessage());
            }
        });
        return valid;
    }

    /**
     * Puts JWT claims in force for an account if they are its first or newer than the ones it
     * has, and re-wires imports that depend on it.
     */
    public void accountClaims(Account a, AccountClaims c) {
        boolean first = a.claims() == null;
        if (!a.applyClaims(c)) {
            return;
        }
        if (first && routes != null && events != null) {
            events.accountLoaded(a); // its connections on other servers count towards its limit
        }
        if (imports != null) {
            imports.claimsChanged(a);
        }
        if (c.expires() > 0 && events != null) {
            // When the account JWT expires, its connections are closed (unless newer claims came).
            long inMillis = c.expires() * 1000 - System.currentTimeMillis();
            events.schedule(() -> {
                if (a.claims() == c) {
                    for (Account.Member m : a.members()) {
                        if (m instanceof ClientConnection conn) {
                            conn.closeWithErrorAnyThread("Account Authentication Expired",
                                    CloseReason.AUTHENTICATION_EXPIRED);
                        }
                    }
                }
            }, Math.max(0, inMillis));
        }
    }

    /** An account known to the resolver, created with its claims (for import wiring). */
    private Account accountWithClaims(String key) {
        Account a = account(key);
        if (a.claims() == null && authenticator instanceof JwtAuthenticator jwt) {
            try {
                a.applyClaims(jwt.account(key));
                if (imports != null) {
                    imports.indexImports(a);
                }
            } catch (JwtException e) {
                log().warn("Account %s: %s", key, e.getMessage());
            }
        }
        return a;
    }

    /**
     * Off the event loops: puts a JWT login's account claims in force, which wires its imports
     * and may fetch exporting accounts from a URL resolver.
     */
    @Override
    public void prepareAccount(String accountName, JwtLogin jwt) {
        if (jwt != null) {
            accountClaims(account(accountName), jwt.account());
        }
    }

    /** Threads for work that may block (logins that fetch an account JWT over HTTP). */
    public Executor blockingWork() {
        return blockingWork;
    }

    /** The named account, created (with its built-in system imports) on first use. */
    public Account account(String name) {
        Account a = accounts.getOrCreate(name);
        if (services != null) {
            services.accountAdded(a);
        }
        return a;
    }

    /**
     * Config reload (SIGHUP, {@code --signal reload}): what the new options change is applied live,
     * as the reference applies it; an option it cannot reload refuses the whole reload and nothing
     * changes. Unlike 2.9.10 it re-publishes no CONNECT events and leaves logins in flight alone.
     *
     * @throws ConfigException with the reference's message when the reload is refused
     */
    public synchronized void reload(ServerOptions next) throws ConfigException {
        ServerOptions old = current.get();
        next.configFile = old.configFile;
        ConfigReload.Plan plan = ConfigReload.plan(old, next);
        TrustChain nextTrust = changedTrust(next);
        ServerTls nextTls = tls;
        if (plan.has(ConfigReload.Part.TLS)) {
            nextTls = next.tls == null ? null : ServerTls.of(next.tls); // a bad file refuses the reload
        }
        Authenticator nextAuth = authenticator;
        if (plan.has(ConfigReload.Part.AUTHORIZATION) && !old.operatorMode()) {
            nextAuth = next.authConfigured()
                    ? new ConfigAuthenticator(next.authToken, next.authTokenPermissions, next.users,
                            next.tls != null && next.tls.map, next.noAuthUser)
                    : Authenticator.NONE;
        }
        if (plan.has(ConfigReload.Part.LOGGING)) {
            try {
                ServerLog.configure(next.debug, next.trace, next.logtime, next.logFile, next.logSizeLimit);
            } catch (IOException e) {
                throw new ConfigException("cannot open log file: " + e.getMessage());
            }
        }
        current.set(next);
        for (String name : next.accounts.keySet()) {
            account(name);
        }
        authenticator = nextAuth;
        websocketAuthenticator = websocketLogin(next, nextAuth);
        for (String line : plan.logLines()) {
            log().info("%s", line);
        }
        if (plan.has(ConfigReload.Part.TLS)) {
            tls = nextTls;
        }
        Set<String> pins = TlsOptions.pinned(next.tls);
        if (plan.has(ConfigReload.Part.TLS) && pins != null && !Objects.equals(pins, TlsOptions.pinned(old.tls))) {
            // as the reference: clients whose certificate is no longer pinned go
            List<ClientConnection> unpinned = clients.values().stream()
                    .filter(c -> !c.isWebsocket() && !c.pinnedBy(pins)).toList();
            if (!unpinned.isEmpty()) {
                log().info("Disconnect %d clients due to pinned certs reload", unpinned.size());
                unpinned.forEach(c -> c.close(CloseReason.TLS_HANDSHAKE_ERROR));
            }
        }
        if (plan.has(ConfigReload.Part.LIMITS) || plan.has(ConfigReload.Part.TLS)) {
            if (old.maxPayload != next.maxPayload || old.authTimeout != next.authTimeout
                    || plan.has(ConfigReload.Part.TLS)) {
                info = new InfoTemplate(clientInfo(next, info.info().port(), nextAuth, nextTls, info.info().cluster(),
                        info.info().connectUrls()));
            }
            closeOverMaxConnections(next.maxConnections);
        }
        if (plan.has(ConfigReload.Part.AUTHORIZATION)
                && (!old.mappings.equals(next.mappings) || !old.accountLimits.equals(next.accountLimits))) {
            applyConfigAccountSettings(next);
        }
        if (plan.has(ConfigReload.Part.AUTHORIZATION) && !next.operatorMode()
                && (!old.accountImports.equals(next.accountImports) || !old.accountExports.equals(next.accountExports))) {
            wireConfigImports(next);
        }
        if (plan.has(ConfigReload.Part.AUTHORIZATION) || plan.has(ConfigReload.Part.LIMITS)) {
            for (ClientConnection c : clients.values()) {
                c.reloaded(plan.has(ConfigReload.Part.AUTHORIZATION));
            }
        }
        if (plan.has(ConfigReload.Part.ROUTES) && routes != null) {
            routes.reloaded(old.cluster.routes);
        }
        if (nextTrust != null) {
            applyTrust((JwtAuthenticator) authenticator, nextTrust);
        }
        monitor.configReloaded();
        log().info("Reloaded server configuration");
    }

    /**
     * The trust chain of {@code next} when it differs from the one in force (operator JWTs are
     * read again, so a file changed in place counts), else null. nats-server needs a restart for
     * this; here it reloads live, but the system account it names must stay the same.
     */
    private TrustChain changedTrust(ServerOptions next) throws ConfigException {
        if (!(authenticator instanceof JwtAuthenticator jwt)) {
            return null;
        }
        List<OperatorClaims> operators;
        try {
            operators = OperatorJwts.load(next.operators,
                    next.configFile == null ? null : Path.of(next.configFile).toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        TrustChain candidate = new TrustChain(operators, next.trustedKeys);
        if (candidate.keys().equals(jwt.trust().keys())) {
            return null;
        }
        String system = next.systemAccount != null ? next.systemAccount : operators.stream()
                .map(OperatorClaims::systemAccount).filter(Objects::nonNull).findFirst().orElse("$SYS");
        if (!system.equals(systemAccount.name())) {
            throw new ConfigException("config reload not supported for SystemAccount: old=" + systemAccount.name()
                    + ", new=" + system);
        }
        return candidate;
    }

    /**
     * Puts a new trust chain in force: keys added are trusted at once; every live account whose
     * JWT was signed by a key no longer trusted has its connections and leaf nodes closed, as
     * when an account's JWT expires.
     */
    private void applyTrust(JwtAuthenticator jwt, TrustChain next) {
        Set<String> before = jwt.trust().keys();
        long added = next.keys().stream().filter(k -> !before.contains(k)).count();
        long removed = before.stream().filter(k -> !next.keys().contains(k)).count();
        jwt.trust(next);
        log().info("Reloaded: trusted keys (%d added, %d removed)", added, removed);
        for (Account a : accounts.all()) {
            AccountClaims claims = a.claims();
            if (claims == null || next.trusts(claims.issuer())) {
                continue;
            }
            int closed = 0;
            for (Account.Member m : a.members()) {
                if (m instanceof Connection c && !c.isClosed()) {
                    c.closeWithErrorAnyThread("Account Authentication Expired", CloseReason.AUTHENTICATION_EXPIRED);
                    closed++;
                }
            }
            log().warn("Account %s (%s) was signed by %s, which is no longer trusted: %d connections closed",
                    a.name(), claims.name(), claims.issuer(), closed);
        }
    }

    /** Where a reload reads the options from (the config file with the command line over it). */
    public interface ConfigSource {
        ServerOptions load() throws ConfigException;
    }

    private volatile ConfigSource configSource;

    /** Set by the launcher when the server runs from a config file. */
    public void configSource(ConfigSource source) {
        this.configSource = source;
    }

    /**
     * Reloads from the config source (SIGHUP, {@code --signal reload}, 2.10's
     * {@code $SYS.REQ.SERVER.<id>.RELOAD}); a refusal is logged as the reference logs it.
     *
     * @return null when applied, else why not
     */
    @Override
    public String reloadFromSource() {
        ConfigSource source = configSource;
        try {
            if (source == null) {
                throw new ConfigException("can only reload config when a file is provided using -c or --config");
            }
            reload(source.load());
            return null;
        } catch (ConfigException | RuntimeException e) {
            log().error("Failed to reload server configuration: %s", e.getMessage());
            return e.getMessage();
        }
    }

    /** max_connections lowered: the newest clients over it go, as the reference closes them. */
    private void closeOverMaxConnections(int max) {
        if (max <= 0 || clients.size() <= max) {
            return;
        }
        List<ClientConnection> newest = new ArrayList<>(clients.values());
        newest.sort(Comparator.comparing((ClientConnection c) -> c.start()).reversed());
        int over = clients.size() - max;
        for (int i = 0; i < over && i < newest.size(); i++) {
            newest.get(i).closeWithErrorAnyThread(ProtocolErrors.MAX_CONNECTIONS, CloseReason.MAX_CONNECTIONS_EXCEEDED);
        }
        log().info("Closed %d connections to fall within max_connections", over);
    }

    /** The client INFO for {@code o}, the port bound, login and TLS in force, and cluster fields. */
    private ServerInfo clientInfo(ServerOptions o, int port, Authenticator auth, ServerTls t, String cluster,
            List<String> connectUrls) {
        return new ServerInfo(serverId, serverName(), VERSION, 1, GO_FIELD, o.host, port, !o.noHeaderSupport,
                auth.required(),
                t != null && !o.allowNonTls, t != null && t.verify(), t != null && o.allowNonTls, o.maxPayload, 0,
                null, null, cluster, connectUrls);
    }

    /** INFO's {@code go} field: the runtime, as nats-server puts its Go version there. */
    private static final String GO_FIELD = "java" + Runtime.version().feature() + "." + Runtime.version().interim()
            + "." + Runtime.version().update();

    /**
     * Starts the server as the process's only job (the command line): start-up may then tidy the
     * JVM's heap before the port accepts.
     */
    public NatsServer startOwningProcess() throws InterruptedException {
        ownsProcess = true;
        return start();
    }

    /** Binds the client port and returns once connections are accepted. */
    public synchronized NatsServer start() throws InterruptedException {
        log().info("Starting nats-server");
        log().info("  Version:  %s (nats-jvm on Java %s)", VERSION, Runtime.version());
        if (opts.cluster.name != null && !opts.cluster.name.isEmpty()) {
            log().info("  Cluster:  %s", opts.cluster.name);
        }
        log().info("  Name:     %s", serverName());
        log().info("  ID:       %s", serverId);
        StartupNotices.beforeConfigFile(log(), opts);
        if (opts.configFile != null) {
            log().info("Using configuration file: %s", opts.configFile);
        }
        StartupNotices.afterConfigFile(log(), opts, operators, systemAccountConfigured);
        for (String w : opts.warnings) {
            log().warn("%s", w);
        }
        if (resolverNotice != null) {
            log().info("%s", resolverNotice);
        }
        if (bootstrappingSystemAccount()) {
            log().info("Using bootstrapping system account");
        }
        int loops = eventLoops();
        // -Dnatsjvm.transport=nio: the JDK's selector even where the native epoll transport loads
        boolean nativeTransport = !"nio".equals(System.getProperty("natsjvm.transport"));
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(nativeTransport));
        VertxInternal vx = (VertxInternal) vertx;
        if (vertx.isNativeTransportEnabled()) {
            log().debug("Using the native epoll transport");
        } else {
            log().debug("Using the JDK NIO transport: %s", String.valueOf(vertx.unavailableNativeTransportCause()));
        }
        // The server is whole before it accepts. A fixed port is bound last, as the reference
        // does, so a client that connects the moment it answers is served at once. A random port
        // must be bound first (INFO carries it): then it accepts nothing until the end.
        boolean randomPort = opts.port <= 0;
        // A socket the launcher already listens on (EarlyListener) is taken over like a random
        // port's: registered now, accepting only at the end.
        Optional<ServerChannel> early = ownsProcess && !randomPort
                ? EarlyListener.adopt(opts.host, opts.port, vertx.isNativeTransportEnabled())
                : Optional.empty();
        ChannelFactory<? extends ServerChannel> servers = early.isPresent()
                ? adoptedOnce(early.get()) : vx.transport().serverChannelFactory(false);
        ServerBootstrap b = Sockets.listener(vx.getEventLoopGroup(), vx.getEventLoopGroup(), servers, 1024,
                        opts.maxPending)
                .childHandler(new PipelineStages(null, this::accept));
        boolean acceptLater = randomPort || early.isPresent();
        if (early.isPresent()) {
            adopt(b.option(ChannelOption.AUTO_READ, false));
            log().debug("Took over the client socket the launcher listened on");
        } else if (randomPort) {
            bind(b.option(ChannelOption.AUTO_READ, false));
        }
        warmBufferPools(vx.getEventLoopGroup());
        int port = randomPort ? port() : opts.port;
        info = new InfoTemplate(clientInfo(opts, port, authenticator, tls, null, null));
        events = new SystemEvents(this, monitor, systemAccount);
        latencies = new ServiceLatencies(new RequestInfos(this::serverName, this::clusterName), () -> events,
                this::exportsService, serverName());
        latencies.listen(events, nextCid());
        services = new SystemServices(this, monitor, events);
        services.start();
        events.start();
        if (!opts.operatorMode()) {
            wireConfigImports(opts);
        }
        if (authenticator instanceof JwtAuthenticator jwt) {
            imports = new ImportWiring(this::accountWithClaims, key -> {
                try {
                    return jwt.account(key);
                } catch (JwtException e) {
                    return null;
                }
            });
            serviceImportObservers(imports);
            SystemBusAdapter bus = new SystemBusAdapter(events, nextCid());
            ClaimsUpdateHandler updates = new ClaimsUpdateHandler(jwt::trust, jwt.resolver(),
                    new LiveAccountSwapper(this), bus, () -> System.currentTimeMillis() / 1000, claimsLedger);
            updates.start();
            if (jwt.resolver() instanceof DirResolver dir) {
                new FullResolverServices(dir, updates, jwt::trust, bus, systemAccount.name()).start();
                if (opts.cluster.enabled()) {
                    // accounts missing here are looked up from the peers; full resolvers exchange packs
                    ClusterSync sync = new ClusterSync(dir, updates, bus, opts.resolverInterval, opts.resolverTimeout,
                            w -> log().warn("%s", w));
                    sync.start(!dir.isCache());
                    jwt.clusterLookup(sync::lookup);
                }
            }
        }
        if (opts.cluster.enabled()) {
            try {
                // the cluster's name first (leafs and INFO carry it); the route listener binds last,
                // once the websocket URLs its INFO advertises are known
                routes = new Routes(this);
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }
        String cluster = clusterName();
        if (cluster != null) {
            info = new InfoTemplate(info.info().withCluster(cluster, null));
        }
        if (opts.leaf.configured()) {
            try {
                leafs = new Leafs(this);
                leafs.start(vx.getEventLoopGroup(), vx.transport().serverChannelFactory(false),
                        vx.transport().channelFactory(false));
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }
        if (opts.websocket.enabled()) {
            try {
                websocket = new WebsocketListener(opts.websocket, opts.maxPayload);
                websocket.start(vx.getEventLoopGroup(), vx.getEventLoopGroup(),
                        vx.transport().serverChannelFactory(false), opts.maxPending, this::acceptWebsocket,
                        leafs != null && opts.leaf.listens() ? leafs::acceptWebsocket : null);
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }
        if (routes != null) {
            try {
                routes.start(vx.getEventLoopGroup(), vx.getEventLoopGroup(),
                        vx.transport().serverChannelFactory(false), vx.transport().channelFactory(false));
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }
        if (opts.httpPort != 0 || opts.httpsPort != 0) {
            boolean secure = opts.httpsPort != 0;
            console = new ConsoleFeed(this, monitor, systemAccount, events::run, claimsLedger);
            http = new HttpMonitor(this, monitor, new ConsoleRoutes(console)::install);
            try {
                http.start(vertx, opts.monitorHost(), Math.max(secure ? opts.httpsPort : opts.httpPort, 0),
                        secure ? opts.tls : null);
            } catch (Exception e) {
                shutdown();
                throw new IllegalStateException("Can't listen to the monitor port: " + e.getMessage(), e);
            }
            log().info("Starting %s monitor on %s:%d", secure ? "https" : "http", opts.monitorHost(), http.port());
        }
        for (Future<?> w : warmUps) {
            try {
                w.get();
            } catch (ExecutionException e) {
                log().error("start-up warm-up failed: %s", e.getCause());
            }
        }
        if (ownsProcess) {
            // What start-up built stays for the server's life; one collection now moves it to the
            // old generation at once, instead of young collections copying it in the first
            // connections' milliseconds (a 6-9 ms pause right after the port opened, -Xlog:gc).
            // Not in an application's JVM (embedded): its heap is not ours to collect.
            System.gc();
        }
        if (acceptLater) {
            // The listener's loop starts accepting; its task queue publishes the fields above.
            listener.config().setAutoRead(true);
        } else {
            bind(b);
        }
        log().info("Listening for client connections on %s:%d", opts.host, port);
        if (tls != null) {
            log().info("TLS required for client connections");
        }
        if (tls != null || opts.cluster.tls != null || opts.leaf.tls != null || opts.httpsPort != 0
                || opts.leaf.remotes.stream().anyMatch(LeafOptions.Remote::tlsConfigured)) {
            log().info("TLS engine: %s", TlsEngine.name());
        }
        log().info("Server is ready");
        if (routes != null) {
            routes.solicit();
        }
        if (leafs != null) {
            leafs.solicit();
        }
        return this;
    }

    /**
     * The first CONNECT used to wait 10-40 ms for class loading and initialisation of the JSON
     * decoding it needs; now one of the {@link #warmUps}.
     */
    private static void warmConnectDecoding() {
        try {
            ConnectDecoder.decode("{\"verbose\":false,\"pedantic\":false,\"name\":\"\",\"protocol\":1,\"x\":[{}]}");
        } catch (IOException e) {
            log().error("CONNECT decoding is broken: %s", e.getMessage());
        }
    }

    /**
     * Each event loop's first pooled buffer creates its thread cache and its arena's first chunk:
     * 3-5 ms that the first client's INFO used to wait for. Done on every loop before the port
     * accepts (the memory is the pool's, which the first connection would take anyway).
     */
    private static void warmBufferPools(EventLoopGroup loops) throws InterruptedException {
        for (EventExecutor loop : loops) {
            loop.submit(() -> Sockets.ALLOCATOR.directBuffer(256).release()).sync();
        }
    }

    private static ChannelFactory<ServerChannel> adoptedOnce(ServerChannel adopted) {
        return () -> adopted;
    }

    /** Registers the adopted early client socket (already bound and listening). */
    private void adopt(ServerBootstrap b) throws InterruptedException {
        try {
            listener = b.register().sync().channel();
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException("Error listening on port: " + opts.host + ":" + opts.port + ", \""
                    + e.getMessage() + "\"", e);
        }
    }

    /** Binds the client listener; on failure everything started so far is stopped. */
    private void bind(ServerBootstrap b) {
        try {
            listener = b.bind(opts.host, Math.max(opts.port, 0)).sync().channel();
        } catch (Exception e) {
            shutdown();
            throw new IllegalStateException("Error listening on port: " + opts.host + ":" + opts.port + ", \""
                    + e.getMessage() + "\"", e);
        }
    }

    /**
     * Event loops for client connections: half the cores by default (at least one), or the
     * system property {@code nats.eventLoops}. Measured on 2 cores shared with clients, a single
     * loop avoids cross-loop wake-ups and cut request/reply p99 by more than half.
     */
    static int eventLoops() {
        String p = System.getProperty("nats.eventLoops");
        if (p != null) {
            return Math.max(1, Integer.parseInt(p));
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }


    public ServerOptions options() {
        return current.get();
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public AccountRegistry accounts() {
        return accounts;
    }

    public ServerInfo info() {
        return info.info();
    }

    /** The INFO line for one client. */
    public byte[] infoLine(long cid, String ip, String nonce) {
        return info.forClient(cid, ip, nonce);
    }

    /**
     * The INFO websocket clients get, derived from the INFO in force: auth_required as the
     * websocket listener's credentials say, and connect_urls naming the cluster's websocket
     * listeners (the reference's ws_connect_urls), never the NATS ports a browser cannot dial.
     */
    private record WebsocketInfo(InfoTemplate base, List<String> urls, boolean authRequired, InfoTemplate template) {
    }

    private volatile WebsocketInfo websocketInfo;
    /** The cluster's websocket URLs as the routes last gave them (empty without a cluster). */
    private volatile List<String> websocketConnectUrls = List.of();

    /** The cluster's websocket URLs websocket clients are told of (VARZ ws_connect_urls). */
    @Override
    public List<String> websocketConnectUrls() {
        return websocketConnectUrls;
    }

    private InfoTemplate websocketInfo() {
        InfoTemplate current = info;
        List<String> urls = websocketConnectUrls;
        boolean required = websocketAuthenticator.required();
        WebsocketInfo w = websocketInfo;
        if (w == null || w.base() != current || w.urls() != urls || w.authRequired() != required) {
            ServerInfo i = current.info();
            w = new WebsocketInfo(current, urls, required,
                    new InfoTemplate(i.withAuthRequired(required).withCluster(i.cluster(), urls)));
            websocketInfo = w;
        }
        return w.template();
    }

    @Override
    public byte[] websocketInfoLine(long cid, String ip, String nonce) {
        return websocketInfo().forClient(cid, ip, nonce);
    }

    @Override
    public byte[] websocketAsyncInfoLine(long cid, String ip) {
        return websocketInfo().async(cid, ip);
    }

    @Override
    public byte[] websocketLameDuckInfoLine(long cid, String ip) {
        return websocketInfo().lameDuck(cid, ip);
    }

    @Override
    public Object infoVersion() {
        return info;
    }

    @Override
    public byte[] asyncInfoLine(long cid, String ip) {
        return info.async(cid, ip);
    }

    /**
     * Puts a changed INFO in force and sends it, as an asynchronous INFO, to the clients that
     * take one (what cluster changes do with connect_urls): NATS clients always, websocket clients
     * when the websocket URLs changed (as the reference, which tells each kind of its own URLs).
     */
    private void infoChanged(InfoTemplate changed, List<String> websocketUrls) {
        boolean websocketsToo = !websocketUrls.equals(websocketConnectUrls);
        websocketConnectUrls = List.copyOf(websocketUrls);
        info = changed;
        for (ClientConnection c : clients.values()) {
            if (!c.isWebsocket()) {
                c.sendAsyncInfo(changed::async);
            } else if (websocketsToo) {
                c.sendAsyncInfo(this::websocketAsyncInfoLine);
            }
        }
    }

    public String serverId() {
        return serverId;
    }

    public String serverName() {
        return opts.serverName != null ? opts.serverName : serverId;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Instant startTime() {
        return startTime;
    }

    /** Connections accepted since start. */
    public long totalConnections() {
        return totalConnections.get();
    }

    /** A fresh connection id (client and internal connections share the sequence). */
    public long nextCid() {
        return nextCid.incrementAndGet();
    }

    public Account systemAccount() {
        return systemAccount;
    }

    @Override
    public List<Map<String, Object>> systemImportsOf(Account a) {
        return services == null ? List.of() : services.importsOf(a);
    }

    @Override
    public List<ImportWiring.Wired> importsOf(Account a) {
        ImportWiring w = imports;
        return w == null ? List.of() : w.importsOf(a);
    }

    /** The exports {@code a} declares: its JWT's in operator mode, its config block's otherwise. */
    @Override
    public List<Export> exportsOf(Account a) {
        AccountClaims c = options().operatorMode() ? a.claims() : configClaims.get(a.name());
        return c == null ? List.of() : c.exports();
    }

    public SystemServices systemServices() {
        return services;
    }

    public Monitor monitor() {
        return monitor;
    }

    public String httpHost() {
        return opts.monitorHost();
    }

    /** The bound monitoring port, or 0 when monitoring is off. */
    public int httpPort() {
        return http == null ? 0 : http.port();
    }

    /** The bound client port (useful when configured as 0 or -1 for an ephemeral port). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public ClientConnection client(long cid) {
        return clients.get(cid);
    }

    public Collection<ClientConnection> clients() {
        return clients.values();
    }

    public long slowConsumerCount() {
        return slowConsumers.get();
    }

    /** Unexpected exceptions caught while handling a connection's input (should stay 0). */
    public long internalErrorCount() {
        return internalErrors.get();
    }

    @Override
    public void internalError(RouteConnection r, Throwable t) {
        internalErrors.incrementAndGet();
        log().error("%sinternal error while processing input: %s", r, t);
    }

    /** The cluster, or null when not clustered. */
    public ClaimsLedger claimsLedger() {
        return claimsLedger;
    }

    @Override
    public Routes routes() {
        return routes;
    }

    /** Leaf nodes, or null when none are configured. */
    public Leafs leafs() {
        return leafs;
    }

    @Override
    public ServerTls tls() {
        return tls;
    }

    @Override
    public String clusterName() {
        return routes != null ? routes.clusterName() : standaloneClusterName(opts);
    }

    /**
     * The reference's cluster name for a server without a route listener: the configured name,
     * or for a leaf with remotes its configured server name (hubs then see a stable cluster, and
     * its interest and messages are not handed back to it through another hub node).
     */
    private static String standaloneClusterName(ServerOptions o) {
        if (o.cluster.name != null && !o.cluster.name.isEmpty()) {
            return o.cluster.name;
        }
        if (!o.leaf.remotes.isEmpty() && o.serverName != null && !o.serverName.isEmpty()) {
            return o.serverName;
        }
        return null;
    }

    @Override
    public void internalError(LeafConnection l, Throwable t) {
        internalErrors.incrementAndGet();
        log().error("%sinternal error while processing input: %s", l, t);
    }

    @Override
    public void leafChanged(LeafConnection leaf, boolean connected) {
        Account a = leaf.account();
        if (a == null) {
            return;
        }
        if (connected) {
            a.leafOpened();
        } else {
            a.leafClosed();
        }
        if (events != null) {
            events.leafChanged(leaf, connected);
        }
    }

    @Override
    public Account accountForRoute(String name) {
        if (opts.operatorMode()) {
            return account(name); // its JWT may arrive later: interest is kept meanwhile
        }
        return accounts.get(name);
    }

    @Override
    public int clientPort() {
        return opts.port > 0 ? opts.port : port();
    }

    @Override
    public void clientUrlsChanged(String clusterName, List<String> connectUrls, List<String> websocketUrls) {
        infoChanged(new InfoTemplate(info.info().withCluster(clusterName, connectUrls)), websocketUrls);
    }

    public void internalError(ClientConnection c, Throwable t) {
        internalErrors.incrementAndGet();
        log().error("%sinternal error while processing input: %s", c, t);
    }

    /** Failed logins by category (for metrics). */
    public Map<String, Long> authFailureReasons() {
        return authFailureReasons;
    }

    public long authFailureCount() {
        return authFailures.get();
    }

    /** Nonces are only sent when a login can be signed (nkeys, JWTs). */
    public boolean nonceRequired() {
        return authenticator.usesNonce();
    }

    /** 11 random bytes, base64url without padding, as the reference's nonce. */
    public String newNonce() {
        byte[] raw = new byte[11];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** A new socket on its event loop: register it and send INFO. */
    public ClientConnection accept(Channel ch) {
        return admit(ch, null);
    }

    /** A websocket client whose upgrade succeeded, on its event loop: as {@link #accept}, marked. */
    private ClientConnection acceptWebsocket(Channel ch, WebsocketUpgrade.Upgraded upgraded) {
        return admit(ch, upgraded);
    }

    private ClientConnection admit(Channel ch, WebsocketUpgrade.Upgraded websocketUpgrade) {
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        long cid = nextCid();
        ClientConnection c = new ClientConnection(this, ch, cid, remote.getAddress().getHostAddress(), remote.getPort());
        if (websocketUpgrade != null) {
            c.websocket(websocketUpgrade.cookieJwt());
        }
        if (shuttingDown) {
            ch.close();
            return c;
        }
        int maxConnections = options().maxConnections;
        boolean overLimit = maxConnections > 0 && clients.size() >= maxConnections;
        if (!overLimit) {
            clients.put(cid, c);
            totalConnections.incrementAndGet();
        }
        c.start(overLimit);
        return c;
    }

    /** The bound route listener's port (0 without a cluster listener). */
    public int routePort() {
        return routes == null ? 0 : routes.port();
    }

    @Override
    public String leafnodeUrl() {
        return leafs == null ? null : leafs.advertisedUrl();
    }

    @Override
    public void peerLeafUrlsChanged(List<String> leafnodeUrls, List<String> websocketUrls) {
        if (leafs != null) {
            leafs.peerUrlsChanged(leafnodeUrls, websocketUrls);
        }
    }

    /** The websocket listener's port (0 without one). */
    @Override
    public int websocketPort() {
        return websocket == null ? 0 : websocket.port();
    }

    public void clientClosed(ClientConnection c) {
        clients.remove(c.cid(), c);
    }

    /** A client logged in and joined its account ({@code count} connections now). Its event loop. */
    public void clientConnected(ClientConnection c, int count) {
        if (events != null) {
            events.clientConnected(c, count);
        }
    }

    /** A logged-in client left its account. Its event loop. */
    public void clientDisconnected(ClientConnection c, int count) {
        monitor.connectionClosed(c);
        if (events != null) {
            events.clientDisconnected(c, count);
        }
    }

    public void slowConsumer(ClientConnection c) {
        slowConsumers.incrementAndGet();
        ConsoleFeed feed = console;
        if (feed != null) {
            var co = c.connectOptions();
            feed.slowConsumer(c.account() == null ? "" : c.account().name(), c.cid(), co == null ? null : co.name());
        }
    }

    public void authFailed(ClientConnection c, String why) {
        authFailures.incrementAndGet();
        authFailureReasons.merge(AuthFailures.category(why), 1L, Long::sum);
        if (events != null) {
            events.authError(c);
        }
    }

    /** Closes every client (after flushing what is queued for it), then the event loops. */
    @Override
    public byte[] lameDuckInfoLine(long cid, String ip) {
        return info.lameDuck(cid, ip);
    }

    public boolean inLameDuckMode() {
        return lameDuck;
    }

    /**
     * Lame duck mode, as the reference runs it: stop accepting, send every client that takes
     * asynchronous INFO an INFO with {@code "ldm":true} so it moves to another server, close
     * nothing during the grace period, then close the clients one by one spread over the rest of
     * {@code lame_duck_duration} (at most a second apart), then shut down. Blocks until done.
     *
     * @return false if the server was already shutting down or in lame duck mode
     */
    public boolean lameDuck() {
        synchronized (this) {
            if (shuttingDown || lameDuck || listener == null) {
                return false;
            }
            lameDuck = true;
        }
        log().info("Entering lame duck mode, stop accepting new clients");
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (websocket != null) {
            websocket.close();
        }
        events.lameDuck();
        if (routes != null) {
            routes.lameDuck(); // peers stop offering our client URLs to their clients
            // and our clients' lame duck INFO names only the other servers, as the reference's
            websocketConnectUrls = routes.websocketUrls();
            info = new InfoTemplate(info.info().withCluster(routes.clusterName(), routes.clientUrls()));
        }
        List<ClientConnection> open = List.copyOf(clients.values());
        if (open.isEmpty()) {
            shutdown();
            return true;
        }
        long grace = options().lameDuckGracePeriod.toNanos();
        long spread = Math.max(options().lameDuckDuration.toNanos() - grace, TimeUnit.SECONDS.toNanos(1));
        long interval = Math.min(spread / open.size(), TimeUnit.SECONDS.toNanos(1));
        int batch = interval < 1 ? (int) Math.max(1, open.size() / spread) : 1;
        for (ClientConnection c : open) {
            c.sendLameDuckInfo();
        }
        try {
            TimeUnit.NANOSECONDS.sleep(grace);
            log().info("Closing existing clients");
            for (int i = 0; i < open.size(); i++) {
                open.get(i).close(CloseReason.SERVER_SHUTDOWN);
                if (i < open.size() - 1 && (batch == 1 || i % batch == 0)) {
                    // a random pause of at least half the interval, as the reference spreads them
                    long pause = Math.max(interval / 2, (long) (random.nextDouble() * interval));
                    TimeUnit.NANOSECONDS.sleep(pause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown();
        return true;
    }

    public void shutdown() {
        synchronized (this) {
            if (shuttingDown || vertx == null) {
                return;
            }
            shuttingDown = true;
        }
        log().info("Initiating Shutdown...");
        if (listener != null) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (events != null) {
            // first, so the SHUTDOWN event still crosses the routes: peers drop our counts at once
            events.shutdown();
        }
        if (routes != null) {
            routes.shutdown();
        }
        if (leafs != null) {
            leafs.shutdown();
        }
        if (websocket != null) {
            websocket.close();
        }
        if (http != null) {
            http.stop();
        }
        blockingWork.shutdown();
        List<ClientConnection> open = List.copyOf(clients.values());
        for (ClientConnection c : open) {
            c.close(CloseReason.SERVER_SHUTDOWN);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        CountDownLatch closed = new CountDownLatch(1);
        vertx.close().onComplete(r -> closed.countDown());
        try {
            closed.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log().info("Server Exiting..");
    }
}
