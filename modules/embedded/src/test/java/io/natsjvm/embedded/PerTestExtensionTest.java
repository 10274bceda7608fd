package io.natsjvm.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** perTest: every test gets a server of its own. */
@NatsServerTest(perTest = true)
class PerTestExtensionTest {
    private static final Set<String> SEEN = new HashSet<>();

    @Test
    void one(EmbeddedNatsServer nats) {
        SEEN.add(nats.serverId());
    }

    @Test
    void two(EmbeddedNatsServer nats) {
        SEEN.add(nats.serverId());
    }

    @AfterAll
    static void twoServers() {
        assertEquals(2, SEEN.size(), SEEN.toString());
    }
}
