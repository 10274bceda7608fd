package io.natsjvm.resolver.jwt;

/** A token that is not acceptable; the message says precisely why (for logs and AUTH.ERR). */
public final class JwtException extends Exception {
    public JwtException(String reason) {
        super(reason);
    }
}
