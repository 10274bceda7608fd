package io.natsjvm.server.client;

import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.RawClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code max_sub_tokens}: a subscription with more tokens is refused with the reference's words. */
class MaxSubTokensTest {
    private static String session(int port) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.connect("{}");
            c.send("SUB a.b.c 1\r\nSUB a.b.c.d 2\r\nPING\r\n");
            return c.readLine() + " / " + c.readLine();
        }
    }

    @Test
    void subscriptionsWithTooManyTokensAreRefused() throws Exception {
        assertEquals("-ERR 'Permissions Violation for Subscription to \"a.b.c.d\", too many tokens' / PONG",
                Differential.sameAsReference("max_sub_tokens: 3\n", MaxSubTokensTest::session));
    }
}
