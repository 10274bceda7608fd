package io.natsjvm.embedded;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * The jnats connections {@link NatsServerExtension} injects. A class of its own so that the
 * extension loads without jnats on the classpath (only a test asking for a Connection needs it).
 */
final class JnatsConnections {
    private JnatsConnections() {
    }

    static Connection connect(EmbeddedNatsServer server, NatsServerTest spec) throws Exception {
        Options.Builder o = new Options.Builder().server(server.url()).connectionName("nats-server-test");
        if (spec.sampleOperator()) {
            o.authHandler(Nats.credentials(server.credentials("APP", "alice").toString()));
        } else if (spec.accounts().length > 0) {
            String user = spec.users().length > 0 ? spec.users()[0] : "user";
            o.authHandler(Nats.credentials(server.credentials(spec.accounts()[0], user).toString()));
        }
        return Nats.connect(o.build());
    }
}
