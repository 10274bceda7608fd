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

    /** {@code restricted} has the permissions, {@code open} none; checks both directions. */
    private static void onlyPermittedSubjectsCross(String restricted, String open) throws Exception {
        try (Connection r = Interest.connect(restricted); Connection o = Interest.connect(open)) {
            // export: the open side's interest in out.* is accepted, in secret.* is not
            Subscription outSub = o.subscribe("out.x");
            Subscription secretSub = o.subscribe("secret.x");
            o.flush(Duration.ofSeconds(2));
            Interest.awaitInterest(r, outSub, "out.x");
            r.publish("secret.x", "must not cross".getBytes());
            r.publish("out.x", "exported".getBytes());
            Message m = outSub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m);
            assertEquals("exported", new String(m.getData()));
            assertEquals(null, secretSub.nextMessage(Duration.ofMillis(300)), "secret.x is not exported");

            // import: the restricted side's interest in in.* is sent, in private.* is not
            Subscription inSub = r.subscribe("in.x");
            Subscription privateSub = r.subscribe("private.x");
            r.flush(Duration.ofSeconds(2));
            Interest.awaitInterest(o, inSub, "in.x");
            o.publish("private.x", "must not cross".getBytes());
            o.publish("in.x", "imported".getBytes());
            m = inSub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m);
            assertEquals("imported", new String(m.getData()));
            assertEquals(null, privateSub.nextMessage(Duration.ofMillis(300)), "private.x is not imported");
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
