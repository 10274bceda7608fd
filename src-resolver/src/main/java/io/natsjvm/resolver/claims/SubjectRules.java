package io.natsjvm.resolver.claims;

import java.util.List;

/** Publish or subscribe permissions from a JWT: allow and deny lists (empty = no rule). */
public record SubjectRules(List<String> allow, List<String> deny) {
    public static final SubjectRules NONE = new SubjectRules(List.of(), List.of());

    public SubjectRules {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
