package io.natsjvm.resolver.claims;

import java.util.List;

/**
 * A user JWT's claims. Limits use -1 for "no limit", as the Go library writes them;
 * {@code issuerAccount} is set when the user was signed with one of the account's signing keys.
 */
public record UserClaims(
        String token,
        String subject,
        String name,
        String issuer,
        String issuerAccount,
        long issuedAt,
        long expires,
        SubjectRules pub,
        SubjectRules sub,
        ResponseRule resp,
        List<String> src,
        long subs,
        long data,
        long payload,
        boolean bearerToken,
        List<String> allowedConnectionTypes,
        List<String> tags,
        ConnectTimes times) {

    /** The account this user belongs to: the issuer account, or the issuer itself. */
    public String account() {
        return issuerAccount != null && !issuerAccount.isEmpty() ? issuerAccount : issuer;
    }
}
