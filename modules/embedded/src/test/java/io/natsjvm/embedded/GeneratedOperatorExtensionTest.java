package io.natsjvm.embedded;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operator mode with generated accounts and users; a connected jnats Connection and the URL injected. */
@NatsServerTest(accounts = {"ORDERS", "BILLING"}, users = {"app", "ops"})
class GeneratedOperatorExtensionTest {
    @Test
    void accountsAreSeparateAndEveryUserLogsIn(Connection orders, @NatsUrl String url, EmbeddedNatsServer nats)
            throws Exception {
        assertEquals(Connection.Status.CONNECTED, orders.getStatus(), "injected as ORDERS/app");
        assertTrue(url.startsWith("nats://127.0.0.1:"), url);
        try (Connection billing = Nats.connect(new Options.Builder().server(url)
                .authHandler(Nats.credentials(nats.credentials("BILLING", "ops").toString())).build());
                Connection ordersOps = Nats.connect(new Options.Builder().server(url)
                        .authHandler(Nats.credentials(nats.credentials("ORDERS", "ops").toString())).build())) {
            Subscription sub = orders.subscribe("jobs");
            orders.flush(Duration.ofSeconds(2));
            billing.publish("jobs", "other account".getBytes());
            billing.flush(Duration.ofSeconds(2));
            ordersOps.publish("jobs", "same account".getBytes());
            assertNotNull(sub.nextMessage(Duration.ofSeconds(5)));
            assertNull(sub.nextMessage(Duration.ofMillis(300)), "BILLING never reaches ORDERS");
        }
        assertThrows(IllegalArgumentException.class, () -> nats.credentials("ORDERS", "nobody"));
        assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server(url).noReconnect()
                .connectionTimeout(Duration.ofSeconds(2)).build()), "no anonymous logins in operator mode");
    }
}
