package io.natsjvm.server.monitor;

import io.natsjvm.server.protocol.ServerInfo;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.JwtAuthenticator;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.delivery.IndexStats;
import io.natsjvm.server.config.LeafOptions;
import io.natsjvm.server.leaf.LeafConnection;
import io.natsjvm.server.leaf.Leafs;
import io.natsjvm.server.route.RouteConnection;
import io.natsjvm.server.route.Routes;
import io.natsjvm.server.delivery.Subjects;
import io.natsjvm.server.delivery.Subscription;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data behind every monitoring endpoint, shared by the HTTP server and the $SYS.REQ
 * services so both answer with the same JSON (field names and order as nats-server 2.9.10).
 */
public final class Monitor {
    static final int DEFAULT_LIST = 1024;
    private static final Set<String> SORTS = Set.of("", "cid", "start", "subs", "pending", "msgs_to", "msgs_from",
            "bytes_to", "bytes_from", "last", "idle", "uptime", "stop", "reason");
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final ServerView server;
    private final ClosedConnections closed = new ClosedConnections(10_000);
    private final Map<String, Long> httpRequests = new ConcurrentHashMap<>();
    private volatile Instant configLoadTime = Instant.now();

    public Monitor(ServerView server) {
        this.server = server;
    }

    public ClosedConnections closed() {
        return closed;
    }

    /** Keeps a closing connection's final state for CONNZ state=closed. Its event loop. */
    public void connectionClosed(ClientConnection c) {
        var co = c.connectOptions();
        Account a = c.account();
        List<SubDetail> subs = c.subscriptionCount() == 0 ? List.of()
                : c.subscriptions().stream().map(s -> subDetail(s, null)).toList();
        closed.add(new ClosedConnections.Entry(c.cid(), c.clientType(), c.remoteIp(), c.remotePort(), c.start(), c.lastActivity(),
                Instant.now(), c.closeReason() == null ? "" : c.closeReason().text(), c.rttNanos(), c.inMsgs(),
                c.outMsgs(), c.inBytes(), c.outBytes(), c.subscriptionCount(), co == null ? null : co.name(),
                co == null ? null : co.lang(), co == null ? null : co.version(), c.tlsVersion(), c.tlsCipher(),
                c.user(), a == null ? null : a.name(), subs));
    }

    /** Counts one HTTP request for VARZ's http_req_stats. */
    public void httpRequest(String path) {
        httpRequests.merge(path, 1L, Long::sum);
    }

    private String now() {
        return GoFormat.time(Instant.now());
    }

    // ---------------------------------------------------------------- server totals

    /** The STATSZ body. */
    public ServerStats serverStats() {
        long[] t = totals();
        return new ServerStats(GoFormat.time(server.startTime()), memory(), CORES, cpu(), server.clients().size(),
                server.totalConnections(), activeAccounts(), subscriptionCount(), new DataStats(t[2], t[3]),
                new DataStats(t[0], t[1]), server.slowConsumerCount(), 1);
    }

    private long[] totals() {
        long[] sum = new long[4];
        for (Account a : server.accounts().all()) {
            long[] t = a.traffic();
            for (int i = 0; i < 4; i++) {
                sum[i] += t[i];
            }
        }
        return sum;
    }

    private int activeAccounts() {
        int n = 0;
        for (Account a : server.accounts().all()) {
            if (a.connections() > 0) {
                n++;
            }
        }
        return n;
    }

    private long subscriptionCount() {
        long n = 0;
        for (Account a : server.accounts().all()) {
            n += a.subjects().count();
        }
        return n;
    }

    /** Resident set size from /proc where available, else the JVM's committed heap. */
    static long memory() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096L;
        } catch (Exception e) {
            Runtime r = Runtime.getRuntime();
            return r.totalMemory();
        }
    }

    /** Process CPU as a percentage of one core, like the reference's pse figure. */
    static double cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            if (load > 0) {
                return Math.round(load * CORES * 1000) / 10.0;
            }
        }
        return 0;
    }

    public AccountStat accountStat(Account a) {
        long[] t = a.traffic();
        int conns = a.connections();
        int leafs = a.leafs();
        return new AccountStat(a.name(), conns, leafs, conns + leafs, new DataStats(t[2], t[3]),
                new DataStats(t[0], t[1]), a.slowConsumers());
    }

    /** A config reload was applied: VARZ config_load_time moves (a refused one leaves it). */
    public void configReloaded() {
        configLoadTime = Instant.now();
    }

    // ---------------------------------------------------------------- endpoints

    public Map<String, Object> varz() {
        ServerOptions o = server.options();
        long[] t = totals();
        Instant start = server.startTime();
        JsonMap m = new JsonMap()
                .with("server_id", server.serverId())
                .with("server_name", server.serverName())
                .with("version", ServerInfo.VERSION)
                .with("proto", 1)
                .with("go", server.info().go())
                .with("host", o.host)
                .with("port", server.port())
                .omitEmpty("auth_required", server.authenticator().required())
                .omitEmpty("tls_required", o.tls != null && !o.allowNonTls)
                .omitEmpty("tls_verify", o.tls != null && o.tls.verify)
                .omitEmpty("connect_urls", server.info().connectUrls()) // what client INFO advertises
                .omitEmpty("ws_connect_urls", server.websocketConnectUrls()) // and websocket clients' INFO
                .with("max_connections", o.maxConnections)
                .omitEmpty("max_subscriptions", o.maxSubscriptions)
                .with("ping_interval", o.pingInterval.toNanos())
                .with("ping_max", o.pingMax)
                .with("http_host", server.httpHost())
                .with("http_port", o.httpsPort != 0 ? 0 : server.httpPort())
                .with("http_base_path", o.httpBasePath)
                .with("https_port", o.httpsPort != 0 ? server.httpPort() : 0)
                .with("auth_timeout", o.authTimeout.toNanos() / 1e9)
                .with("max_control_line", o.maxControlLine)
                .with("max_payload", o.maxPayload)
                .with("max_pending", o.maxPending)
                .with("cluster", clusterVarz(o))
                .with("gateway", Map.of())
                .with("leaf", leafVarz(o))
                .with("mqtt", Map.of())
                .with("websocket", Map.of())
                .with("jetstream", Map.of())
                .with("tls_timeout", o.tls == null ? 2 : o.tls.timeout.toNanos() / 1e9)
                .with("write_deadline", o.writeDeadline.toNanos())
                .with("start", GoFormat.time(start))
                .with("now", now())
                .with("uptime", GoFormat.uptime(Duration.between(start, Instant.now()).toNanos()))
                .with("mem", memory())
                .with("cores", CORES)
                .with("gomaxprocs", CORES)
                .with("cpu", cpu())
                .with("connections", server.clients().size())
                .with("total_connections", server.totalConnections())
                .with("routes", server.routes() == null ? 0 : server.routes().routes().size())
                .with("remotes", server.routes() == null ? 0 : server.routes().routes().size())
                .with("leafnodes", server.leafs() == null ? 0 : server.leafs().leafs().size())
                .with("in_msgs", t[0])
                .with("out_msgs", t[2])
                .with("in_bytes", t[1])
                .with("out_bytes", t[3])
                .with("slow_consumers", server.slowConsumerCount())
                .with("subscriptions", subscriptionCount())
                .with("http_req_stats", new TreeMap<>(httpRequests))
                .with("config_load_time", GoFormat.time(configLoadTime));
        m.omitEmpty("tags", o.serverTags);
        m.omitEmpty("system_account", server.systemAccount() == null ? null : server.systemAccount().name());
        m.omitEmpty("pinned_account_fails", server.authenticator() instanceof JwtAuthenticator jwt
                ? jwt.pinnedAccountFailures() : 0L);
        return m;
    }

    public Map<String, Object> connz(Options.Connz opts) throws MonitorException {
        String sort = opts.sort() == null ? "" : opts.sort();
        if (!SORTS.contains(sort)) {
            throw new MonitorException("invalid sorting option: " + sort);
        }
        boolean auth = opts.auth();
        int offset = Math.max(0, opts.offset());
        int limit = opts.limit() <= 0 ? DEFAULT_LIST : opts.limit();
        int state = opts.state();
        if (sort.equals("stop") && state != 1) {
            throw new MonitorException("sort by stop only valid on closed connections");
        }
        if (sort.equals("reason") && state != 1) {
            throw new MonitorException("sort by reason only valid on closed connections");
        }
        if (opts.cid() > 0) {
            limit = 1;
        }
        String acc = opts.acc() == null || opts.acc().isEmpty() ? null : opts.acc();
        String filter = opts.filterSubject();
        if (filter != null && !filter.isEmpty() && !filter.equals(">")) {
            if (acc == null) {
                throw new MonitorException("filter by subject only valid with account filtering");
            }
        } else {
            filter = null;
        }
        String user = opts.user() == null || opts.user().isEmpty() ? null : opts.user();
        Instant nowT = Instant.now();
        List<ConnInfo> list = new ArrayList<>();
        if (state == 0 || state == 2) {
            for (ClientConnection c : server.clients()) {
                if (opts.cid() > 0 && c.cid() != opts.cid()) {
                    continue;
                }
                Account a = c.account();
                if (acc != null && (a == null || !a.name().equals(acc))) {
                    continue;
                }
                if (user != null && !user.equals(c.user())) {
                    continue;
                }
                if (filter != null && !interested(c, filter)) {
                    continue;
                }
                ConnInfo ci = decorate(connInfo(c, nowT), c.user(), a, c.subscriptions(), auth, opts);
                list.add(auth ? ci.with(TlsPeerCert.of(c.peerCertificates()), ci.authorizedUser(), ci.account(),
                        ci.subscriptionsList(), ci.subscriptionsDetail()) : ci);
            }
        }
        if (state == 1 || state == 2) {
            for (ClosedConnections.Entry e : closed.snapshot()) {
                if (opts.cid() > 0 && e.cid() != opts.cid()) {
                    continue;
                }
                if (acc != null && !acc.equals(e.account())) {
                    continue;
                }
                if (user != null && !user.equals(e.user())) {
                    continue;
                }
                ConnInfo ci = e.info();
                List<String> subs = opts.subscriptions() && !opts.subscriptionsDetail() && !e.subs().isEmpty()
                        ? e.subs().stream().map(SubDetail::subject).toList() : null;
                List<SubDetail> det = opts.subscriptionsDetail() && !e.subs().isEmpty() ? e.subs() : null;
                String accName = auth && e.account() != null && !Account.GLOBAL.equals(e.account()) ? e.account() : null;
                list.add(ci.with(auth ? e.user() : null, accName, subs, det));
            }
        }
        list.sort(comparator(sort));
        int total = list.size();
        int from = Math.min(offset, total);
        int to = Math.min(offset + limit, total);
        List<ConnInfo> page = list.subList(from, to);
        return new JsonMap()
                .with("server_id", server.serverId())
                .with("now", GoFormat.time(nowT))
                .with("num_connections", page.size())
                .with("total", total)
                .with("offset", offset)
                .with("limit", limit)
                .with("connections", page);
    }

    private static boolean interested(ClientConnection c, String filter) {
        for (Subscription s : c.subscriptions()) {
            if (Subjects.isSubsetMatch(filter, s.subject()) || Subjects.isSubsetMatch(s.subject(), filter)) {
                return true;
            }
        }
        return false;
    }

    private static ConnInfo decorate(ConnInfo ci, String user, Account a, List<Subscription> subs, boolean auth,
            Options.Connz opts) {
        List<String> names = null;
        List<SubDetail> detail = null;
        if (!subs.isEmpty()) {
            if (opts.subscriptionsDetail()) {
                detail = subs.stream().map(s -> subDetail(s, null)).toList();
            } else if (opts.subscriptions()) {
                names = subs.stream().map(Subscription::subject).toList();
            }
        }
        String acc = auth && a != null && !Account.GLOBAL.equals(a.name()) ? a.name() : null;
        return ci.with(auth ? user : null, acc, names, detail);
    }

    static SubDetail subDetail(Subscription s, String account) {
        return new SubDetail(account, s.subject(), s.queue(), s.sid(), s.delivered(), s.max(), s.target().cid());
    }

    /** A live connection as CONNZ shows it. */
    static ConnInfo connInfo(ClientConnection c, Instant now) {
        var co = c.connectOptions();
        Instant last = c.lastActivity();
        return new ConnInfo(c.cid(), "Client", c.clientType(), c.remoteIp(), c.remotePort(), GoFormat.time(c.start()),
                GoFormat.time(last), null, null, GoFormat.duration(rttForDisplay(c.rttNanos())),
                GoFormat.uptime(Duration.between(c.start(), now).toNanos()),
                GoFormat.uptime(Duration.between(last, now).toNanos()), c.pendingBytes(), c.inMsgs(),
                c.outMsgs(), c.inBytes(), c.outBytes(), c.subscriptionCount(), co == null ? null : co.name(),
                co == null ? null : co.lang(), co == null ? null : co.version(), c.tlsVersion(), c.tlsCipher(), null,
                null, null, null, null);
    }

    /** The reference shows sub-millisecond RTTs to the microsecond. */
    public static long rttForDisplay(long rtt) {
        if (rtt > 1_000 && rtt < 1_000_000) {
            return rtt - rtt % 1_000;
        }
        return rtt;
    }

    private static Comparator<ConnInfo> comparator(String sort) {
        Comparator<ConnInfo> byCid = Comparator.comparingLong(ConnInfo::cid);
        return switch (sort) {
            case "subs" -> Comparator.comparingLong(ConnInfo::subscriptions).reversed();
            case "pending" -> Comparator.comparingLong(ConnInfo::pendingBytes).reversed();
            case "msgs_to" -> Comparator.comparingLong(ConnInfo::outMsgs).reversed();
            case "msgs_from" -> Comparator.comparingLong(ConnInfo::inMsgs).reversed();
            case "bytes_to" -> Comparator.comparingLong(ConnInfo::outBytes).reversed();
            case "bytes_from" -> Comparator.comparingLong(ConnInfo::inBytes).reversed();
            case "last" -> Comparator.comparing(ConnInfo::lastActivity, GoTimes.ORDER).reversed();
            case "idle" -> Comparator.comparing(ConnInfo::lastActivity, GoTimes.ORDER);
            case "uptime" -> Comparator.comparing(ConnInfo::start, GoTimes.ORDER);
            case "stop" -> Comparator.comparing((ConnInfo ci) -> ci.stop() == null ? "" : ci.stop(), GoTimes.ORDER)
                    .reversed();
            case "reason" -> Comparator.comparing((ConnInfo ci) -> ci.reason() == null ? "" : ci.reason());
            default -> byCid;
        };
    }

    private Map<String, Object> clusterVarz(ServerOptions o) {
        Routes routes = server.routes();
        if (routes == null) {
            String name = server.clusterName();
            return name == null ? Map.of() : new JsonMap().with("name", name);
        }
        return new JsonMap().omitEmpty("name", routes.clusterName()).omitEmpty("addr", o.cluster.host)
                .omitEmpty("cluster_port", routes.port()).omitEmpty("auth_timeout", o.cluster.authTimeout.toNanos() / 1e9)
                .omitEmpty("urls", routes.configuredUrls().isEmpty() ? null : routes.configuredUrls())
                .with("tls_timeout", 2);
    }

    /** VARZ's {@code leaf} section, as the reference fills it (empty when no leaf nodes are configured). */
    private Map<String, Object> leafVarz(ServerOptions o) {
        LeafOptions l = o.leaf;
        if (!l.configured()) {
            return Map.of();
        }
        JsonMap m = new JsonMap();
        if (l.listens()) {
            m.omitEmpty("host", l.host).omitEmpty("port", server.leafs() == null ? l.port : server.leafs().port())
                    .omitEmpty("auth_timeout", l.authTimeout.toNanos() / 1e9).with("tls_timeout", 2);
        }
        List<Map<String, Object>> remotes = new ArrayList<>();
        for (LeafOptions.Remote r : l.remotes) {
            List<String> urls = new ArrayList<>();
            for (URI u : r.urls()) {
                urls.add(u.getHost() + ":" + u.getPort());
            }
            JsonMap deny = new JsonMap().omitEmpty("exports", r.denyExports()).omitEmpty("imports", r.denyImports());
            remotes.add(new JsonMap().with("local_account", r.account() == null ? Account.GLOBAL : r.account())
                    .with("tls_timeout", 2).with("urls", urls).omitEmpty("deny", deny));
        }
        return m.omitEmpty("remotes", remotes);
    }

    /** ROUTEZ with the reference's fields, one entry per registered route. */
    public Map<String, Object> routez() {
        Routes routes = server.routes();
        List<Map<String, Object>> list = new ArrayList<>();
        if (routes != null) {
            Instant now = Instant.now();
            for (RouteConnection r : routes.routes()) {
                Instant last = r.lastActivity();
                JsonMap e = new JsonMap()
                        .with("rid", r.cid())
                        .with("remote_id", r.remoteId())
                        .with("did_solicit", r.solicited())
                        .with("is_configured", routes.configured(r))
                        .with("ip", r.remoteIp())
                        .with("port", r.remotePort())
                        .with("start", GoFormat.time(r.start()))
                        .with("last_activity", GoFormat.time(last))
                        .omitEmpty("rtt", r.rttNanos() == 0 ? null : GoFormat.duration(r.rttNanos()))
                        .with("uptime", GoFormat.uptime(Duration.between(r.start(), now).toNanos()))
                        .with("idle", GoFormat.uptime(Duration.between(last, now).toNanos()))
                        .with("pending_size", r.pendingBytes())
                        .with("in_msgs", r.inMsgs())
                        .with("out_msgs", r.outMsgs())
                        .with("in_bytes", r.inBytes())
                        .with("out_bytes", r.outBytes())
                        .with("subscriptions", r.remoteSubscriptionCount());
                list.add(e);
            }
        }
        return new JsonMap().with("server_id", server.serverId()).with("now", now()).with("num_routes", list.size())
                .with("routes", list);
    }

    public Map<String, Object> gatewayz() {
        return new JsonMap().with("server_id", server.serverId()).with("now", now())
                .with("outbound_gateways", Map.of()).with("inbound_gateways", Map.of());
    }

    /** LEAFZ with the reference's fields, one entry per leaf connection bound to its account. */
    public Map<String, Object> leafz(Options.Leafz opts) {
        Leafs leafs = server.leafs();
        List<Map<String, Object>> list = new ArrayList<>();
        if (leafs != null) {
            for (LeafConnection l : leafs.leafs()) {
                String acc = l.account() == null ? "" : l.account().name();
                if (opts.account() != null && !opts.account().isEmpty() && !opts.account().equals(acc)) {
                    continue;
                }
                list.add(new JsonMap()
                        .with("account", acc)
                        .with("ip", l.remoteIp())
                        .with("port", l.remotePort())
                        .omitEmpty("rtt", l.rttNanos() == 0 ? null : GoFormat.duration(l.rttNanos()))
                        .with("in_msgs", l.inMsgs())
                        .with("out_msgs", l.outMsgs())
                        .with("in_bytes", l.inBytes())
                        .with("out_bytes", l.outBytes())
                        .with("subscriptions", l.remoteSubscriptionCount())
                        .omitEmpty("subscriptions_list", opts.subscriptions() ? l.remoteSubjects() : null));
            }
        }
        return new JsonMap().with("server_id", server.serverId()).with("now", now()).with("leafnodes", list.size())
                .with("leafs", list.isEmpty() ? null : list);
    }

    public Map<String, Object> jsz() {
        return new JsonMap().with("server_id", server.serverId()).with("now", now()).with("disabled", true)
                .with("config", new JsonMap().with("max_memory", 0).with("max_storage", 0))
                .with("memory", 0).with("storage", 0).with("reserved_memory", 0).with("reserved_storage", 0)
                .with("accounts", 0).with("ha_assets", 0)
                .with("api", new JsonMap().with("total", 0).with("errors", 0))
                .with("streams", 0).with("consumers", 0).with("messages", 0).with("bytes", 0);
    }

    /** The claims status report ({@code /claimsz}, {@code $SYS.REQ.CLAIMS.STATUS}). */
    public Map<String, Object> claimsz(Options.Claimsz opts) {
        return new ClaimsStatus(server).report(opts);
    }

    public Map<String, Object> healthz() {
        return new JsonMap().with("status", "ok");
    }

    public Map<String, Object> subsz(Options.Subsz opts) throws MonitorException {
        int offset = Math.max(0, opts.offset());
        int limit = opts.limit() <= 0 ? DEFAULT_LIST : opts.limit();
        String test = opts.test() == null || opts.test().isEmpty() ? null : opts.test();
        if (test != null && !Subjects.isValidPublishSubject(test)) {
            throw new MonitorException("invalid test subject, must be valid publish subject: " + test);
        }
        String acc = opts.account() == null || opts.account().isEmpty() ? null : opts.account();
        IndexStats stats = IndexStats.EMPTY;
        List<SubDetail> details = new ArrayList<>();
        int total = 0;
        for (Account a : server.accounts().all()) {
            if (acc != null && !a.name().equals(acc)) {
                continue;
            }
            stats = stats.plus(a.subjects().stats());
            if (opts.subscriptions()) {
                for (Subscription s : a.subjects().all()) {
                    if (!s.target().visible() || (test != null && !Subjects.matches(s.subject(), test))) {
                        continue;
                    }
                    details.add(subDetail(s, a.name()));
                }
            }
        }
        if (opts.subscriptions()) {
            details.sort(Comparator.comparing(SubDetail::subject).thenComparingLong(SubDetail::cid));
            total = details.size();
            details = details.subList(Math.min(offset, total), Math.min(offset + limit, total));
        }
        JsonMap m = new JsonMap().with("server_id", server.serverId()).with("now", now());
        putStats(m, stats);
        m.with("total", total).with("offset", offset).with("limit", limit);
        m.omitEmpty("subscriptions_list", details);
        return m;
    }

    static void putStats(JsonMap m, IndexStats s) {
        m.with("num_subscriptions", s.numSubscriptions()).with("num_cache", s.numCache())
                .with("num_inserts", s.numInserts()).with("num_removes", s.numRemoves())
                .with("num_matches", s.numMatches()).with("cache_hit_rate", s.cacheHitRate())
                .with("max_fanout", s.maxFanout()).with("avg_fanout", s.avgFanout());
    }

    public Map<String, Object> accountz(Options.Accountz opts) {
        JsonMap m = new JsonMap().with("server_id", server.serverId()).with("now", now());
        m.omitEmpty("system_account", server.systemAccount() == null ? null : server.systemAccount().name());
        String acc = opts.account();
        if (acc == null || acc.isEmpty()) {
            m.with("accounts", server.accounts().all().stream().map(Account::name).toList());
        } else {
            Map<String, Object> info = accountInfo(acc);
            m.omitEmpty("account_detail", info);
        }
        return m;
    }

    /** The INFO request / accountz detail of one account; null if it does not exist. */
    public Map<String, Object> accountInfo(String name) {
        Account a = server.accounts().get(name);
        if (a == null) {
            return null;
        }
        JsonMap stats = new JsonMap();
        putStats(stats, a.subjects().stats());
        AccountClaims claims = a.claims();
        return new JsonMap()
                .with("account_name", a.name())
                .with("update_time", GoFormat.time(a.updated()))
                .omitEmpty("is_system", a == server.systemAccount())
                .with("expired", false)
                .with("complete", true)
                .with("jetstream_enabled", false)
                .with("leafnode_connections", 0)
                .with("client_connections", a.connections())
                .with("subscriptions", a.subjects().count())
                .omitEmpty("exports", AccountDetail.exports(server.exportsOf(a)))
                .omitEmpty("imports", AccountDetail.imports(server.importsOf(a), server.systemImportsOf(a)))
                .omitEmpty("jwt", claims == null ? null : claims.token())
                .omitEmpty("issuer_key", claims == null ? null : claims.issuer())
                .omitEmpty("name_tag", claims == null ? null : claims.name())
                .omitEmpty("tags", claims == null ? null : claims.tags())
                .omitEmpty("decoded_jwt", claims == null ? null : decoded(claims.token()))
                .omitEmpty("revoked_user", claims == null ? null : revocations(claims.revocations()))
                .with("sublist_stats", stats);
    }

    /** The account JWT's claims as decoded (types checked, unknown fields dropped), as the reference shows them. */
    private static Object decoded(String token) {
        try {
            return Jwts.decode(token).claims();
        } catch (JwtException e) {
            return null; // a JWT in force always decodes
        }
    }

    private static Map<String, Object> revocations(Map<String, Long> revoked) {
        Map<String, Object> out = new TreeMap<>();
        revoked.forEach((k, at) -> out.put(k, GoFormat.time(Instant.ofEpochSecond(at))));
        return out;
    }

    /** STATZ: accounts with connections (or all asked for, with include_unused). */
    public Map<String, Object> accountStatz(Options.AccountStatz opts) {
        List<AccountStat> out = new ArrayList<>();
        List<Account> accounts;
        if (opts.accounts() == null || opts.accounts().isEmpty()) {
            accounts = server.accounts().all();
        } else {
            accounts = new ArrayList<>();
            for (String n : opts.accounts()) {
                Account a = server.accounts().get(n);
                if (a != null) {
                    accounts.add(a);
                }
            }
        }
        for (Account a : accounts) {
            if (opts.includeUnused() || a.connections() > 0) {
                out.add(accountStat(a));
            }
        }
        return new JsonMap().with("server_id", server.serverId()).with("now", now()).with("account_statz", out);
    }
}
