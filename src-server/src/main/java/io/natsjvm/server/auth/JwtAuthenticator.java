package io.natsjvm.server.auth;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.natsjvm.resolver.AccountResolver;
import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.resolver.UrlResolver;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.Claims;
import io.natsjvm.resolver.claims.ResponseRule;
import io.natsjvm.resolver.claims.SubjectRules;
import io.natsjvm.resolver.claims.TrustChain;
import io.natsjvm.resolver.claims.UserClaims;
import io.natsjvm.resolver.claims.UserLimits;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.protocol.ConnectOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Decentralized auth: the client presents a user JWT and signs the INFO nonce with the user's
 * nkey; the user's account JWT comes from the resolver and must chain to a trusted operator.
 * Every refusal names the check that failed (the client only ever sees 'Authorization Violation').
 */
public final class JwtAuthenticator implements Authenticator {
    /** Replaced whole by a config reload that changes operators or trusted_keys. */
    private volatile TrustChain trust;
    private final AccountResolver resolver;
    /**
     * Validated account claims by JWT text, so a login does not re-verify an unchanged account.
     * Both caches tidy up on the calling thread ({@code executor(Runnable::run)}): the upkeep is
     * small, and Caffeine's default hands it to the common fork-join pool, one more thread to
     * start and to wake on a login worker's behalf.
     */
    private final Cache<String, AccountClaims> validated = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1)).executor(Runnable::run).build();
    /**
     * User JWTs whose signature was already checked, by token: clients reconnect with the same
     * .creds, so a repeat login costs one signature check (the nonce) instead of two. Time,
     * revocation and issuer checks are still made on every login.
     */
    private final Cache<String, VerifiedUser> users = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterAccess(Duration.ofHours(1)).executor(Runnable::run).build();

    private record VerifiedUser(DecodedJwt jwt, UserClaims claims) {
    }

    private VerifiedUser user(String token) throws JwtException {
        VerifiedUser v = users.getIfPresent(token);
        if (v == null) {
            DecodedJwt jwt = Jwts.decode(token);
            v = new VerifiedUser(jwt, Claims.user(jwt));
            users.put(token, v);
        }
        return v;
    }

    /**
     * Runs what a first login runs once, with throwaway input, before any client does: in a fresh
     * process the first execution of code links and initialises it, and the first login after a
     * restart waited for that (timed on the server: decoding and checking the user JWT 2.5-2.9 ms,
     * the user cache's first hit 5-6 ms, which loads Caffeine's read and maintenance path; both
     * caches share it). Any thread; nothing it makes is kept or trusted.
     */
    public void warmUp() {
        String key = "\u0000warm-up";
        users.put(key, new VerifiedUser(null, null));
        users.getIfPresent(key);
        users.invalidate(key);
        users.cleanUp();
        validated.getIfPresent(key);
        try {
            permissions(Claims.user(Jwts.decode(WARM_UP_USER)));
        } catch (JwtException e) {
            throw new IllegalStateException("the warm-up user JWT no longer decodes: " + e.getMessage(), e);
        }
    }

    /**
     * A user JWT issued by an account key made for this purpose and thrown away (the warm-up
     * decodes it and checks its signature; no server trusts its issuer).
     */
    static final String WARM_UP_USER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJqdGkiOiJaM1YyM0I1NU1JNUdTU09IQVREUTJWMzZMNEU0WFlNR"
            + "zZRSlg1SFJMTkhUQVhEQUtaVjJRIiwibmFtZSI6Indhcm0tdXAiLCJzdWIiOiJVRElER0NSVjdVWlFEMk9QUUhUUlBVTlVJMjQ0N"
            + "VhHTzNTNlBOSkRHWFJPTkFKU0VLNUc3T0FOMyIsIm5hdHMiOnsic3VicyI6LTEsImRhdGEiOi0xLCJwYXlsb2FkIjotMSwidHlwZ"
            + "SI6InVzZXIiLCJ2ZXJzaW9uIjoyLCJwdWIiOnsiYWxsb3ciOlsid2FybS4-Il19LCJzdWIiOnsiZGVueSI6WyJ3YXJtLngiXX19L"
            + "CJpYXQiOjE3OTYwMDAwMDAsImlzcyI6IkFEQ0lSUUpEUFpTRVdCQjI1UVVINU5YRUkySUs2M1lET1NDSVg1SzVJNTVINkhTNVI3T"
            + "DYySVZDIn0.jgTzmhpkUDy6Aref9qoRoDEU1W9eY_-YtNHBXhC1-9mDL8-1JOYd7qe8IoQw8qBDS4zCCPNJubAYvhTEbZKVCA";

    public JwtAuthenticator(TrustChain trust, AccountResolver resolver, ClaimsLedger ledger) {
        this.trust = trust;
        this.resolver = resolver;
        this.ledger = ledger;
    }

    /** Told of JWTs a URL resolver fetched (the other resolvers' JWTs are entered where they arrive). */
    private final ClaimsLedger ledger;

    public TrustChain trust() {
        return trust;
    }

    /**
     * Trusts {@code next} from now on (config reload). Accounts validated under the old chain
     * are validated again at their next use.
     */
    public void trust(TrustChain next) {
        trust = next;
        validated.invalidateAll();
    }

    public AccountResolver resolver() {
        return resolver;
    }

    @Override
    public boolean required() {
        return true;
    }

    /**
     * Every JWT login: it costs two Ed25519 checks (the user JWT, the signed nonce), and may wait
     * for an account that is not at hand (a URL resolver without it cached goes to the network, a
     * full resolver in a cluster asks its peers, and so may wiring the account's imports).
     */
    @Override
    public boolean checksOffLoop(ConnectOptions c) {
        return c.jwt() != null && !c.jwt().isEmpty();
    }

    /**
     * Where an account the resolver does not have is looked up (the cluster's full resolvers);
     * the lookup blocks, so logins that need it run off the event loops.
     */
    public void clusterLookup(Function<String, String> lookup) {
        this.clusterLookup = lookup;
    }

    private volatile Function<String, String> clusterLookup;

    @Override
    public boolean usesNonce() {
        return true;
    }

    /** The account's current claims, validated against the trust chain; null if unknown or invalid. */
    public AccountClaims account(String accountKey) throws JwtException {
        String jwt = resolver.fetch(accountKey);
        Function<String, String> lookup = clusterLookup;
        if (jwt == null && lookup != null) {
            jwt = lookup.apply(accountKey);
        }
        if (jwt == null) {
            throw new JwtException("account " + accountKey + " not found by the resolver");
        }
        AccountClaims cached = validated.getIfPresent(jwt);
        long now = System.currentTimeMillis() / 1000;
        if (cached != null) {
            if (cached.expires() > 0 && now >= cached.expires()) {
                throw new JwtException("account " + accountKey + " JWT has expired");
            }
            fetched(accountKey, jwt);
            return cached;
        }
        AccountClaims a = trust.account(jwt, accountKey, now);
        validated.put(jwt, a);
        fetched(accountKey, jwt);
        return a;
    }

    private void fetched(String accountKey, String jwt) {
        if (resolver instanceof UrlResolver) {
            ledger.recordIfChanged(accountKey, jwt, ClaimsLedger.Source.LOOKUP);
        }
    }

    /** {@code resolver_pinned_accounts} (the system account included), or null: any account. */
    private volatile Set<String> pinnedAccounts;
    private final AtomicLong pinnedFailures = new AtomicLong();

    public void pinnedAccounts(Set<String> accounts) {
        pinnedAccounts = accounts == null || accounts.isEmpty() ? null : Set.copyOf(accounts);
    }

    /** Logins refused because their account is not pinned (VARZ pinned_account_fails). */
    public long pinnedAccountFailures() {
        return pinnedFailures.get();
    }

    @Override
    public AuthResult authenticate(ConnectOptions c, String nonce) {
        if (c.jwt() == null || c.jwt().isEmpty()) {
            return AuthResult.failure("authentication requires a user JWT");
        }
        try {
            long now = System.currentTimeMillis() / 1000;
            VerifiedUser v = user(c.jwt());
            Set<String> pinned = pinnedAccounts;
            if (pinned != null && !pinned.contains(v.claims().account())) {
                pinnedFailures.incrementAndGet();
                return AuthResult.failure("Account " + v.claims().account() + " not listed as operator pinned account");
            }
            AccountClaims account = account(v.claims().account());
            // A scoped signing key replaces the user's permissions and limits with its template.
            UserClaims u = TrustChain.user(v.claims(), v.jwt(), account, now);
            Duration window = u.limits().times().allowedFor(ZonedDateTime.now());
            if (window != null && window.isZero()) {
                return AuthResult.failure("user " + u.subject() + " is outside its connect times");
            }
            long expires = u.expires();
            if (expires < 0) {
                expires = -1; // the reference accepts the login and expires it at once
            }
            if (window != null) {
                // Leaving the connect window ends the session like an expiry, as in the reference.
                long windowEnd = now + Math.max(1, window.getSeconds());
                expires = expires != 0 ? Math.min(expires, windowEnd) : windowEnd;
            }
            if (u.limits().bearerToken()) {
                if (account.limits().disallowBearer()) {
                    return AuthResult.failure("account " + account.subject() + " does not allow bearer tokens");
                }
            } else {
                byte[] sig = Signatures.decode(c.sig());
                if (sig == null) {
                    return AuthResult.failure("signature missing or not base64 for user " + u.subject());
                }
                if (nonce == null || !NKeys.verify(u.subject(), NKeys.PREFIX_USER,
                        nonce.getBytes(StandardCharsets.US_ASCII), sig)) {
                    return AuthResult.failure("nonce signature not verified for user " + u.subject());
                }
            }
            return AuthResult.success(account.subject(), u.subject(), permissions(u),
                    new JwtLogin(c.jwt(), u.issuer(), u.name(), (int) u.limits().subs(), (int) u.limits().payload(),
                            u.issuedAt(), expires, u.limits().bearerToken(), u.limits().src(),
                            u.limits().allowedConnectionTypes(), account));
        } catch (JwtException e) {
            return AuthResult.failure("user JWT rejected: " + e.getMessage());
        }
    }

    static Permissions permissions(UserClaims u) {
        UserLimits l = u.limits();
        ResponseRule r = l.resp();
        ResponsePermission resp = r == null ? null
                : new ResponsePermission(r.max() <= 0 ? 1 : r.max(), Duration.ofNanos(Math.max(0, r.ttlNanos())));
        return new Permissions(subjects(l.pub()), subjects(l.sub()), resp).normalized();
    }

    private static SubjectPermission subjects(SubjectRules rules) {
        if (rules.isEmpty()) {
            return null;
        }
        return new SubjectPermission(rules.allow().isEmpty() ? null : rules.allow(),
                rules.deny().isEmpty() ? null : rules.deny());
    }
}
