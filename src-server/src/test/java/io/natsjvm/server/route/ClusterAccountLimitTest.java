package io.natsjvm.server.route;

import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.natsjvm.server.route.MixedClusterTest.clusterConf;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An account's conn limit counts the connections of every server in the cluster. */
class ClusterAccountLimitTest {

    private static String user(JwtFixture f, NKeyPair u) {
        return JwtFixture.user(u, f.app, "u", c -> { });
    }

    @Test
    void aLoginOverTheClusterWideCountIsRefusedOnEitherNode() throws Exception {
        JwtFixture f = new JwtFixture(n -> n.with("limits").put("conn", 2));
        int jc = Sockets.freePort();
        try (TestServer java = TestServer.fromConfig(f.config() + clusterConf(jc));
                ReferenceServer ref = ReferenceServer.start(f.config() + clusterConf(Sockets.freePort(), jc))) {
            Await.until(() -> java.server().routes().routes().size() == 1, "route up");
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = user(f, u);
            try (RawClient onRef = JwtFixture.rawLogin(ref.port(), jwt, u, true);
                    RawClient onJava = JwtFixture.rawLogin(java.port(), jwt, u, true)) {
                Account app = java.server().accounts().get(f.app.publicKey());
                Await.until(() -> app.remoteConnections() == 1, "the reference's count reached this server");
                try (RawClient third = JwtFixture.rawLogin(java.port(), jwt, u, false)) {
                    assertEquals("-ERR 'maximum account active connections exceeded'", third.readLine());
                }
                // and the reference counts this server's connection
                try (RawClient third = JwtFixture.rawLogin(ref.port(), jwt, u, false)) {
                    String line = third.readLine();
                    assertEquals("-ERR 'maximum account active connections exceeded'", line, ref.log());
                }
                ref.close(); // its SHUTDOWN event: its connections no longer count here
                Await.until(() -> app.remoteConnections() == 0, "the reference's count dropped on its SHUTDOWN");
            }
        }
    }

    @Test
    void whenTheClusterEndsUpOverTheLimitTheNewestLocalConnectionsAreClosed() throws Exception {
        JwtFixture f = new JwtFixture(n -> n.with("limits").put("conn", 2));
        try (TestServer java = TestServer.fromConfig(f.config() + clusterConf(Sockets.freePort()))) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = user(f, u);
            NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
            String adminJwt = JwtFixture.user(admin, f.sys, "admin", c -> { });
            try (RawClient older = JwtFixture.rawLogin(java.port(), jwt, u, true);
                    RawClient newer = JwtFixture.rawLogin(java.port(), jwt, u, true);
                    RawClient sys = JwtFixture.rawLogin(java.port(), adminJwt, admin, true)) {
                // another server reports one connection of the account: 3 > 2
                String event = "{\"server\":{\"id\":\"NOTHERSERVER\"},\"acc\":\"" + f.app.publicKey() + "\",\"conns\":1}";
                sys.send("PUB $SYS.SERVER.ACCOUNT." + f.app.publicKey() + ".CONNS "
                        + event.getBytes(StandardCharsets.UTF_8).length + "\r\n" + event + "\r\nPING\r\n");
                sys.expect("PONG");
                assertEquals("-ERR 'maximum account active connections exceeded'", newer.readLine());
                older.send("PING\r\n").expect("PONG");
                Account app = java.server().accounts().get(f.app.publicKey());
                Await.until(() -> app.connections() == 1, "the newest connection closed");
            }
        }
    }
}
