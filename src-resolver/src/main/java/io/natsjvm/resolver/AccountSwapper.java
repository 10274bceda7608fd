package io.natsjvm.resolver;

import io.natsjvm.resolver.claims.AccountClaims;

/** Applies new, validated account claims to a live account (implemented by the server). */
public interface AccountSwapper {
    /**
     * Swaps limits, signing keys and revocations for {@code next.subject()} and closes the
     * connections the new claims no longer allow.
     *
     * @param previous the claims in force before, or null if none were known
     * @return the number of connections closed
     */
    int apply(AccountClaims previous, AccountClaims next);

    /**
     * The claims this account is running on, or null when it has none (yet): the handler reuses
     * them instead of decoding and verifying the stored JWT again when that JWT is their token.
     */
    default AccountClaims inForce(String accountKey) {
        return null;
    }

    /** True if the server has this account in use (has ever bound a connection to it). */
    default boolean isLoaded(String accountKey) {
        return true;
    }
}
