package io.natsjvm.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hot-reloadable trust (nats-server needs a restart for it): a server process whose operator
 * file gains a signing key and then loses one, reloaded by SIGHUP each time.
 */
class TrustReloadTest {
    private final JwtFixture f = new JwtFixture(n -> { });
    /** A second operator signing key, trusted only after the first reload. */
    private final NKeyPair newSigner = NKeyPair.create(NKeys.PREFIX_OPERATOR);
    private final NKeyPair app2 = NKeyPair.create(NKeys.PREFIX_ACCOUNT);

    private String operatorJwt(NKeyPair... signers) {
        ObjectNode op = JwtFixture.claims(f.operator.publicKey(), "operator", "OP");
        var keys = op.with("nats").putArray("signing_keys");
        for (NKeyPair s : signers) {
            keys.add(s.publicKey());
        }
        op.with("nats").put("system_account", f.sys.publicKey());
        return Jwts.sign(op, f.operator);
    }

    private static void awaitLog(ServerProcess p, String text, int times) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (p.log().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
                return;
            }
            Thread.sleep(20); // another process's log file: no event to await
        }
        throw new AssertionError("no \"" + text + "\" (x" + times + ") in the log:\n" + p.log());
    }

    @Test
    void aSigningKeyAddedIsTrustedAtOnceAndOneRemovedClosesItsAccounts() throws Exception {
        String app2Jwt = Jwts.sign(JwtFixture.claims(app2.publicKey(), "account", "APP2"), newSigner);
        int port = Sockets.freePort();
        String config = "operator: \"$DIR/op.jwt\"\nsystem_account: " + f.sys.publicKey() + "\nresolver: MEMORY\n"
                + "resolver_preload: {\n  " + f.sys.publicKey() + ": " + f.sysJwt + "\n  " + f.app.publicKey() + ": "
                + f.appJwt + "\n  " + app2.publicKey() + ": " + app2Jwt + "\n}\n";
        try (ServerProcess server = new ServerProcess(config, port)) {
            Path op = server.dir().resolve("op.jwt");
            Files.writeString(op, operatorJwt(f.operatorSigner));
            server.start();
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            NKeyPair u2 = NKeyPair.create(NKeys.PREFIX_USER);
            String user = JwtFixture.user(u, f.app, "u", c -> { });
            String user2 = JwtFixture.user(u2, app2, "u2", c -> { });
            try (RawClient refused = JwtFixture.rawLogin(port, user2, u2, false)) {
                refused.expect("-ERR 'Authorization Violation'");
            }
            try (RawClient onOldKey = JwtFixture.rawLogin(port, user, u, true)) {
                // 1. the new signing key is added: APP2 (signed by it) can log in at once
                Files.writeString(op, operatorJwt(f.operatorSigner, newSigner));
                server.signal("HUP");
                awaitLog(server, "Reloaded: trusted keys (1 added, 0 removed)", 1);
                try (RawClient onNewKey = JwtFixture.rawLogin(port, user2, u2, true)) {
                    onOldKey.send("PING\r\n").expect("PONG");

                    // 2. the old signing key is removed: APP's connections close, APP2's stay
                    Files.writeString(op, operatorJwt(newSigner));
                    server.signal("HUP");
                    onOldKey.expect("-ERR 'Account Authentication Expired'");
                    onOldKey.expectClosed();
                    onNewKey.send("PING\r\n").expect("PONG");
                    awaitLog(server, "Reloaded: trusted keys (0 added, 1 removed)", 1);
                    try (RawClient again = JwtFixture.rawLogin(port, user, u, false)) {
                        again.expect("-ERR 'Authorization Violation'");
                    }
                }
            }
            // 3. an unreadable operator file refuses the reload and changes nothing
            Files.writeString(op, "not a jwt");
            server.signal("HUP");
            awaitLog(server, "Failed to reload server configuration", 1);
            try (RawClient stillTrusted = JwtFixture.rawLogin(port, user2, u2, true)) {
                stillTrusted.send("PING\r\n").expect("PONG");
            }
            assertTrue(server.log().contains("no longer trusted: 1 connections closed"), server.log());
        }
    }
}
