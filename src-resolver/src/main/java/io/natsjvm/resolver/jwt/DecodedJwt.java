package io.natsjvm.resolver.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.resolver.nkey.NKeys;

/**
 * A JWT split and parsed, not yet trusted: the header was checked ({@code ed25519-nkey}), the
 * claims are JSON, and the signature can be checked against a public key.
 */
public record DecodedJwt(String token, JsonNode claims, byte[] signingInput, byte[] signature) {
    public String issuer() {
        return claims.path("iss").asText(null);
    }

    public String subject() {
        return claims.path("sub").asText(null);
    }

    public String name() {
        return claims.path("name").asText(null);
    }

    public String id() {
        return claims.path("jti").asText(null);
    }

    public long issuedAt() {
        return claims.path("iat").asLong(0);
    }

    public long expires() {
        return claims.path("exp").asLong(0);
    }

    public long notBefore() {
        return claims.path("nbf").asLong(0);
    }

    /** The {@code nats} block. */
    public JsonNode nats() {
        return claims.path("nats");
    }

    /** {@code nats.type}: operator, account, user, activation ... */
    public String type() {
        return nats().path("type").asText(null);
    }

    /** True if the signature was made by {@code publicKey} (an nkey of the given type). */
    public boolean signedBy(String publicKey, int prefix) {
        return NKeys.verify(publicKey, prefix, signingInput, signature);
    }

    /** Checks {@code exp} and {@code nbf} against now (seconds since the epoch). */
    public void checkTimes(long nowSeconds) throws JwtException {
        if (expires() > 0 && nowSeconds >= expires()) {
            throw new JwtException("expired");
        }
        if (notBefore() > 0 && nowSeconds < notBefore()) {
            throw new JwtException("not yet valid");
        }
    }
}
