package io.natsjvm.resolver;

import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.resolver.store.DirJwtStore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code resolver: {type: full, dir: ...}}: account JWTs kept durably in a directory and loaded
 * on restart; preloaded JWTs are written to it only when it has none for that account.
 */
public final class DirResolver implements AccountResolver {
    private final DirJwtStore store;
    private final boolean allowDelete;
    /**
     * For a cache resolver: which accounts it keeps, at most {@code limit}, each for {@code ttl}
     * (evicted ones are deleted from the directory and looked up again when needed); null for a
     * full resolver, which keeps everything.
     */
    private final Cache<String, Boolean> kept;

    public DirResolver(Path dir, Map<String, String> preload, boolean allowDelete) throws IOException {
        this(dir, preload, allowDelete, 0, Duration.ZERO);
    }

    /** A cache resolver: at most {@code limit} accounts (LRU), each kept for {@code ttl} (zero: no expiry). */
    public static DirResolver cache(Path dir, Map<String, String> preload, int limit, Duration ttl) throws IOException {
        return new DirResolver(dir, preload, false, limit <= 0 ? 1000 : limit, ttl);
    }

    private DirResolver(Path dir, Map<String, String> preload, boolean allowDelete, int limit, Duration ttl)
            throws IOException {
        this.store = new DirJwtStore(dir, k -> NKeys.isValidPublic(k, NKeys.PREFIX_ACCOUNT));
        this.allowDelete = allowDelete;
        if (limit > 0) {
            Caffeine<Object, Object> b = Caffeine.newBuilder().maximumSize(limit).executor(Runnable::run);
            if (!ttl.isZero() && !ttl.isNegative()) {
                b.expireAfterWrite(ttl);
            }
            this.kept = b.<String, Boolean>removalListener((key, v, cause) -> {
                if (cause.wasEvicted() && key != null) {
                    store.evict(key);
                }
            }).build();
        } else {
            this.kept = null;
        }
        // The store is the source of truth; a preloaded JWT only fills a gap or replaces an older one.
        for (Map.Entry<String, String> e : preload.entrySet()) {
            String stored = store.get(e.getKey());
            if (stored == null || issuedAt(e.getValue()) > issuedAt(stored)) {
                store.put(e.getKey(), e.getValue());
            }
        }
        if (kept != null) {
            for (String key : store.keys()) {
                kept.put(key, Boolean.TRUE);
            }
            kept.cleanUp(); // over the limit after a restart: the excess goes now
        }
    }

    private static long issuedAt(String jwt) {
        try {
            return Jwts.decode(jwt).issuedAt();
        } catch (JwtException e) {
            return Long.MIN_VALUE;
        }
    }

    public DirJwtStore store() {
        return store;
    }

    public boolean allowDelete() {
        return allowDelete;
    }

    /** True for a cache resolver (bounded, expiring; no pack exchange). */
    public boolean isCache() {
        return kept != null;
    }

    @Override
    public String fetch(String accountKey) {
        if (kept != null && kept.getIfPresent(accountKey) == null) {
            store.evict(accountKey); // expired (or never kept): looked up again
            return null;
        }
        return store.get(accountKey);
    }

    @Override
    public void store(String accountKey, String jwt) {
        try {
            store.put(accountKey, jwt);
            if (kept != null) {
                kept.put(accountKey, Boolean.TRUE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store JWT for " + accountKey, e);
        }
    }

    public List<String> list() {
        return store.keys();
    }

    public boolean delete(String accountKey) throws IOException {
        return store.delete(accountKey);
    }
}
