package io.natsjvm.resolver.claims;

import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the server trusts (operator keys, their signing keys, trusted_keys) and the checks of the
 * chain user → account (or account signing key) → operator (or operator signing key).
 */
public final class TrustChain {
    private final List<OperatorClaims> operators;
    private final Set<String> trustedKeys;

    public TrustChain(List<OperatorClaims> operators, List<String> extraTrustedKeys) {
        this.operators = List.copyOf(operators);
        Set<String> keys = new LinkedHashSet<>(extraTrustedKeys);
        for (OperatorClaims o : operators) {
            keys.add(o.subject());
            keys.addAll(o.signingKeys());
        }
        this.trustedKeys = Set.copyOf(keys);
    }

    public List<OperatorClaims> operators() {
        return operators;
    }

    /** Every key trusted: the operators, their signing keys and trusted_keys. */
    public Set<String> keys() {
        return trustedKeys;
    }

    public boolean trusts(String key) {
        return trustedKeys.contains(key);
    }

    /** An account JWT that this server may use for {@code accountKey} (null: any subject). */
    public AccountClaims account(String token, String accountKey, long nowSeconds) throws JwtException {
        DecodedJwt jwt = Jwts.decode(token);
        return account(jwt, Claims.account(jwt), accountKey, nowSeconds);
    }

    /**
     * The same checks for claims already decoded (and their signature verified) from {@code jwt}:
     * a caller that has decoded the token does not pay for a second signature check.
     */
    public AccountClaims account(DecodedJwt jwt, AccountClaims a, String accountKey, long nowSeconds)
            throws JwtException {
        if (accountKey != null && !accountKey.equals(a.subject())) {
            throw new JwtException("account JWT is for " + a.subject() + ", not " + accountKey);
        }
        if (!trusts(a.issuer())) {
            throw new JwtException("account JWT issuer " + a.issuer() + " is not a trusted operator key");
        }
        jwt.checkTimes(nowSeconds);
        return a;
    }

    /**
     * Checks a user JWT against its account: signed by the account or one of its signing keys
     * (then {@code issuer_account} must name the account), in time, not revoked. A user signed by a
     * scoped signing key comes back with the key's template as its permissions and limits.
     */
    public static UserClaims user(UserClaims u, DecodedJwt jwt, AccountClaims account, long nowSeconds)
            throws JwtException {
        if (!u.issuer().equals(account.subject())) {
            if (!account.signingKeys().contains(u.issuer())) {
                throw new JwtException("user JWT issuer " + u.issuer() + " is not the account or one of its signing keys");
            }
            if (!account.subject().equals(u.issuerAccount())) {
                throw new JwtException("user JWT signed by a signing key must name its account in issuer_account");
            }
        }
        jwt.checkTimes(nowSeconds);
        if (account.revoked(u.subject(), u.issuedAt())) {
            throw new JwtException("user " + u.subject() + " has been revoked");
        }
        UserScope scope = account.scopes().get(u.issuer());
        if (scope != null) {
            if (u.limitsSet()) {
                throw new JwtException("user " + u.subject() + " is signed by scoped signing key " + u.issuer()
                        + ": scoped users require no permissions or limits set");
            }
            return u.withLimits(ScopeTemplates.apply(scope.template(), u, account));
        }
        return u;
    }
}
