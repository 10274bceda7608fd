package io.natsjvm.server.cli;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Config reload of a real server process, by SIGHUP and by {@code --signal reload}, with its live
 * effects seen by connected jnats clients; refused reloads change nothing.
 */
class ProcessReloadTest {
    private static final String BEFORE = """
            pid_file: "$DIR/nats.pid"
            max_payload: 1000
            accounts {
              APP { users: [
                {user: alice, password: a}
                {user: bob, password: b, permissions: {subscribe: ["orders.>", "audit"]}}
                {user: carol, password: c}
              ]}
            }
            """;
    private static final String AFTER = """
            pid_file: "$DIR/nats.pid"
            max_payload: 100
            accounts {
              APP { users: [
                {user: alice, password: a}
                {user: bob, password: b, permissions: {subscribe: ["orders.>"]}}
              ]}
              OTHER { users: [ {user: dave, password: d} ] }
            }
            """;

    private static Connection connect(ServerProcess s, String user, String pass, List<String> errors) throws Exception {
        return Nats.connect(new Options.Builder().server(s.url()).userInfo(user, pass).maxReconnects(0)
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(user + ": " + error);
                    }
                }).build());
    }

    @Test
    void reloadBySighupAndBySignalFlagAppliesLiveAndRefusalsChangeNothing() throws Exception {
        int port = Sockets.freePort();
        try (ServerProcess server = new ServerProcess(BEFORE, port).start()) {
            Path conf = server.dir().resolve("server.conf");
            List<String> errors = new CopyOnWriteArrayList<>();
            try (Connection alice = connect(server, "alice", "a", errors);
                 Connection bob = connect(server, "bob", "b", errors);
                 Connection carol = connect(server, "carol", "c", errors)) {
                Subscription audit = bob.subscribe("audit");
                Subscription orders = bob.subscribe("orders.new");
                bob.flush(Duration.ofSeconds(2));
                assertEquals(1000, alice.getServerInfo().getMaxPayload());

                Files.writeString(conf, AFTER.replace("$DIR", server.dir().toString()));
                server.signal("HUP");

                // carol was removed: closed with the reference's error
                Await.until(() -> carol.getStatus() == Connection.Status.CLOSED, "carol closed");
                assertTrue(errors.contains("carol: Authorization Violation"), errors.toString());
                // bob's subscription to "audit" is no longer permitted: removed, with its error
                Await.until(() -> errors.stream().anyMatch(e -> e.startsWith("bob: Permissions Violation for Subscription to \"audit\"")),
                        "bob told about audit");
                alice.publish("audit", new byte[1]);
                alice.publish("orders.new", new byte[1]);
                alice.flush(Duration.ofSeconds(2));
                assertNotNull(orders.nextMessage(Duration.ofSeconds(2)), "the permitted subscription still works");
                assertNull(audit.nextMessage(Duration.ofMillis(200)), "the removed one gets nothing");
                // max_payload applies to new and live clients
                try (RawClient fresh = new RawClient(port)) {
                    assertTrue(fresh.info().contains("\"max_payload\":100"), fresh.info());
                }
                try (RawClient raw = new RawClient(port)) {
                    raw.connect("{\"user\":\"alice\",\"pass\":\"a\",\"verbose\":false}");
                    raw.send("PUB big 200\r\n" + "x".repeat(200) + "\r\n");
                    raw.expect("-ERR 'Maximum Payload Violation'");
                }
                // a new account's user logs in; alice, untouched, never noticed
                try (Connection dave = connect(server, "dave", "d", errors)) {
                    assertEquals(Connection.Status.CONNECTED, dave.getStatus());
                }
                assertEquals(Connection.Status.CONNECTED, alice.getStatus());

                // a reload that changes the server name is refused whole: max_payload stays 100
                // (a port in the file would not count: the command line's -p wins, as in the reference)
                Files.writeString(conf, AFTER.replace("$DIR", server.dir().toString())
                        .replace("max_payload: 100", "max_payload: 50\nserver_name: renamed"));
                signalReload(server);
                awaitLog(server, "Failed to reload server configuration: config reload not supported for ServerName");
                try (RawClient fresh = new RawClient(port)) {
                    assertTrue(fresh.info().contains("\"max_payload\":100"), fresh.info());
                }
                // a file that does not parse is refused too
                Files.writeString(conf, "max_payload: {{{\n");
                server.signal("HUP");
                awaitLog(server, "Failed to reload server configuration: ");
                assertEquals(Connection.Status.CONNECTED, alice.getStatus());
                assertEquals(Connection.Status.CONNECTED, bob.getStatus());
            }
        }
    }

    /** {@code nats-server --signal reload=<pid file>}, as an operator would send it. */
    private static void signalReload(ServerProcess server) throws Exception {
        Process sender = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--signal",
                "reload=" + server.dir().resolve("nats.pid")).inheritIO().start();
        assertTrue(sender.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, sender.exitValue());
    }

    private static void awaitLog(ServerProcess server, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (server.log().contains(text)) {
                return;
            }
            Thread.sleep(20); // another process's log: polled
        }
        throw new AssertionError("'" + text + "' not in the log: " + server.log());
    }
}
