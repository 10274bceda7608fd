package io.natsjvm.server.monitor;

import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.resolver.DirResolver;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.JwtAuthenticator;
import io.natsjvm.server.log.GoFormat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The claims status report behind {@code $SYS.REQ.CLAIMS.STATUS} and {@code /claimsz}: per
 * account the JWT in force (jti, iat, issuer, hash), where it came from and when, whether this
 * server has the account in use, plus the resolver's store hash and the update outcomes. Compare
 * two servers' reports to see why an account drifted between them.
 */
final class ClaimsStatus {
    private final ServerView server;

    ClaimsStatus(ServerView server) {
        this.server = server;
    }

    Map<String, Object> report(Options.Claimsz opts) {
        ClaimsLedger ledger = server.claimsLedger();
        JsonMap m = new JsonMap().with("server_id", server.serverId()).with("now", GoFormat.time(Instant.now()));
        boolean operator = server.authenticator() instanceof JwtAuthenticator;
        m.with("operator_mode", operator);
        if (server.authenticator() instanceof JwtAuthenticator jwt) {
            m.with("resolver", server.options().resolverType == null ? "MEMORY" : server.options().resolverType);
            if (jwt.resolver() instanceof DirResolver dir) {
                m.with("store_hash", HexFormat.of().formatHex(dir.store().hash()));
            }
        }
        List<Map<String, Object>> accounts = new ArrayList<>();
        String only = opts == null || opts.account() == null || opts.account().isEmpty() ? null : opts.account();
        List<ClaimsLedger.Entry> entries;
        if (only == null) {
            entries = ledger.all();
        } else {
            ClaimsLedger.Entry e = ledger.get(only);
            entries = e == null ? List.of() : List.of(e);
        }
        for (ClaimsLedger.Entry e : entries) {
            Account live = server.accounts().get(e.account());
            JsonMap a = new JsonMap().with("account", e.account());
            a.omitEmpty("name", e.name());
            a.with("jti", e.jti()).with("iat", e.issuedAt()).with("issuer", e.issuer()).with("hash", e.hash())
                    .with("source", e.source().label()).with("since", GoFormat.time(e.at()))
                    .with("in_use", live != null).with("connections", live == null ? 0 : live.connections())
                    .with("leafnodes", live == null ? 0 : live.leafs());
            accounts.add(a);
        }
        m.with("num_accounts", accounts.size());
        JsonMap updates = new JsonMap();
        for (ClaimsLedger.Outcome o : ClaimsLedger.Outcome.values()) {
            updates.with(o.label(), ledger.count(o));
        }
        m.with("updates", updates);
        long n = ledger.enforcedCount();
        m.with("enforcement", new JsonMap().with("count", n)
                .with("avg_ms", n == 0 ? 0.0 : ledger.enforcedNanos() / 1e6 / n)
                .with("max_ms", ledger.enforcedMaxNanos() / 1e6));
        m.with("accounts", accounts);
        return m;
    }
}
