package io.natsjvm.server.events;

import io.natsjvm.server.protocol.CloseReason;

import io.natsjvm.server.client.ClientConnection;

import io.natsjvm.server.monitor.ServerView;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.monitor.Monitor;
import io.natsjvm.server.monitor.MonitorException;
import io.natsjvm.server.monitor.Options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request services of the system account ({@code $SYS.REQ.SERVER.*}, {@code $SYS.REQ.ACCOUNT.*})
 * and the built-in service imports that let every application account ask about itself.
 * Handlers run on the system thread (see {@link InternalClient}).
 */
public final class SystemServices {
    private static final List<String> SERVER_ENDPOINTS =
            List.of("STATSZ", "VARZ", "SUBSZ", "CONNZ", "ROUTEZ", "GATEWAYZ", "LEAFZ", "ACCOUNTZ", "JSZ", "HEALTHZ");
    private static final List<String> ACCOUNT_ENDPOINTS =
            List.of("SUBSZ", "CONNZ", "LEAFZ", "JSZ", "INFO", "STATZ", "CONNS");
    /** The imports every application account gets: subject it imports → system endpoint it reaches. */
    private static final Map<String, String> BUILT_IN_IMPORTS = builtInImports();

    private final ServerView server;
    private final Monitor monitor;
    private final SystemEvents events;
    private final Account system;
    private final ServiceRequests requests;
    private final Set<Account> imported = ConcurrentHashMap.newKeySet();

    public SystemServices(ServerView server, Monitor monitor, SystemEvents events) {
        this.server = server;
        this.monitor = monitor;
        this.events = events;
        this.system = events.systemAccount();
        this.requests = new ServiceRequests(events, server);
    }

    private static Map<String, String> builtInImports() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("$SYS.REQ.ACCOUNT.PING.CONNZ", "CONNZ");
        m.put("$SYS.REQ.SERVER.PING.CONNZ", "CONNZ");
        m.put("$SYS.REQ.ACCOUNT.PING.STATZ", "STATZ");
        return m;
    }

    public void start() {
        InternalClient sys = new InternalClient(system, events::run, server.nextCid());
        sys.subscribe("$SYS.REQ.SERVER.PING", requests::statsz);
        if (server.options().cluster.enabled()) {
            // only a cluster needs other servers' counts; alone, our own interest in CONNS would
            // make every connect and disconnect publish them (measured: connect rate and RSS)
            events.clusterConnections().start(sys);
        }
        // 2.10's per-client commands, addressed to this server only
        sys.subscribe("$SYS.REQ.SERVER." + server.serverId() + ".KICK", m -> requests.command(system, m, cid -> {
            ClientConnection c = server.client(cid);
            if (c == null) {
                return "no such client or leafnode id";
            }
            c.close(CloseReason.KICKED);
            return null;
        }));
        // 2.10's config reload request: the reply carries the refusal, if any, as a 500 error
        sys.subscribe("$SYS.REQ.SERVER." + server.serverId() + ".RELOAD",
                m -> requests.command(system, m, cid -> server.reloadFromSource()));
        sys.subscribe("$SYS.REQ.SERVER." + server.serverId() + ".LDM", m -> requests.command(system, m, cid -> {
            ClientConnection c = server.client(cid);
            return c == null ? "no such client id" : c.lameDuckThisClient();
        }));
        // the claims status (no NATS server has one): every server answers, like PING
        sys.subscribe("$SYS.REQ.CLAIMS.STATUS", this::claimsStatus);
        sys.subscribe("$SYS.REQ.SERVER." + server.serverId() + ".CLAIMSZ", this::claimsStatus);
        sys.subscribe("$SYS.REQ.SERVER.PING.CLAIMSZ", this::claimsStatus);
        sys.subscribe("$SYS.REQ.SERVER." + server.serverId() + ".IDZ", requests::idz);
        sys.subscribe("$SYS.REQ.SERVER.PING.IDZ", requests::idz);
        // 2.10 has USER.INFO only through the import into application accounts; a system user
        // asking the same question gets the same answer here instead of "no responders"
        userInfoService(system);
        for (String ep : SERVER_ENDPOINTS) {
            sys.subscribe("$SYS.REQ.SERVER." + server.serverId() + "." + ep, m -> serverEndpoint(ep, m));
            sys.subscribe("$SYS.REQ.SERVER.PING." + ep, m -> serverEndpoint(ep, m));
        }
        for (String ep : ACCOUNT_ENDPOINTS) {
            sys.subscribe("$SYS.REQ.ACCOUNT.*." + ep, m -> {
                String[] tokens = m.subject().split("\\.");
                accountEndpoint(ep, tokens[3], system, m);
            });
        }
        sys.subscribe("$SYS.REQ.ACCOUNT.PING.STATZ", m -> requests.answer(system, m, Options.AccountStatz.class,
                o -> nonEmptyStatz(o)));
        for (Account a : server.accounts().all()) {
            accountAdded(a);
        }
    }

    private void claimsStatus(InternalMessage m) {
        requests.answer(system, m, Options.Claimsz.class, monitor::claimsz);
    }

    /** Gives a new application account its built-in imports of the system services. */
    public void accountAdded(Account a) {
        if (a == system || !imported.add(a)) {
            return;
        }
        InternalClient c = new InternalClient(a, events::run, server.nextCid());
        for (Map.Entry<String, String> e : BUILT_IN_IMPORTS.entrySet()) {
            String ep = e.getValue();
            c.subscribe(e.getKey(), m -> accountEndpoint(ep, a.name(), a, m));
        }
        userInfoService(a);
    }

    /**
     * {@code $SYS.REQ.USER.INFO} in account {@code a}: the requester's own user, account,
     * permissions and expiry. Only the server the requester is connected to knows them, so the
     * subscription's interest is not propagated (as in 2.10) and publishers from routes and
     * leafs never reach it.
     */
    private void userInfoService(Account a) {
        InternalClient c = InternalClient.localOnly(a, events::run, server.nextCid());
        c.subscribe("$SYS.REQ.USER.INFO", m -> {
            if (m.publisher() instanceof ClientConnection client) {
                requests.reply(a, m, UserInfo.of(client.identity(), System.currentTimeMillis()));
            }
        });
    }

    /** The imports an account has, as account INFO lists them. */
    public List<Map<String, Object>> importsOf(Account a) {
        if (!imported.contains(a)) {
            return List.of();
        }
        return BUILT_IN_IMPORTS.entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", e.getKey());
            m.put("account", system.name());
            m.put("to", "$SYS.REQ.ACCOUNT." + a.name() + "." + e.getValue());
            m.put("type", "service");
            m.put("invalid", false);
            m.put("share", false);
            m.put("tracking", false);
            return m;
        }).toList();
    }

    private void serverEndpoint(String ep, InternalMessage m) {
        switch (ep) {
            case "STATSZ" -> requests.statsz(m);
            case "VARZ" -> requests.answer(system, m, Options.None.class, o -> monitor.varz());
            case "SUBSZ" -> requests.answer(system, m, Options.Subsz.class, monitor::subsz);
            case "CONNZ" -> requests.answer(system, m, Options.Connz.class, monitor::connz);
            case "ROUTEZ" -> requests.answer(system, m, Options.None.class, o -> monitor.routez());
            case "GATEWAYZ" -> requests.answer(system, m, Options.None.class, o -> monitor.gatewayz());
            case "LEAFZ" -> requests.answer(system, m, Options.Leafz.class,
                    o -> monitor.leafz(o == null ? Options.Leafz.DEFAULT : o));
            case "ACCOUNTZ" -> requests.answer(system, m, Options.Accountz.class, monitor::accountz);
            case "JSZ" -> requests.answer(system, m, Options.None.class, o -> monitor.jsz());
            case "HEALTHZ" -> requests.answer(system, m, Options.None.class, o -> monitor.healthz());
            default -> throw new IllegalArgumentException(ep);
        }
    }

    /**
     * One account's endpoint. {@code replyIn} is the account the requester is in: the system
     * account, or the application account whose built-in import was used.
     */
    private void accountEndpoint(String ep, String acc, Account replyIn, InternalMessage m) {
        switch (ep) {
            case "SUBSZ" -> requests.answer(replyIn, m, Options.Subsz.class,
                    o -> monitor.subsz(new Options.Subsz(o.offset(), o.limit(), true, acc, o.test())));
            case "CONNZ" -> requests.answer(replyIn, m, Options.Connz.class, o -> monitor.connz(o.forAccount(acc)));
            case "LEAFZ" -> requests.answer(replyIn, m, Options.Leafz.class,
                    o -> monitor.leafz(new Options.Leafz(o != null && o.subscriptions(), acc)));
            case "JSZ" -> requests.answer(replyIn, m, Options.None.class, o -> {
                throw new MonitorException("jetstream not enabled");
            });
            case "INFO" -> requests.answer(replyIn, m, Options.None.class, o -> {
                Map<String, Object> info = monitor.accountInfo(acc);
                if (info == null) {
                    throw new MonitorException("account \"" + acc + "\" not found");
                }
                return info;
            });
            case "STATZ" -> {
                if (!"PING".equals(acc)) {
                    requests.answer(replyIn, m, Options.AccountStatz.class,
                            o -> nonEmptyStatz(new Options.AccountStatz(List.of(acc), o.includeUnused())));
                }
            }
            case "CONNS" -> requests.conns(acc, m);
            default -> throw new IllegalArgumentException(ep);
        }
    }

    /** STATZ answers only when it has something to report (or include_unused is set). */
    private Map<String, Object> nonEmptyStatz(Options.AccountStatz o) throws ServiceRequests.Skip {
        Map<String, Object> r = monitor.accountStatz(o);
        if (((List<?>) r.get("account_statz")).isEmpty() && !o.includeUnused()) {
            throw new ServiceRequests.Skip();
        }
        return r;
    }
}
