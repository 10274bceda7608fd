package io.natsjvm.server.auth;

import java.util.List;

/**
 * Allow and deny lists for publish or subscribe. A null list means "not set" (no restriction
 * from it); an empty allow list allows nothing. Subscribe entries may carry a queue group as
 * {@code "subject queue"}.
 */
public record SubjectPermission(List<String> allow, List<String> deny) {
    public SubjectPermission {
        allow = allow == null ? null : List.copyOf(allow);
        deny = deny == null ? null : List.copyOf(deny);
    }

    public boolean isEmpty() {
        return allow == null && deny == null;
    }
}
