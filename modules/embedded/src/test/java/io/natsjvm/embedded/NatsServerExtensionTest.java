package io.natsjvm.embedded;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code @NatsServerTest}: one server for the class, injected where asked for, closed after. */
@NatsServerTest(config = "max_payload: 4096\n")
class NatsServerExtensionTest {
    private static final Set<String> SEEN = new HashSet<>();

    private final EmbeddedNatsServer fromConstructor;

    NatsServerExtensionTest(EmbeddedNatsServer nats) {
        this.fromConstructor = nats;
    }

    @Test
    void theServerIsInjectedAndConfigured(EmbeddedNatsServer nats) throws Exception {
        SEEN.add(nats.serverId());
        assertEquals(fromConstructor.serverId(), nats.serverId());
        try (Connection c = Nats.connect(nats.url())) {
            assertEquals(4096, c.getServerInfo().getMaxPayload());
            c.flush(Duration.ofSeconds(2));
        }
    }

    @Test
    void everyTestOfTheClassSharesIt(EmbeddedNatsServer nats) {
        SEEN.add(nats.serverId());
    }

    @AfterAll
    static void oneServerForTheClass() {
        assertEquals(1, SEEN.size(), SEEN.toString());
    }
}
