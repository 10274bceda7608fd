package io.natsjvm.resolver.claims;

import java.util.List;

/**
 * What a user may do and how much: the permission and limit fields of a user JWT, and the
 * template of a scoped signing key, which replaces them for every user that key signs.
 * Limits use -1 for "no limit".
 */
public record UserLimits(
        SubjectRules pub,
        SubjectRules sub,
        ResponseRule resp,
        List<String> src,
        long subs,
        long data,
        long payload,
        boolean bearerToken,
        List<String> allowedConnectionTypes,
        ConnectTimes times) {

    public UserLimits {
        src = List.copyOf(src);
        allowedConnectionTypes = List.copyOf(allowedConnectionTypes);
    }
}
