package io.natsjvm.resolver.claims;

import java.util.List;

/**
 * A user JWT's claims. Limits use -1 for "no limit", as the Go library writes them;
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
        ConnectTimes times,
        boolean limitsSet) {

    /** The permission and limit fields of this user. */
    public UserLimits limits() {
        return new UserLimits(pub, sub, resp, src, subs, data, payload, bearerToken, allowedConnectionTypes, times);
    }

    /** This user with other permissions and limits (a scoped signing key's template). */
    public UserClaims withLimits(UserLimits l) {
        return new UserClaims(token, subject, name, issuer, issuerAccount, issuedAt, expires, l.pub(), l.sub(),
                l.resp(), l.src(), l.subs(), l.data(), l.payload(), l.bearerToken(), l.allowedConnectionTypes(),
                tags, l.times(), limitsSet);
    }

    /** The account this user belongs to: the issuer account, or the issuer itself. */
    public String account() {
        return issuerAccount != null && !issuerAccount.isEmpty() ? issuerAccount : issuer;
    }
}
