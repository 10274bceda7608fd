package io.natsjvm.embedded;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library API: start, connect, sample operator logins, config, close. */
class EmbeddedNatsServerTest {
    @Test
    void defaultsOnAFreePort() throws Exception {
        try (EmbeddedNatsServer nats = EmbeddedNatsServer.start();
                Connection c = Nats.connect(nats.url())) {
            assertTrue(nats.port() > 0);
            Subscription sub = c.subscribe("hello");
            c.publish("hello", "world".getBytes());
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertEquals("world", new String(m.getData()));
            assertEquals(nats.serverId(), c.getServerInfo().getServerId());
        }
    }

    @Test
    void sampleOperatorCredsLogIn() throws Exception {
        try (EmbeddedNatsServer nats = EmbeddedNatsServer.builder().sampleOperator().start()) {
            try (Connection alice = Nats.connect(new Options.Builder().server(nats.url())
                    .authHandler(Nats.credentials(nats.credentials("APP", "alice").toString())).build())) {
                assertEquals(Connection.Status.CONNECTED, alice.getStatus());
            }
            assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server(nats.url())
                    .noReconnect().connectionTimeout(Duration.ofSeconds(2)).build()), "operator mode needs creds");
            assertThrows(IllegalArgumentException.class, () -> nats.credentials("APP", "mallory"));
        }
    }

    @Test
    void configTextAndCloseReleasesThePort() throws Exception {
        EmbeddedNatsServer nats = EmbeddedNatsServer.builder()
                .config("authorization { user: u, password: p }\nhttp_port: -1\n").start();
        String url = "nats://u:p@127.0.0.1:" + nats.port();
        try (Connection c = Nats.connect(url)) {
            assertEquals(Connection.Status.CONNECTED, c.getStatus());
            assertTrue(nats.monitoringPort() > 0);
        }
        nats.close();
        nats.close(); // idempotent
        assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server(url).noReconnect()
                .connectionTimeout(Duration.ofSeconds(1)).build()));
        assertThrows(IllegalStateException.class, () -> nats.credentials("APP", "alice"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedNatsServer.builder().config("port: {{").start());
    }

    /** The API speaks only JDK types and its own: the server's internals may change freely. */
    @Test
    void thePublicApiExposesNoInternalType() {
        for (Class<?> api : new Class<?>[] {EmbeddedNatsServer.class, EmbeddedNatsServer.Builder.class,
                NatsServerExtension.class, NatsServerTest.class}) {
            for (Method m : api.getMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                    continue;
                }
                assertFalse(internal(m.getReturnType()), api.getSimpleName() + "." + m.getName());
                for (Parameter p : m.getParameters()) {
                    assertFalse(internal(p.getType()), api.getSimpleName() + "." + m.getName() + "(" + p + ")");
                }
            }
        }
        assertNotNull(EmbeddedNatsServer.class.getPackage());
    }

    private static boolean internal(Class<?> type) {
        String n = type.getName();
        return n.startsWith("io.natsjvm.") && !n.startsWith("io.natsjvm.embedded.");
    }
}
