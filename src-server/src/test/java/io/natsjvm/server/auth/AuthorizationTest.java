package io.natsjvm.server.auth;
import at.favre.lib.crypto.bcrypt.BCrypt;
import io.nats.client.Connection;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** user/password, bcrypt, token and per-user permissions from the config file. */
class AuthorizationTest {
    @Test
    void userPasswordThroughJnats() throws Exception {
        try (TestServer s = TestServer.fromConfig("authorization { user: bob, password: pw }")) {
            try (Connection nc = s.connect(b -> b.userInfo("bob", "pw"))) {
                assertEquals(Connection.Status.CONNECTED, nc.getStatus());
            }
            assertThrows(Exception.class, () -> s.connect(b -> b.userInfo("bob", "wrong")));
            assertEquals(1, s.server().authFailureCount());
        }
    }

    @Test
    void tokenAuth() throws Exception {
        try (TestServer s = TestServer.fromConfig("authorization { token: t0ken }")) {
            try (Connection nc = s.connect(b -> b.token("t0ken".toCharArray()))) {
                assertEquals(Connection.Status.CONNECTED, nc.getStatus());
            }
            try (RawClient c = s.raw()) {
                c.send("CONNECT {\"auth_token\":\"nope\"}\r\n").expect("-ERR 'Authorization Violation'").expectClosed();
            }
        }
    }

    @Test
    void bcryptPasswords() throws Exception {
        String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
        try (TestServer s = TestServer.fromConfig("authorization { users: [ {user: carol, password: \"" + hash + "\"} ] }")) {
            try (RawClient c = s.raw()) {
                c.connect("{\"user\":\"carol\",\"pass\":\"s3cret\"}");
            }
            try (RawClient c = s.raw()) {
                c.connect("{\"user\":\"carol\",\"pass\":\"s3cret\"}"); // cached verification
            }
            try (RawClient c = s.raw()) {
                c.send("CONNECT {\"user\":\"carol\",\"pass\":\"" + "$2a$0" + "\"}\r\n")
                        .expect("-ERR 'Authorization Violation'").expectClosed();
            }
        }
    }

    @Test
    void publishAndSubscribePermissions() throws Exception {
        try (TestServer s = TestServer.fromConfig("""
                authorization {
                  users: [
                    {user: limited, password: pw, permissions: {
                        publish: { allow: ["ok.>", "_INBOX.>"], deny: ["ok.secret"] }
                        subscribe: { allow: ["in.*", "q.work workers"], deny: "in.hidden" }
                    }}
                    {user: admin, password: pw}
                  ]
                }
                """); RawClient c = s.raw(); RawClient admin = s.raw()) {
            c.connect("{\"user\":\"limited\",\"pass\":\"pw\"}");
            admin.connect("{\"user\":\"admin\",\"pass\":\"pw\"}");
            c.send("PUB denied.x 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"denied.x\"'");
            c.send("PUB ok.secret 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"ok.secret\"'");
            c.send("SUB secret.y 1\r\n").expect("-ERR 'Permissions Violation for Subscription to \"secret.y\"'");
            c.send("SUB in.hidden 2\r\n").expect("-ERR 'Permissions Violation for Subscription to \"in.hidden\"'");
            c.send("SUB q.work 3\r\n").expect("-ERR 'Permissions Violation for Subscription to \"q.work\"'");
            c.send("SUB q.work other 4\r\n")
                    .expect("-ERR 'Permissions Violation for Subscription to \"q.work\" using queue \"other\"'");
            c.send("SUB q.work workers 5\r\nSUB in.* 6\r\n").expectAlive();
            // Allowed wildcard subscription still never receives a denied subject.
            admin.send("PUB in.hidden 1\r\nh\r\nPUB in.open 1\r\no\r\nPUB q.work 1\r\nw\r\n").expectAlive();
            c.expect("MSG in.open 6 1").expect("o").expect("MSG q.work 5 1").expect("w");
            c.send("PUB ok.fine 1\r\nx\r\n").expectAlive();
        }
    }

    @Test
    void allowResponsesLetsAServiceReplyOnce() throws Exception {
        try (TestServer s = TestServer.fromConfig("""
                authorization {
                  users: [
                    {user: svc, password: pw, permissions: { subscribe: "svc.>", allow_responses: true }}
                    {user: client, password: pw}
                  ]
                }
                """); RawClient svc = s.raw(); RawClient client = s.raw()) {
            svc.connect("{\"user\":\"svc\",\"pass\":\"pw\"}");
            client.connect("{\"user\":\"client\",\"pass\":\"pw\"}");
            svc.send("SUB svc.echo 1\r\n").expectAlive();
            client.send("SUB reply.1 9\r\nPUB svc.echo reply.1 2\r\nhi\r\n").expectAlive();
            svc.expect("MSG svc.echo 1 reply.1 2").expect("hi");
            svc.send("PUB reply.1 2\r\nok\r\n").expectAlive();
            client.expect("MSG reply.1 9 2").expect("ok");
            svc.send("PUB reply.1 2\r\nno\r\n").expect("-ERR 'Permissions Violation for Publish to \"reply.1\"'");
            svc.send("PUB elsewhere 1\r\nx\r\n").expect("-ERR 'Permissions Violation for Publish to \"elsewhere\"'");
        }
    }

    @Test
    void jnatsSeesPermissionErrors() throws Exception {
        try (TestServer s = TestServer.fromConfig("""
                authorization { users: [ {user: u, password: p, permissions: { publish: "allowed" }} ] }
                """)) {
            CompletableFuture<String> err = new CompletableFuture<>();
            try (Connection nc = s.connect(b -> {
                b.userInfo("u", "p").errorListener(new io.nats.client.ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        err.complete(error);
                    }
                });
            })) {
                nc.publish("forbidden", null);
                assertEquals("Permissions Violation for Publish to \"forbidden\"",
                        err.get(5, TimeUnit.SECONDS));
            }
        }
    }

    /** Signs the server's nonce with a jnats NKey, as a client with an nkey seed does. */
    static io.nats.client.AuthHandler nkeyAuth(io.nats.client.NKey key) {
        return new io.nats.client.AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return key.sign(nonce);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return key.getPublicKey();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }

    @Test
    void nkeyUserLogsInBySigningTheNonce() throws Exception {
        io.nats.client.NKey user = io.nats.client.NKey.createUser(null);
        io.nats.client.NKey stranger = io.nats.client.NKey.createUser(null);
        String pub = new String(user.getPublicKey());
        String config = "accounts: { USERS: { users: [ {nkey: " + pub + "} ] } }\n";
        try (TestServer s = TestServer.fromConfig(config)) {
            try (Connection c = s.connect(o -> o.authHandler(nkeyAuth(user)))) {
                var sub = c.subscribe("n");
                c.publish("n", "hi".getBytes());
                assertEquals("hi", new String(sub.nextMessage(Duration.ofSeconds(2)).getData()));
                assertEquals("USERS", s.server().clients().iterator().next().account().name());
                assertEquals(pub, s.server().clients().iterator().next().user());
            }
            assertThrows(Exception.class, () -> s.connect(o -> o.authHandler(nkeyAuth(stranger)).maxReconnects(0)));
            try (RawClient raw = s.raw()) {
                org.junit.jupiter.api.Assertions.assertTrue(raw.info().contains("\"nonce\":\""), raw.info());
                raw.send("CONNECT {\"nkey\":\"" + pub + "\",\"sig\":\"AAAA\"}\r\n");
                raw.expect("-ERR 'Authorization Violation'");
                raw.expectClosed();
            }
        }
    }

    /** nats-server authenticates every CONNECT, not only the first (compared against 2.9.10). */
    @Test
    void aLaterConnectIsAuthenticatedAgainAndTakesOnItsUser() throws Exception {
        try (TestServer s = TestServer.fromConfig("""
                accounts {
                  A: { users: [ {user: a, password: a}, {user: b, password: b, permissions: {publish: "foo"}} ] }
                  B: { users: [ {user: other, password: o} ] }
                }
                """); RawClient c = s.raw(); RawClient watcher = s.raw()) {
            c.connect("{\"user\":\"a\",\"pass\":\"a\"}");
            c.send("CONNECT {\"user\":\"b\",\"pass\":\"b\"}\r\nPUB x 0\r\n\r\nPING\r\n")
                    .expect("-ERR 'Permissions Violation for Publish to \"x\"'").expect("PONG");
            // The same connection in account B now: it hears B's traffic with its subscription.
            c.send("SUB news 1\r\nCONNECT {\"user\":\"other\",\"pass\":\"o\"}\r\nPING\r\n").expect("PONG");
            watcher.connect("{\"user\":\"other\",\"pass\":\"o\"}");
            watcher.send("PUB news 2\r\nhi\r\nPING\r\n").expect("PONG");
            c.expect("MSG news 1 2").expect("hi");
            assertEquals(0, s.server().account("A").connections());
            assertEquals(2, s.server().account("B").connections());
            c.send("CONNECT {\"pass\":\"wrong\"}\r\nPING\r\n").expect("-ERR 'Authorization Violation'").expectClosed();
        }
    }
}
