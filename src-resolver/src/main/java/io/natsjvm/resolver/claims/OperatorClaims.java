package io.natsjvm.resolver.claims;

import java.util.List;

/** An operator JWT's claims: its identity, signing keys and the system account it names. */
public record OperatorClaims(String token, String subject, String name, String issuer, List<String> signingKeys,
        String systemAccount, String accountServerUrl) {
    public OperatorClaims {
        signingKeys = List.copyOf(signingKeys);
    }
}
