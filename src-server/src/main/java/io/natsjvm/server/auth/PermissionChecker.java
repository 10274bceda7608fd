package io.natsjvm.server.auth;

import io.natsjvm.server.delivery.Subjects;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies one connection's {@link Permissions}. Publish and subscribe checks run on the
 * connection's own event loop and use a plain cache; delivery-time deny checks and reply
 * tracking are called from publishers' event loops and use concurrent maps.
 */
public final class PermissionChecker {
    private static final int CACHE_MAX = 256;
    private static final int REPLY_MAX = 10_000;

    private final Permissions perms;
    private final Map<String, Boolean> publishCache = new HashMap<>();
    private final Map<String, Boolean> denyCache = new ConcurrentHashMap<>();
    private final Map<String, Reply> replies;

    private static final class Reply {
        int count;
        final long deadlineNanos;

        Reply(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    public PermissionChecker(Permissions perms) {
        this.perms = perms;
        this.replies = perms.response() == null ? null : new ConcurrentHashMap<>();
    }

    /** The permissions checked (normalized as the login left them). */
    public Permissions permissions() {
        return perms;
    }

    /** True if a delivered message's reply subject must be remembered for allow_responses. */
    public boolean tracksReplies() {
        return replies != null;
    }

    /** True if deliveries must be checked against subscribe deny rules. */
    public boolean hasSubscribeDeny() {
        SubjectPermission s = perms.subscribe();
        return s != null && s.deny() != null && !s.deny().isEmpty();
    }

    public boolean canPublish(String subject) {
        SubjectPermission p = perms.publish();
        if (p == null || p.isEmpty()) {
            return true;
        }
        Boolean cached = publishCache.get(subject);
        boolean allowed;
        if (cached != null) {
            allowed = cached;
        } else {
            allowed = (p.allow() == null || anyMatch(p.allow(), subject))
                    && (p.deny() == null || !anyMatch(p.deny(), subject));
            if (publishCache.size() >= CACHE_MAX) {
                publishCache.clear();
            }
            publishCache.put(subject, allowed);
        }
        if (allowed) {
            return true;
        }
        return replies != null && consumeReply(subject);
    }

    private boolean consumeReply(String subject) {
        Reply r = replies.get(subject);
        if (r == null) {
            return false;
        }
        ResponsePermission rp = perms.response();
        if (r.deadlineNanos != 0 && System.nanoTime() - r.deadlineNanos > 0) {
            replies.remove(subject);
            return false;
        }
        r.count++;
        if (rp.maxMessages() > 0 && r.count >= rp.maxMessages()) {
            replies.remove(subject);
        }
        return true;
    }

    /** Remembers a reply subject this connection may answer (allow_responses). Any thread. */
    public void trackReply(String reply) {
        if (replies.size() >= REPLY_MAX) {
            long now = System.nanoTime();
            replies.values().removeIf(r -> r.deadlineNanos != 0 && now - r.deadlineNanos > 0);
            if (replies.size() >= REPLY_MAX) {
                replies.clear();
            }
        }
        long expires = perms.response().expires().toNanos();
        replies.put(reply, new Reply(expires == 0 ? 0 : System.nanoTime() + expires));
    }

    public boolean canSubscribe(String subject, String queue) {
        SubjectPermission s = perms.subscribe();
        if (s == null || s.isEmpty()) {
            return true;
        }
        if (s.allow() != null && !anySubscribeMatch(s.allow(), subject, queue)) {
            return false;
        }
        return s.deny() == null || !anySubscribeMatch(s.deny(), subject, queue);
    }

    /** True if a message on {@code subject} must not be delivered (matches a subscribe deny rule). */
    public boolean deliveryDenied(String subject) {
        Boolean cached = denyCache.get(subject);
        if (cached != null) {
            return cached;
        }
        boolean denied = anySubscribeMatch(perms.subscribe().deny(), subject, null);
        if (denyCache.size() >= CACHE_MAX) {
            denyCache.clear();
        }
        denyCache.put(subject, denied);
        return denied;
    }

    private static boolean anyMatch(List<String> filters, String subject) {
        for (String f : filters) {
            if (Subjects.matches(f, subject)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anySubscribeMatch(List<String> entries, String subject, String queue) {
        for (String e : entries) {
            int sp = e.indexOf(' ');
            if (sp < 0) {
                if (Subjects.matches(e, subject)) {
                    return true;
                }
            } else if (queue != null) {
                String filter = e.substring(0, sp).trim();
                String q = e.substring(sp + 1).trim();
                if (Subjects.matches(filter, subject) && (q.equals(queue) || Subjects.matches(q, queue))) {
                    return true;
                }
            }
        }
        return false;
    }
}
