package com.example.orders;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.embedded.EmbeddedNatsServer;
import io.natsjvm.embedded.NatsServerTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the README's example does: a request/reply service tested against an embedded server. */
@NatsServerTest(accounts = {"ORDERS"}, users = {"service", "client"})
class OrdersServiceTest {
    @Test
    void theServiceAnswers(Connection client, EmbeddedNatsServer nats) throws Exception {
        try (Connection service = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .server(nats.url()).authHandler(io.nats.client.Nats.credentials(
                        nats.credentials("ORDERS", "service").toString())).build())) {
            service.createDispatcher(m -> service.publish(m.getReplyTo(),
                    ("order " + new String(m.getData(), StandardCharsets.UTF_8) + " accepted").getBytes()))
                    .subscribe("orders.create");
            service.flush(Duration.ofSeconds(2));
            Message reply = client.request("orders.create", "42".getBytes(), Duration.ofSeconds(5));
            assertEquals("order 42 accepted", new String(reply.getData(), StandardCharsets.UTF_8));
        }
    }
}
