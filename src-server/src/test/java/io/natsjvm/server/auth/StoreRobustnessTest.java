package io.natsjvm.server.auth;

import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bad files in the JWT directory and bad preload entries refuse their own account only: the
 * server starts, the other accounts log in.
 */
class StoreRobustnessTest {
    @Test
    void unreadableNonUtf8TruncatedAndMisnamedFilesAreSkipped() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        Path dir = Files.createTempDirectory("jwt-store");
        NKeyPair broken = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        NKeyPair truncated = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        Files.write(dir.resolve(broken.publicKey() + ".jwt"), new byte[] {(byte) 0xff, (byte) 0xfe, 'e', 'y', 'J'});
        Files.writeString(dir.resolve(truncated.publicKey() + ".jwt"), f.appJwt.substring(0, 40));
        Files.writeString(dir.resolve("not-a-key.jwt"), f.appJwt);
        Files.createDirectory(dir.resolve(NKeyPair.create(NKeys.PREFIX_ACCOUNT).publicKey() + ".jwt"));
        Files.writeString(dir.resolve(f.app.publicKey() + ".jwt"), f.appJwt);
        try (TestServer s = TestServer.fromConfig(FullResolverTest.config(f, dir))) {
            NKeyPair alice = NKeyPair.create(NKeys.PREFIX_USER);
            JwtFixture.rawLogin(s, JwtFixture.user(alice, f.app, "alice", c -> { }), alice, true).close();
            NKeyPair bob = NKeyPair.create(NKeys.PREFIX_USER);
            try (RawClient raw = JwtFixture.rawLogin(s, JwtFixture.user(bob, broken, "bob", c -> { }), bob, false)) {
                raw.expect("-ERR 'Authorization Violation'");
            }
        }
    }

    @Test
    void aBadPreloadEntryRefusesOnlyItsAccount() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        NKeyPair other = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        String config = f.config().replace("\n}\n", "\n  " + other.publicKey() + ": not-a-jwt\n}\n");
        try (TestServer s = TestServer.fromConfig(config)) {
            NKeyPair alice = NKeyPair.create(NKeys.PREFIX_USER);
            JwtFixture.rawLogin(s, JwtFixture.user(alice, f.app, "alice", c -> { }), alice, true).close();
            NKeyPair bob = NKeyPair.create(NKeys.PREFIX_USER);
            try (RawClient raw = JwtFixture.rawLogin(s, JwtFixture.user(bob, other, "bob", c -> { }), bob, false)) {
                raw.expect("-ERR 'Authorization Violation'");
            }
        }
    }
}
