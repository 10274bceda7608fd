package io.natsjvm.server.auth;

/**
 * What a JWT login adds to a successful authentication: the token and issuer for events, the
 * user's own limits (-1 = none) and whether it was a bearer token.
 */
public record JwtLogin(String jwt, String issuerKey, String nameTag, long maxSubs, long maxPayload,
        long issuedAt, long expires, boolean bearer, java.util.List<String> src, java.util.List<String> connectionTypes,
        io.natsjvm.resolver.claims.AccountClaims account) {
}
