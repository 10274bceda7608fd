package io.natsjvm.resolver.claims;

/** An account's limits (-1 = unlimited), as {@code nats.limits} carries them. */
public record AccountLimits(long subs, long data, long payload, long imports, long exports, boolean wildcards,
        long conn, long leaf, boolean disallowBearer) {
    public static final AccountLimits UNLIMITED = new AccountLimits(-1, -1, -1, -1, -1, true, -1, -1, false);
}
