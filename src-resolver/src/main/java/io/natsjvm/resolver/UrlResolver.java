package io.natsjvm.resolver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.net.ConnectException;
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

    /**
     * The reference's check at start-up that the account server is there: its base URL must
     * answer 200. Null when it does, else the reason, worded as the reference words it.
     */
    public String probe() {
        String prefix = "could not fetch <\"" + base + "\">: ";
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            return prefix + "Get \"" + base + "\": " + e.getMessage();
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            return prefix + "Get \"" + base + "\": unsupported protocol scheme \""
                    + (uri.getScheme() == null ? "" : uri.getScheme()) + "\"";
        }
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? null : prefix + r.statusCode() + statusText(r.statusCode());
        } catch (ConnectException e) {
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return prefix + "Get \"" + base + "\": dial tcp " + uri.getHost() + ":" + port + ": connect: connection refused";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return prefix + "interrupted";
        } catch (Exception e) {
            return prefix + "Get \"" + base + "\": " + e;
        }
    }

    private static String statusText(int code) {
        return switch (code) {
            case 204 -> " No Content";
            case 301 -> " Moved Permanently";
            case 302 -> " Found";
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            default -> "";
        };
    }

    @Override
    public void store(String accountKey, String jwt) {
        cache.put(accountKey, new Cached(jwt, System.nanoTime()));
    }
}
