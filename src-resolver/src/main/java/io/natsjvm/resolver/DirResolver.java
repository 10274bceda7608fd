package io.natsjvm.resolver;

import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.resolver.store.DirJwtStore;

import java.io.IOException;
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

    public DirResolver(Path dir, Map<String, String> preload, boolean allowDelete) throws IOException {
        this.store = new DirJwtStore(dir, k -> NKeys.isValidPublic(k, NKeys.PREFIX_ACCOUNT));
        this.allowDelete = allowDelete;
        // The store is the source of truth; a preloaded JWT only fills a gap or replaces an older one.
        for (Map.Entry<String, String> e : preload.entrySet()) {
            String stored = store.get(e.getKey());
            if (stored == null || issuedAt(e.getValue()) > issuedAt(stored)) {
                store.put(e.getKey(), e.getValue());
            }
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

    @Override
    public String fetch(String accountKey) {
        return store.get(accountKey);
    }

    @Override
    public void store(String accountKey, String jwt) {
        try {
            store.put(accountKey, jwt);
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
