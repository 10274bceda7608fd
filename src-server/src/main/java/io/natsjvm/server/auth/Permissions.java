package io.natsjvm.server.auth;

import java.util.List;

/** A user's publish/subscribe permissions; null parts are unrestricted. */
public record Permissions(SubjectPermission publish, SubjectPermission subscribe, ResponsePermission response) {
    public static final Permissions NONE = new Permissions(null, null, null);

    /**
     * As the reference does: response permissions without an explicit publish allow list mean
     * "publish only replies".
     */
    public Permissions normalized() {
        if (response != null && (publish == null || publish.allow() == null)) {
            return new Permissions(new SubjectPermission(List.of(), publish == null ? null : publish.deny()),
                    subscribe, response);
        }
        return this;
    }

    public boolean isUnrestricted() {
        return (publish == null || publish.isEmpty()) && (subscribe == null || subscribe.isEmpty()) && response == null;
    }
}
