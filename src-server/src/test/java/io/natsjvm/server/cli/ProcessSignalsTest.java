package io.natsjvm.server.cli;

import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals and process files on a real server process, as nats-server's signal.go handles them:
 * HUP (reload) leaves the server running instead of stopping it, USR2 is lame duck mode (not a JVM
 * crash), USR1 reopens the log file, {@code --signal} finds the process by pid file, the pid and
 * ports files are written and the ports file removed at exit.
 */
class ProcessSignalsTest {
    @Test
    void signalsAndProcessFilesBehaveAsTheReferences() throws Exception {
        int port = Sockets.freePort();
        String config = "pid_file: \"$DIR/nats.pid\"\nports_file_dir: \"$DIR\"\nlog_file: \"$DIR/nats.log\"\n";
        try (ServerProcess server = new ServerProcess(config, port).start()) {
            Path dir = server.dir();
            assertEquals(Long.toString(server.pid()), Files.readString(dir.resolve("nats.pid")).trim());
            Path ports = dir.resolve("nats-server_" + server.pid() + ".ports");
            assertEquals("{\"nats\":[\"nats://127.0.0.1:" + port + "\"]}", Files.readString(ports));

            server.signal("HUP");
            // the reload runs on its own thread: its log line must be written before the file moves
            awaitContains(dir.resolve("nats.log"), "Reloaded server configuration");
            try (RawClient c = new RawClient(port)) {
                c.connect("{}");
            }
            try (RawClient before = new RawClient(port)) {
                before.connect("{}");
                Files.move(dir.resolve("nats.log"), dir.resolve("nats.log.1"));
                server.signal("USR1");
                awaitContains(dir.resolve("nats.log"), "File log re-opened");
                before.send("BOGUS\r\n"); // a connection from before the reopen logs to the new file
                before.expect("-ERR 'Unknown Protocol Operation'");
            }
            awaitContains(dir.resolve("nats.log"), "Client parser ERROR");
            assertTrue(Files.readString(dir.resolve("nats.log.1")).contains("Reloaded server configuration"));

            Process sender = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "--signal",
                    "reload=" + dir.resolve("nats.pid")).inheritIO().start();
            assertTrue(sender.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, sender.exitValue());
            awaitContains(dir.resolve("nats.log"), "Reloaded server configuration");

            server.signal("TERM");
            assertEquals(1, server.awaitExit(15), "the reference exits 1 after SIGTERM");
            assertFalse(Files.exists(ports), "the ports file is removed at exit");
        }
    }

    /**
     * SIGUSR2: the listener closes, clients that take async INFO get one with "ldm":true, nothing
     * is closed during the grace period, then every client is closed and the process exits 0;
     * SIGTERM meanwhile is ignored.
     */
    @Test
    void lameDuckModeMovesClientsAwayAndExits() throws Exception {
        int port = Sockets.freePort();
        String config = "lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"1s\"\nlog_file: \"$DIR/nats.log\"\n";
        try (ServerProcess server = new ServerProcess(config, port).start();
             RawClient a = new RawClient(port); RawClient b = new RawClient(port); RawClient old = new RawClient(port)) {
            a.connect("{\"protocol\":1}");
            b.connect("{\"protocol\":1}");
            old.connect("{\"protocol\":0}");
            long t0 = System.nanoTime();
            server.signal("USR2");
            for (RawClient c : new RawClient[] {a, b}) {
                String info = c.readLine();
                assertTrue(info.startsWith("INFO {") && info.endsWith(",\"ldm\":true} "), info);
            }
            awaitContains(server.dir().resolve("nats.log"), "Entering lame duck mode, stop accepting new clients");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "no new clients");
            server.signal("TERM"); // ignored in lame duck mode
            a.expectClosed();
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(900), "nothing closed in the grace period");
            b.expectClosed();
            old.expectClosed(); // never told (no async INFO), closed all the same
            assertEquals(0, server.awaitExit(30));
            String log = Files.readString(server.dir().resolve("nats.log"));
            assertTrue(log.contains("Closing existing clients"), log);
        }
    }

    private static void awaitContains(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(10); // another process's log file: polled
        }
        throw new AssertionError("'" + text + "' not in " + log + ": " + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
