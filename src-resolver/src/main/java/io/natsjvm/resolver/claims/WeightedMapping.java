package io.natsjvm.resolver.claims;

/**
 * One destination of an account JWT's subject mapping ({@code nats.mappings}): its subject, its
 * weight in percent (the JWT's 0 means 100, as the Go library reads it) and an optional cluster
 * the destination is scoped to.
 */
public record WeightedMapping(String subject, int weight, String cluster) {
}
