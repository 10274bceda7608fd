package io.natsjvm.resolver.claims;

import java.util.List;

/**
 * A user JWT's claims; its permissions and limits are in {@code limits} (-1 for "no limit").
 * {@code issuerAccount} is set when the user was signed with one of the account's signing keys.
 * {@code limitsSet} tells whether the JWT itself carried any permission or limit, which a user
 * signed by a scoped signing key must not.
 */
public record UserClaims(
        String token,
        String subject,
        String name,
        String issuer,
        String issuerAccount,
        long issuedAt,
        long expires,
        UserLimits limits,
        List<String> tags,
        boolean limitsSet) {

    public UserClaims {
        tags = List.copyOf(tags);
    }

    /** This user with other permissions and limits (a scoped signing key's template). */
    public UserClaims withLimits(UserLimits l) {
        return new UserClaims(token, subject, name, issuer, issuerAccount, issuedAt, expires, l, tags, limitsSet);
    }

    /** The account this user belongs to: the issuer account, or the issuer itself. */
    public String account() {
        return issuerAccount != null && !issuerAccount.isEmpty() ? issuerAccount : issuer;
    }
}
