package io.natsjvm.server.route;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@code cluster { permissions { import, export } }}: the node with them sends interest only for
 * what it may import and accepts remote interest only for what it may export, so messages cross
 * the route only where both allow. The same checks with the permissions on a nats-server node
 * instead give the same results.
 */
class RoutePermissionsTest {
    private static final String PERMS = "  permissions { import: [\"in.>\"], export: [\"out.>\"] }\n";

    static String conf(int port, String extra, int... routes) {
        StringBuilder sb = new StringBuilder("cluster {\n  name: perms\n  listen: 127.0.0.1:" + port + "\n" + extra);
        for (int r : routes) {
            sb.append("  routes: [ nats-route://127.0.0.1:").append(r).append(" ]\n");
        }
        return sb.append("}\n").toString();
    }

    /** Subscribes {@code on} to both subjects; from {@code from} only {@code allowed} arrives. */
    private static void crossesOnlyWhereAllowed(Connection from, Connection on, String allowed, String payload,
            String denied, String deniedMessage) throws Exception {
        Subscription allowedSub = on.subscribe(allowed);
        Subscription deniedSub = on.subscribe(denied);
        on.flush(Duration.ofSeconds(2));
        Interest.awaitInterest(from, allowedSub, allowed);
        from.publish(denied, "must not cross".getBytes());
        from.publish(allowed, payload.getBytes());
        Message m = allowedSub.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m);
        assertEquals(payload, new String(m.getData()));
        assertEquals(null, deniedSub.nextMessage(Duration.ofMillis(300)), deniedMessage);
    }

    /** {@code restricted} has the permissions, {@code open} none; checks both directions. */
    private static void onlyPermittedSubjectsCross(String restricted, String open) throws Exception {
        try (Connection r = Interest.connect(restricted); Connection o = Interest.connect(open)) {
            // export: the open side's interest in out.* is accepted, in secret.* is not
            crossesOnlyWhereAllowed(r, o, "out.x", "exported", "secret.x", "secret.x is not exported");
            // import: the restricted side's interest in in.* is sent, in private.* is not
            crossesOnlyWhereAllowed(o, r, "in.x", "imported", "private.x", "private.x is not imported");
        }
    }

    @Test
    void thisServerWithPermissions() throws Exception {
        try (TestServer java = TestServer.fromConfig(conf(-1, PERMS))) {
            try (ReferenceServer ref = ReferenceServer.start(conf(Sockets.freePort(), "",
                    java.server().routes().port()))) {
                Await.until(() -> java.server().routes().routes().size() == 1, "route up");
                onlyPermittedSubjectsCross(java.url(), ref.url());
            }
        }
    }

    @Test
    void natsServerWithPermissionsBehavesTheSame() throws Exception {
        try (TestServer java = TestServer.fromConfig(conf(-1, ""))) {
            try (ReferenceServer ref = ReferenceServer.start(conf(Sockets.freePort(), PERMS,
                    java.server().routes().port()))) {
                Await.until(() -> java.server().routes().routes().size() == 1, "route up");
                onlyPermittedSubjectsCross(ref.url(), java.url());
            }
        }
    }
}
