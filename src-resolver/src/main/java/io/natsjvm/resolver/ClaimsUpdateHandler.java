package io.natsjvm.resolver;

import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.Claims;
import io.natsjvm.resolver.claims.TrustChain;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.LongSupplier;

/**
 * CLAIMS.UPDATE: a new account JWT arrives on {@code $SYS.ACCOUNT.<id>.CLAIMS.UPDATE} (or is
 * requested on {@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.UPDATE}). It is stored and applied only if it
 * is signed by a trusted operator key, its subject is the account, and it is not older than the
 * JWT in force; otherwise the reply says why. An identical JWT changes nothing.
 */
public final class ClaimsUpdateHandler {
    /** Read per use: a config reload may change what is trusted. */
    private final Supplier<TrustChain> trust;
    private final AccountResolver resolver;
    private final AccountSwapper swapper;
    private final SystemBus bus;
    private final LongSupplier nowSeconds;
    /** MEMORY and URL resolvers, like the reference, skip updates for accounts not in use. */
    private final boolean skipUnloaded;
    private final ClaimsLedger ledger;

    public ClaimsUpdateHandler(Supplier<TrustChain> trust, AccountResolver resolver, AccountSwapper swapper, SystemBus bus,
            LongSupplier nowSeconds, ClaimsLedger ledger) {
        this.ledger = ledger;
        this.skipUnloaded = !(resolver instanceof DirResolver);
        this.trust = trust;
        this.resolver = resolver;
        this.swapper = swapper;
        this.bus = bus;
        this.nowSeconds = nowSeconds;
    }

    public ClaimsLedger ledger() {
        return ledger;
    }

    public void start() {
        bus.subscribe("$SYS.ACCOUNT.*.CLAIMS.UPDATE", m -> update(m.subject().split("\\.")[2], m));
        bus.subscribe("$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE", m -> update(m.subject().split("\\.")[3], m));
    }

    /** The outcome of one update, for callers that are not on the bus (tests, the full resolver). */
    public record Outcome(boolean applied, String error, int closed, String message) {
        Outcome(boolean applied, String error, int closed) {
            this(applied, error, closed, "jwt updated");
        }
    }

    public Outcome update(String accountKey, SystemBus.Message m) {
        Outcome o = apply(accountKey, new String(m.payload(), StandardCharsets.UTF_8).trim(), ClaimsLedger.Source.PUSH);
        if (m.reply() != null) {
            if (o.error() == null) {
                bus.respond(m.reply(), success(accountKey, o.message()));
            } else {
                bus.respond(m.reply(), failure(accountKey, o.error()));
            }
        }
        return o;
    }

    /**
     * Validates, stores and applies one account JWT that came from {@code source}; the ledger
     * learns the outcome and, when applied, the JWT and how long enforcing it took.
     */
    public Outcome apply(String accountKey, String jwt, ClaimsLedger.Source source) {
        long start = System.nanoTime();
        Outcome o = validateAndApply(accountKey, jwt, source);
        if (o.applied()) {
            ledger.enforced(System.nanoTime() - start);
            ledger.outcome(ClaimsLedger.Outcome.APPLIED);
        } else if (o.error() != null) {
            ledger.outcome(ClaimsLedger.Outcome.REJECTED);
        } else if (o.message().equals(SKIPPED)) {
            ledger.outcome(ClaimsLedger.Outcome.SKIPPED);
        } else {
            ledger.outcome(ClaimsLedger.Outcome.UNCHANGED);
        }
        return o;
    }

    private static final String SKIPPED = "jwt update skipped";

    private Outcome validateAndApply(String accountKey, String jwt, ClaimsLedger.Source source) {
        // The reference's checks and texts, in its order; trust is checked before anything is stored.
        if (jwt.isEmpty()) {
            return new Outcome(false, "jwt update error - request body is empty", 0);
        }
        DecodedJwt decoded;
        AccountClaims parsed;
        try {
            decoded = Jwts.decode(jwt);
            parsed = Claims.account(decoded);
        } catch (JwtException e) {
            return new Outcome(false, "jwt update resulted in error - " + e.getMessage(), 0);
        }
        if (!parsed.subject().equals(accountKey)) {
            return new Outcome(false, "jwt update resulted in error - subject does not match jwt content", 0);
        }
        if (skipUnloaded && !swapper.isLoaded(accountKey)) {
            return new Outcome(false, null, 0, SKIPPED);
        }
        AccountClaims next;
        try {
            next = trust.get().account(decoded, parsed, accountKey, nowSeconds.getAsLong());
        } catch (JwtException e) {
            return new Outcome(false, "jwt update resulted in error - account validation failed: " + e.getMessage(), 0);
        }
        String currentJwt = resolver.fetch(accountKey);
        AccountClaims current = null;
        if (currentJwt != null) {
            if (currentJwt.equals(jwt)) {
                return new Outcome(false, null, 0); // identical: nothing to do
            }
            current = swapper.inForce(accountKey);
            if (current == null || !currentJwt.equals(current.token())) {
                try {
                    current = Claims.account(Jwts.decode(currentJwt));
                } catch (JwtException e) {
                    current = null; // an unreadable stored JWT never blocks a valid update
                }
            }
            if (current != null && next.issuedAt() < current.issuedAt()) {
                return new Outcome(false, "jwt update resulted in error - the update was issued at "
                        + next.issuedAt() + ", before the JWT in force (issued at " + current.issuedAt() + ")", 0);
            }
        }
        resolver.store(accountKey, jwt);
        int closed = swapper.apply(current, next);
        ledger.record(accountKey, decoded, source);
        return new Outcome(true, null, closed);
    }

    public static Map<String, Object> success(String account, String message) {
        return reply(account, true, message);
    }

    public static Map<String, Object> failure(String account, String description) {
        return reply(account, false, description);
    }

    /**
     * The reference's claims reply body: {@code {"data":{account?,code:200,message}}} or
     * {@code {"error":{account?,code:500,description}}} (the server block is added by the bus).
     */
    static Map<String, Object> reply(String account, boolean ok, String text) {
        Map<String, Object> inner = new LinkedHashMap<>();
        if (account != null) {
            inner.put("account", account);
        }
        inner.put("code", ok ? 200 : 500);
        inner.put(ok ? "message" : "description", text);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(ok ? "data" : "error", inner);
        return body;
    }
}
