package io.natsjvm.server.auth;

import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code resolver_pinned_accounts}: in operator mode only users of the pinned accounts (and of
 * the system account) log in; others get the Authorization Violation, as from nats-server 2.9.10;
 * VARZ counts the refusals.
 */
class PinnedAccountsTest {
    private final JwtFixture f = new JwtFixture(n -> { });

    private List<String> verdicts(int port) throws Exception {
        List<String> out = new ArrayList<>();
        NKeyPair app = NKeyPair.create(NKeys.PREFIX_USER);
        NKeyPair sys = NKeyPair.create(NKeys.PREFIX_USER);
        for (String[] who : new String[][] {{"app", JwtFixture.user(app, f.app, "app", u -> { }), "a"},
                {"sys", JwtFixture.user(sys, f.sys, "sys", u -> { }), "s"}}) {
            try (RawClient raw = JwtFixture.rawLoginThen(port, who[1], who[2].equals("a") ? app : sys, "PING\r\n")) {
                out.add(who[0] + ": " + raw.readLine());
            }
        }
        return out;
    }

    @Test
    void onlyPinnedAccountsAndTheSystemAccountLogIn() throws Exception {
        String conf = f.config() + "resolver_pinned_accounts: [" + NKeyPair.create(NKeys.PREFIX_ACCOUNT).publicKey() + "]\n";
        List<String> ours;
        try (TestServer java = TestServer.fromConfig(conf)) {
            ours = verdicts(java.port());
            assertEquals(1L, ((Number) java.server().monitor().varz().get("pinned_account_fails")).longValue());
        }
        assertEquals(List.of("app: -ERR 'Authorization Violation'", "sys: PONG"), ours);
        try (ReferenceServer ref = ReferenceServer.start(conf)) {
            assertEquals(verdicts(ref.port()), ours);
        }
        String pinned = f.config() + "resolver_pinned_accounts: " + f.app.publicKey() + "\n";
        try (TestServer java = TestServer.fromConfig(pinned)) {
            assertEquals(List.of("app: PONG", "sys: PONG"), verdicts(java.port()));
        }
    }
}
