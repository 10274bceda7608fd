package io.natsjvm.resolver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code resolver: URL(http://host:port/jwt/v1/accounts/)}: account JWTs fetched from an account
 * server (nats-account-server's API: GET base + account key) and cached for {@code ttl};
 * CLAIMS.UPDATE replaces the cached copy. {@link #fetch} blocks on the network when the account
 * is not cached, so the server checks JWT logins off its event loops.
 */
public final class UrlResolver implements AccountResolver {
    private final String base;
    private final Duration timeout;
    private final long ttlNanos;
    private final HttpClient http;
    /**
     * Fresh for {@code ttl}; a stale copy is still served while the account server is away, for
     * up to ten times that, and at most {@link #MAX_ACCOUNTS} accounts are kept.
     */
    private final Cache<String, Cached> cache;
    static final int MAX_ACCOUNTS = 10_000;

    private record Cached(String jwt, long fetchedNanos) {
    }

    public UrlResolver(String base, Duration timeout, Duration ttl) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.timeout = timeout;
        this.ttlNanos = ttl.toNanos();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        // upkeep on the calling thread, as the authenticator's caches (not the common fork-join pool)
        this.cache = Caffeine.newBuilder().maximumSize(MAX_ACCOUNTS).expireAfterWrite(ttl.multipliedBy(10))
                .executor(Runnable::run).build();
    }

    @Override
    public String fetch(String accountKey) {
        Cached c = cache.getIfPresent(accountKey);
        if (c != null && System.nanoTime() - c.fetchedNanos() < ttlNanos) {
            return c.jwt();
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + accountKey)).timeout(timeout)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return c == null ? null : c.jwt();
            }
            String jwt = r.body().trim();
            cache.put(accountKey, new Cached(jwt, System.nanoTime()));
            return jwt;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return c == null ? null : c.jwt(); // a stale copy beats none while the server is away
        }
    }

    @Override
    public void store(String accountKey, String jwt) {
        cache.put(accountKey, new Cached(jwt, System.nanoTime()));
    }
}
