package io.natsjvm.server.client;

import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.RawClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What an account block of the config puts in force besides its users: {@code limits {}}
 * (max_connections, max_subscriptions, max_payload) and {@code default_permissions} for users
 * without their own, enforced as nats-server 2.9.10 enforces them: the same replies to the same
 * sessions on both servers.
 */
class ConfigAccountsTest {
    private static final String CONF = """
            accounts {
              A { users = [ {user: a, password: a} ], limits { max_connections: 2, max_subscriptions: 2, max_payload: 10 } }
              B { users = [ {user: b, password: b} ] }
            }
            """;

    /** What a session of logins, subscriptions and publishes gets back, line by line. */
    private static List<String> session(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a1 = new RawClient(port); RawClient a2 = new RawClient(port); RawClient a3 = new RawClient(port);
                RawClient b = new RawClient(port)) {
            a1.connect("{\"user\":\"a\",\"pass\":\"a\",\"verbose\":false}");
            a2.connect("{\"user\":\"a\",\"pass\":\"a\",\"verbose\":false}");
            a3.send("CONNECT {\"user\":\"a\",\"pass\":\"a\",\"verbose\":false}\r\nPING\r\n");
            out.add("third a: " + a3.readLine());
            a1.send("SUB x 1\r\nSUB y 2\r\nSUB z 3\r\nPING\r\n");
            out.add("third sub: " + a1.readLine());
            out.add("then: " + a1.readLine());
            b.connect("{\"user\":\"b\",\"pass\":\"b\",\"verbose\":false}");
            b.send("SUB x 1\r\nSUB y 2\r\nSUB z 3\r\nPUB x 20\r\n01234567890123456789\r\nPING\r\n");
            out.add("b unlimited: " + b.readLine() + " / " + b.readLine());
            a2.send("PUB x 20\r\n01234567890123456789\r\nPING\r\n");
            out.add("a payload: " + a2.readLine());
        }
        return out;
    }

    @Test
    void configAccountLimitsAreEnforcedAsTheReferenceEnforcesThem() throws Exception {
        List<String> ours = Differential.sameAsReference(CONF, ConfigAccountsTest::session);
        assertEquals("third a: -ERR 'maximum account active connections exceeded'", ours.get(0));
    }

    private static final String DEFAULTS = """
            accounts {
              A {
                users = [ {user: a, password: a}, {user: c, password: c, permissions: {publish: "z"}} ]
                default_permissions: { publish: "ok.>", subscribe: "ok.>" }
              }
            }
            """;

    private static List<String> defaultsSession(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a = new RawClient(port); RawClient c = new RawClient(port)) {
            a.connect("{\"user\":\"a\",\"pass\":\"a\"}");
            c.connect("{\"user\":\"c\",\"pass\":\"c\"}");
            a.send("SUB x 1\r\nPUB x 0\r\n\r\nSUB ok.1 2\r\nPUB ok.1 0\r\n\r\nPING\r\n");
            for (int i = 0; i < 4; i++) {
                out.add("a: " + a.readLine());
            }
            c.send("PUB ok.1 0\r\n\r\nPUB z 0\r\n\r\nPING\r\n");
            out.add("c: " + c.readLine());
            out.add("c: " + c.readLine());
        }
        return out;
    }

    @Test
    void anAccountsDefaultPermissionsApplyToItsUsersWithoutTheirOwn() throws Exception {
        List<String> ours = Differential.sameAsReference(DEFAULTS, ConfigAccountsTest::defaultsSession);
        assertEquals("a: -ERR 'Permissions Violation for Subscription to \"x\"'", ours.get(0));
    }
}
