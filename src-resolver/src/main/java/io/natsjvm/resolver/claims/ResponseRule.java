package io.natsjvm.resolver.claims;

/** {@code resp}: how many replies a user may send to a requester, and for how long (0 = default). */
public record ResponseRule(int max, long ttlNanos) {
}
