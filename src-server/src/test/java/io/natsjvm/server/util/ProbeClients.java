package io.natsjvm.server.util;

import io.nats.client.Connection;

import java.time.Duration;

/**
 * The connections the reference's request captures were made with: probe-admin (SYS),
 * probe-u1 (USERS, subscribed to req.a and req.b) and probe-u2 (USERS, subscribed to req.c).
 */
public final class ProbeClients implements AutoCloseable {
    public final Connection admin;
    public final Connection u1;
    public final Connection u2;

    public ProbeClients(TestServer server) throws Exception {
        admin = AccountsConfig.connect(server, "admin", "changeit", "probe-admin");
        u1 = AccountsConfig.connect(server, "a", "a", "probe-u1");
        u1.subscribe("req.a");
        u1.subscribe("req.b");
        u1.flush(Duration.ofSeconds(2));
        u2 = AccountsConfig.connect(server, "a", "a", "probe-u2");
        u2.subscribe("req.c");
        u2.flush(Duration.ofSeconds(2));
    }

    @Override
    public void close() throws Exception {
        u2.close();
        u1.close();
        admin.close();
    }
}
