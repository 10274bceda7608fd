package io.natsjvm.server.auth;
import io.natsjvm.resolver.claims.AccountClaims;

import java.util.List;

/**
 * What a JWT login adds to a successful authentication: the token and issuer for events, the
 * user's own limits (-1 = none) and whether it was a bearer token.
 */
public record JwtLogin(String jwt, String issuerKey, String nameTag, long maxSubs, long maxPayload,
        long issuedAt, long expires, boolean bearer, List<String> src, List<String> connectionTypes,
        AccountClaims account) {
}
