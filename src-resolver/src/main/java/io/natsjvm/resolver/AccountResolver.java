package io.natsjvm.resolver;

/**
 * Where account JWTs come from, by account public key. Implementations are thread-safe;
 * {@link #fetch} must not block the caller for long (the server calls it during login).
 */
public interface AccountResolver {
    /** The JWT currently held for {@code accountKey}, or null if this resolver does not know it. */
    String fetch(String accountKey);

    /** Keeps a JWT that has already been validated (CLAIMS.UPDATE). */
    void store(String accountKey, String jwt);
}
