package io.natsjvm.server.auth;

import java.time.Duration;

/**
 * allow_responses: the client may publish to reply subjects of messages it received, up to
 * {@code maxMessages} replies each, within {@code expires} (zero means no time limit).
 */
public record ResponsePermission(int maxMessages, Duration expires) {
    public static final ResponsePermission DEFAULT = new ResponsePermission(1, Duration.ZERO);
}
