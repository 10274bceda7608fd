package io.natsjvm.server;

import io.natsjvm.server.account.Account;

import io.natsjvm.resolver.AccountSwapper;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.AccountLimits;
import io.natsjvm.server.auth.JwtLogin;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.connection.Closings;
import io.natsjvm.server.connection.Connection;
import io.natsjvm.server.leaf.LeafConnection;
import io.natsjvm.server.leaf.Leafs;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.ProtocolErrors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Puts new account claims into force on a live account, as the reference does: the newest
 * connections are kept up to the connection limit and older ones closed; revoked users, users of
 * a removed signing key, and bearer users where bearer tokens are now disallowed are closed;
 * everyone else gets the new payload and subscription limits for their next operation.
 */
public final class LiveAccountSwapper implements AccountSwapper {
    /** Newest first: an update that lowers a limit keeps the oldest connections, as the reference. */
    private static final Comparator<Connection> NEWEST_FIRST = Comparator.comparing(Connection::start).reversed();

    private final NatsServer server;
    /** Looked up per use: SIGUSR1 (and later reload) replace the process logger. */
    private static ServerLog log() {
        return ServerLog.get();
    }

    public LiveAccountSwapper(NatsServer server) {
        this.server = server;
    }

    @Override
    public boolean isLoaded(String accountKey) {
        return server.accounts().get(accountKey) != null;
    }

    @Override
    public AccountClaims inForce(String accountKey) {
        Account a = server.accounts().get(accountKey);
        return a == null ? null : a.claims();
    }

    @Override
    public int apply(AccountClaims previous, AccountClaims next) {
        Account account = server.accounts().get(next.subject());
        if (account == null) {
            log().info("Account %s claims stored (%s); no live connections", next.subject(), next.name());
            return 0;
        }
        server.accountClaims(account, next);
        List<ClientConnection> conns = new ArrayList<>();
        for (Account.Member m : account.members()) {
            if (m instanceof ClientConnection c && !c.isClosed()) {
                conns.add(c);
            }
        }
        conns.sort(NEWEST_FIRST);
        long now = System.currentTimeMillis() / 1000;
        boolean expired = next.expires() > 0 && now >= next.expires();
        AccountLimits limits = next.limits();
        Closings cut = new Closings();
        for (int i = 0; i < conns.size(); i++) {
            ClientConnection c = conns.get(i);
            JwtLogin login = c.jwtLogin();
            if (expired) {
                cut.add(c, "User Authentication Expired", CloseReason.AUTHENTICATION_EXPIRED);
            } else if (limits.conn() != -1 && i >= limits.conn()) {
                cut.add(c, ProtocolErrors.MAX_ACCOUNT_CONNECTIONS, CloseReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
            } else if (login != null && login.bearer() && limits.disallowBearer()) {
                cut.add(c, ProtocolErrors.AUTHORIZATION_VIOLATION, CloseReason.AUTHENTICATION_VIOLATION);
            } else if (login != null && next.revoked(c.user(), login.issuedAt())) {
                cut.add(c, "User Authentication Revoked", CloseReason.REVOCATION);
            } else if (login != null && !login.issuerKey().equals(next.subject())
                    && !next.signingKeys().contains(login.issuerKey())) {
                cut.add(c, null, CloseReason.AUTHENTICATION_VIOLATION);
            } else {
                c.applyAccountLimits(next);
            }
        }
        addLeafs(cut, account, next, expired);
        cut.closeAll();
        int closed = cut.size();
        // An update that cut connections is an operator's business; one that changed only claims is
        // a debug line, as in the reference (whose line is "Updating account claims" at debug).
        // Logged after the closes are handed over, so no client waits for it.
        ServerLog log = log();
        if (closed > 0) {
            log.info("Updated account %s (%s): %s; %d of %d connections closed", next.subject(), next.name(),
                    changes(previous, next), closed, conns.size());
        } else if (log.isDebug()) {
            log.debug("Updated account %s (%s): %s; no connection closed", next.subject(), next.name(),
                    changes(previous, next));
        }
        return closed;
    }

    /** The account's leaf nodes that are expired, over the new `leaf` limit (newest first) or revoked. */
    private void addLeafs(Closings cut, Account account, AccountClaims next, boolean expired) {
        Leafs leafs = server.leafs();
        if (leafs == null) {
            return;
        }
        List<LeafConnection> mine = new ArrayList<>();
        for (LeafConnection l : leafs.leafs()) {
            if (l.account() == account && !l.isClosed()) {
                mine.add(l);
            }
        }
        mine.sort(NEWEST_FIRST);
        long limit = next.limits().leaf();
        for (int i = 0; i < mine.size(); i++) {
            LeafConnection l = mine.get(i);
            JwtLogin login = l.jwtLogin();
            if (expired) {
                cut.add(l, "User Authentication Expired", CloseReason.AUTHENTICATION_EXPIRED);
            } else if (limit != -1 && i < mine.size() - limit) {
                cut.add(l, ProtocolErrors.MAX_ACCOUNT_CONNECTIONS, CloseReason.MAX_ACCOUNT_CONNECTIONS_EXCEEDED);
            } else if (login != null && next.revoked(l.user(), login.issuedAt())) {
                cut.add(l, "User Authentication Revoked", CloseReason.REVOCATION);
            }
        }
    }

    /** What changed, for the log line. */
    static String changes(AccountClaims prev, AccountClaims next) {
        if (prev == null) {
            return "first claims for this account";
        }
        List<String> out = new ArrayList<>();
        AccountLimits a = prev.limits();
        AccountLimits b = next.limits();
        diff(out, "conn", a.conn(), b.conn());
        diff(out, "subs", a.subs(), b.subs());
        diff(out, "payload", a.payload(), b.payload());
        diff(out, "data", a.data(), b.data());
        if (a.disallowBearer() != b.disallowBearer()) {
            out.add("disallow_bearer " + a.disallowBearer() + " -> " + b.disallowBearer());
        }
        if (!prev.signingKeys().equals(next.signingKeys())) {
            out.add("signing keys " + prev.signingKeys().size() + " -> " + next.signingKeys().size());
        }
        if (!prev.revocations().equals(next.revocations())) {
            out.add("revocations " + prev.revocations().size() + " -> " + next.revocations().size());
        }
        if (!Objects.equals(prev.name(), next.name())) {
            out.add("name " + prev.name() + " -> " + next.name());
        }
        return out.isEmpty() ? "no limit changes" : String.join(", ", out);
    }

    private static void diff(List<String> out, String name, long a, long b) {
        if (a != b) {
            out.add(name + " " + (a < 0 ? "unlimited" : a) + " -> " + (b < 0 ? "unlimited" : b));
        }
    }
}
