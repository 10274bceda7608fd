package io.natsjvm.resolver;

import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache resolver's bounds and the store hash that PACK sync compares. */
class CacheResolverTest {
    private final NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);

    private String account(NKeyPair a) {
        return Jwts.sign(Jwts.claims(a.publicKey(), "A", "account"), operator);
    }

    @Test
    void theLeastRecentlyUsedAccountIsEvictedOverTheLimitAndItsFileDeleted() throws Exception {
        Path dir = Files.createTempDirectory("cache");
        DirResolver cache = DirResolver.cache(dir, Map.of(), 2, Duration.ZERO);
        List<NKeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keys.add(NKeyPair.create(NKeys.PREFIX_ACCOUNT));
        }
        cache.store(keys.get(0).publicKey(), account(keys.get(0)));
        cache.store(keys.get(1).publicKey(), account(keys.get(1)));
        assertNotNull(cache.fetch(keys.get(0).publicKey())); // 0 used, 1 is now the oldest
        cache.store(keys.get(2).publicKey(), account(keys.get(2)));
        assertNull(cache.fetch(keys.get(1).publicKey()));
        assertFalse(Files.exists(dir.resolve(keys.get(1).publicKey() + ".jwt")));
        assertNotNull(cache.fetch(keys.get(0).publicKey()));
        assertNotNull(cache.fetch(keys.get(2).publicKey()));
        assertTrue(cache.isCache());
    }

    @Test
    void anAccountExpiresAfterTheTtl() throws Exception {
        Path dir = Files.createTempDirectory("cache");
        DirResolver cache = DirResolver.cache(dir, Map.of(), 10, Duration.ofMillis(50));
        NKeyPair a = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        cache.store(a.publicKey(), account(a));
        assertNotNull(cache.fetch(a.publicKey()));
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (cache.fetch(a.publicKey()) != null && System.nanoTime() < end) {
            Thread.sleep(10); // waiting out the ttl itself
        }
        assertNull(cache.fetch(a.publicKey()));
        assertFalse(Files.exists(dir.resolve(a.publicKey() + ".jwt")));
    }

    @Test
    void theStoreHashDependsOnTheJwtsNotTheirOrder() throws Exception {
        NKeyPair a = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        NKeyPair b = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        String ja = account(a);
        String jb = account(b);
        DirResolver one = new DirResolver(Files.createTempDirectory("one"), Map.of(), false);
        DirResolver two = new DirResolver(Files.createTempDirectory("two"), Map.of(), false);
        assertArrayEquals(new byte[32], one.store().hash(), "an empty store hashes to zeros, as the reference's");
        one.store(a.publicKey(), ja);
        one.store(b.publicKey(), jb);
        two.store(b.publicKey(), jb);
        assertFalse(Arrays.equals(one.store().hash(), two.store().hash()));
        two.store(a.publicKey(), ja);
        assertArrayEquals(one.store().hash(), two.store().hash());
        assertEquals(32, one.store().hash().length);
    }
}
