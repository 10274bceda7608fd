package io.natsjvm.resolver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code resolver: MEMORY}: the preloaded JWTs, replaced by valid updates, lost on restart. */
public final class MemoryResolver implements AccountResolver {
    private final Map<String, String> jwts = new ConcurrentHashMap<>();

    public MemoryResolver(Map<String, String> preload) {
        jwts.putAll(preload);
    }

    @Override
    public String fetch(String accountKey) {
        return jwts.get(accountKey);
    }

    @Override
    public void store(String accountKey, String jwt) {
        jwts.put(accountKey, jwt);
    }
}
