package io.natsjvm.tools;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/events and scripts/servers against a real in-process server. */
class ToolsTest {
    static NatsServer server;
    static String url;
    static final Path REFERENCE = Path.of("../../src-server/src/test/resources/reference");

    @BeforeAll
    static void start() throws Exception {
        ServerOptions o = OptionsLoader.load(ConfigParser.parse("""
                accounts: {
                  USERS: { users: [ {user: a, password: a} ] }
                  SYS: { users: [ {user: admin, password: changeit} ] }
                }
                system_account: SYS
                """));
        o.host = "127.0.0.1";
        o.port = 0;
        server = new NatsServer(o).start();
        url = "nats://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.shutdown();
    }

    @Test
    void serversPrintsTheDiscoveryTable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Servers.run(new String[] {"-s", url, "--user", "admin", "--password", "changeit", "--wait", "500"},
                new PrintStream(out, true), new PrintStream(err, true));
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, err.toString());
        assertTrue(table.startsWith("NAME"), table);
        assertTrue(table.contains(server.serverName()), table);
        assertTrue(table.contains("2.9.10"), table);
        assertTrue(table.endsWith("1 server\n"), table);
        // A non-system user gets no answer: an error, not a hang.
        int denied = Servers.run(new String[] {"-s", url, "--user", "a", "--password", "a", "--wait", "300"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        assertEquals(1, denied);
    }

    @Test
    void eventsTailsConnectsAndDisconnects() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CountDownLatch stop = new CountDownLatch(1);
        PrintStream errStream = new PrintStream(err, true);
        Thread t = new Thread(() -> {
            try {
                Events.run(new String[] {"-s", url, "--user", "admin", "--password", "changeit", "--no-statsz"},
                        new PrintStream(out, true), errStream, stop);
            } catch (Exception e) {
                e.printStackTrace(errStream);
            }
        });
        t.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!err.toString().contains("Listening") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        try (Connection a = Nats.connect(new io.nats.client.Options.Builder().server(url).userInfo("a", "a")
                .connectionName("walkthrough").build())) {
            a.publish("foo", "bar".getBytes());
            a.flush(java.time.Duration.ofSeconds(2));
        }
        while (!out.toString().contains("DISCONNECT") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        stop.countDown();
        t.join(5000);
        String lines = out.toString(StandardCharsets.UTF_8) + "\n--- stderr:\n" + err;
        assertTrue(lines.contains("CONNECT     acc=USERS user=a name=\"walkthrough\" from 127.0.0.1"), lines);
        assertTrue(lines.contains("reason=\"Client Closed\" sent=1 msgs/3 B"), lines);
        assertTrue(lines.contains("CONNS       acc=USERS conns=1"), lines);
    }

    @Test
    void formatterHandlesEveryReferenceEvent() throws Exception {
        assertEquals("03:30:06.858 AUTH ERROR  acc=$G user=a name=\"probe-bad-auth\" from 127.0.0.1 cid=16 "
                        + "client=go/1.22.1 reason=\"Authentication Failure\"",
                EventFormatter.format("$SYS.SERVER.X.CLIENT.AUTH.ERR", Files.readAllBytes(REFERENCE.resolve("auth_error.json"))));
        String disc = EventFormatter.format("$SYS.ACCOUNT.USERS.DISCONNECT",
                Files.readAllBytes(REFERENCE.resolve("client_disconnect.json")));
        assertTrue(disc.endsWith("sent=5 msgs/50 B received=3 msgs/21 B"), disc);
        String stats = EventFormatter.format("$SYS.SERVER.X.STATSZ", Files.readAllBytes(REFERENCE.resolve("statsz.json")));
        assertTrue(stats.contains("STATSZ      server=NCVJ6C2M") && stats.contains("conns=1 subs=47"), stats);
        String shut = EventFormatter.format("$SYS.SERVER.X.SHUTDOWN", Files.readAllBytes(REFERENCE.resolve("shutdown.json")));
        assertTrue(shut.contains("SHUTDOWN    server=NCVJ6C2M"), shut);
    }

    @Test
    void formatterShowsLeafNodeEvents() {
        String up = EventFormatter.format("$SYS.ACCOUNT.A.LEAFNODE.CONNECT", ("{\"type\":\"io.nats.server.advisory.v1."
                + "leafnode_connect\",\"timestamp\":\"2026-12-06T03:30:06.858Z\",\"acc\":\"A\",\"leafnode\":"
                + "{\"cid\":3,\"name\":\"edge-1\",\"ip\":\"10.0.0.7\",\"port\":51512}}").getBytes(StandardCharsets.UTF_8));
        assertTrue(up.contains("LEAF UP     acc=A leaf=edge-1 addr=10.0.0.7:51512"), up);
        String down = EventFormatter.format("$SYS.ACCOUNT.A.LEAFNODE.DISCONNECT", ("{\"timestamp\":\"2026-12-06T03:30:06"
                + ".858Z\",\"acc\":\"A\",\"leafnode\":{\"name\":\"edge-1\",\"ip\":\"10.0.0.7\",\"port\":1},"
                + "\"sent\":{\"msgs\":2,\"bytes\":10},\"received\":{\"msgs\":1,\"bytes\":5},\"reason\":\"Client Closed\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(down.contains("LEAF DOWN   acc=A leaf=edge-1") && down.contains("reason=\"Client Closed\""), down);
    }
}
