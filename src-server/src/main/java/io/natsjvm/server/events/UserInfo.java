package io.natsjvm.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.auth.SubjectPermission;
import io.natsjvm.server.client.ClientIdentity;

import java.util.List;

/**
 * The data of nats-server 2.10's {@code $SYS.REQ.USER.INFO} reply: who the requester is logged
 * in as, its account, its permissions (absent when unrestricted) and, for a JWT with an expiry,
 * the time left in nanoseconds, whole seconds (absent when it never expires).
 */
@JsonInclude(Include.NON_EMPTY)
public record UserInfo(@JsonInclude(Include.ALWAYS) String user, @JsonInclude(Include.ALWAYS) String account,
        Granted permissions, @JsonInclude(Include.NON_DEFAULT) long expires) {

    /** Publish and subscribe are always present (empty when not restricted); responses only when set. */
    @JsonInclude(Include.NON_NULL)
    public record Granted(Lists publish, Lists subscribe, Responses responses) {
    }

    @JsonInclude(Include.NON_EMPTY)
    public record Lists(List<String> allow, List<String> deny) {
        static Lists of(SubjectPermission p) {
            return p == null ? new Lists(null, null) : new Lists(p.allow(), p.deny());
        }
    }

    /** {@code ttl} in nanoseconds, as Go encodes a duration. */
    public record Responses(int max, long ttl) {
    }

    public static UserInfo of(ClientIdentity id, long nowMillis) {
        Granted granted = null;
        if (id.permissions() != null) {
            Permissions p = id.permissions().permissions();
            granted = new Granted(Lists.of(p.publish()), Lists.of(p.subscribe()), p.response() == null ? null
                    : new Responses(p.response().maxMessages(), p.response().expires().toNanos()));
        }
        long expires = 0;
        if (id.jwt() != null && id.jwt().expires() != 0) {
            long leftSeconds = Math.max(0, (id.jwt().expires() * 1000 - nowMillis) / 1000);
            expires = leftSeconds * 1_000_000_000L;
        }
        return new UserInfo(id.user(), id.account() == null ? null : id.account().name(), granted, expires);
    }
}
