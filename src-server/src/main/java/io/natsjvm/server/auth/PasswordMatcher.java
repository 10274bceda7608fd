package io.natsjvm.server.auth;
import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares a presented password with a configured one, plain or bcrypt ($2a$/$2b$/$2y$).
 * bcrypt is deliberately slow (tens of milliseconds) and runs on the event loop, so successful
 * checks are remembered by hash and a digest of the password: a reconnecting client costs one
 * map lookup, a wrong password still pays the full price.
 */
final class PasswordMatcher {
    private static final int CACHE_MAX = 1024;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    boolean matches(String configured, String presented) {
        if (configured == null || presented == null) {
            return false;
        }
        if (UserEntry.isBcrypt(configured)) {
            byte[] digest = sha256(presented);
            byte[] known = verified.get(configured);
            if (known != null && MessageDigest.isEqual(known, digest)) {
                return true;
            }
            boolean ok = BCrypt.verifyer().verify(presented.getBytes(StandardCharsets.UTF_8),
                    configured.getBytes(StandardCharsets.UTF_8)).verified;
            if (ok) {
                if (verified.size() >= CACHE_MAX) {
                    verified.clear();
                }
                verified.put(configured, digest);
            }
            return ok;
        }
        return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
