package io.natsjvm.server.cli;

import io.natsjvm.server.util.RawClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM to a real server process: queued data is delivered, clients are closed, exit code 1 (as the reference). */
class ShutdownSignalTest {
    @Test
    void sigtermFlushesClosesAndExitsCleanly() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "-a", "127.0.0.1", "-p",
                Integer.toString(port)).redirectErrorStream(true).start();
        LinkedBlockingQueue<String> log = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.add(line);
                }
            } catch (Exception e) {
                log.add("reader: " + e);
            }
        }, "server-log");
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLog(log, "Server is ready");
            try (RawClient sub = new RawClient(port); RawClient pub = new RawClient(port)) {
                sub.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPING\r\n").expect("PONG");
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    batch.append("PUB foo 5\r\nhello\r\n");
                }
                pub.send("CONNECT {\"verbose\":false}\r\n" + batch + "PING\r\n").expect("PONG");
                p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
                for (int i = 0; i < 200; i++) {
                    sub.expect("MSG foo 1 5");
                    sub.expect("hello");
                }
                sub.expectClosed();
                pub.expectClosed();
            }
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "server exited");
            assertEquals(1, p.exitValue(), "the reference exits 1 after SIGTERM");
            awaitLog(log, "Server Exiting..");
        } finally {
            p.destroyForcibly();
        }
    }

    private static void awaitLog(LinkedBlockingQueue<String> log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = log.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.append(line).append('\n');
                if (line.contains(text)) {
                    return;
                }
            }
        }
        assertNotNull(null, "log line '" + text + "' not seen in:\n" + seen);
    }
}
