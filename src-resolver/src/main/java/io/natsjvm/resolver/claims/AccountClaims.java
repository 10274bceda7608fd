package io.natsjvm.resolver.claims;

import java.util.List;
import java.util.Map;

/**
 * An account JWT's claims (immutable). Revocations map a user key (or "*") to a Unix time;
 * {@code scopes} holds the signing keys that are scoped, by key ({@code signingKeys} lists them all).
 */
public record AccountClaims(
        String token,
        String subject,
        String name,
        String issuer,
        long issuedAt,
        long expires,
        AccountLimits limits,
        List<String> signingKeys,
        Map<String, Long> revocations,
        List<Export> exports,
        List<Import> imports,
        Map<String, UserScope> scopes,
        List<String> tags,
        Map<String, List<WeightedMapping>> mappings) {

    public AccountClaims {
        signingKeys = List.copyOf(signingKeys);
        scopes = Map.copyOf(scopes);
        tags = List.copyOf(tags);
        revocations = Map.copyOf(revocations);
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
        mappings = Map.copyOf(mappings);
    }

    /** Claims without subject mappings. */
    public AccountClaims(String token, String subject, String name, String issuer, long issuedAt, long expires,
            AccountLimits limits, List<String> signingKeys, Map<String, Long> revocations, List<Export> exports,
            List<Import> imports, Map<String, UserScope> scopes, List<String> tags) {
        this(token, subject, name, issuer, issuedAt, expires, limits, signingKeys, revocations, exports, imports,
                scopes, tags, Map.of());
    }

    /** A claims record without exports and imports (tests, accounts that have none). */
    public AccountClaims(String token, String subject, String name, String issuer, long issuedAt, long expires,
            AccountLimits limits, List<String> signingKeys, Map<String, Long> revocations) {
        this(token, subject, name, issuer, issuedAt, expires, limits, signingKeys, revocations, List.of(), List.of(),
                Map.of(), List.of(), Map.of());
    }

    /** True if a user JWT issued at {@code issuedAt} for {@code userKey} has been revoked. */
    public boolean revoked(String userKey, long issuedAt) {
        Long at = revocations.get(userKey);
        Long all = revocations.get("*");
        return (at != null && issuedAt <= at) || (all != null && issuedAt <= all);
    }
}
