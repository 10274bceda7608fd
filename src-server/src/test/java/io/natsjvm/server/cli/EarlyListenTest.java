package io.natsjvm.server.cli;

import io.natsjvm.server.connection.EarlyListener;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * scripts/server's launcher (src/main/c/listen-early.c) listens on the client port before the JVM
 * starts; the server adopts the socket and accepts on it only once it is whole. A client that
 * connects once, the moment the port answers (as nats.java's test server runner does 100 ms after
 * starting a server), is served instead of refused.
 */
class EarlyListenTest {
    private static Path launcher;

    @BeforeAll
    static void compileLauncher() throws Exception {
        Path dir = Files.createTempDirectory("listen-early");
        launcher = dir.resolve("listen-early");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-O2", "-Wall", "-o", launcher.toString(),
                    Path.of("src/main/c/listen-early.c").toAbsolutePath().toString()).redirectErrorStream(true).start();
        } catch (IOException noCompiler) {
            assumeTrue(false, "no C compiler: scripts/server runs java without the launcher then");
            return;
        }
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "cc: " + out);
        assertEquals("", out.strip(), "compiles without warnings");
    }

    @Test
    void readsTheClientAddressAsTheServerDoes() throws Exception {
        assertEquals("0.0.0.0 4333", address("port: 4333"));
        assertEquals("127.0.0.1 4334", address("listen: 127.0.0.1:4334"));
        assertEquals("localhost 4335", address("net: localhost\nport = 4335 # the client port"));
        assertEquals("::1 4340", address("listen: \"[::1]:4340\""));
        assertEquals("0.0.0.0 4341", address("listen: 4341"));
        // blocks, arrays and strings with braces in them are skipped whole
        assertEquals("0.0.0.0 4336", address("websocket { port: 8080, no_tls: true }\nport: 4336"));
        assertEquals("0.0.0.0 4338", address(
                "authorization { users = [ {user: a, password: \"p}\"} ] }\n// c { \nport: 4338"));
        assertEquals("0.0.0.0 4222", address("leafnodes {\n  listen: \"0.0.0.0:7422\"\n}\n"));
        assertEquals("0.0.0.0 4346", address("PORT: 4346"));
        // flags over the file, in both of Go's spellings
        assertEquals("0.0.0.0 4337", address("port: 1", "-p", "4337"));
        assertEquals("127.0.0.1 4344", address("port: 4343", "--port=4344", "-DV", "-a=127.0.0.1"));
        // what it cannot be sure of: no early socket
        assertEquals("none", address("include \"other.conf\"\nport: 4333"));
        assertEquals("none", address("port: $CLIENT_PORT"));
        assertEquals("none", address("port: -1"));
        assertEquals("none", address("port: 4333", "--version"));
        assertEquals("none", address("port: 4333", "--signal", "reload"));
        assertEquals("none", address("port: 4333", "-t"));
        assertEquals("none", address("a { b: 1", "-p", "4333"));
    }

    @Test
    void portAnswersBeforeTheServerIsWholeAndServesOnceItIs() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path log = Files.createTempFile("early-listen", ".log");
        Process p = new ProcessBuilder(command("-a", "127.0.0.1", "-p", Integer.toString(port), "-D"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Socket first = connectOnce(p, port);
            assertNotNull(first, "the port answered");
            String logWhenAnswered = Files.readString(log);
            try (first) {
                assertFalse(logWhenAnswered.contains("Server is ready"),
                        "the launcher's socket answers before the JVM is whole:\n" + logWhenAnswered);
                // Held in the backlog, then served: INFO only once the server is whole.
                first.setSoTimeout(30_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(first.getInputStream(),
                        StandardCharsets.UTF_8));
                String info = in.readLine();
                assertTrue(info.startsWith("INFO {") && info.contains("\"port\":" + port), info);
                assertTrue(Files.readString(log).contains("Server is ready"), "INFO came from a whole server");
                OutputStream out = first.getOutputStream();
                out.write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("PONG", in.readLine());
            }
            String text = Files.readString(log);
            assertTrue(text.contains("Took over the client socket the launcher listened on"), text);
            try (Connection nc = Nats.connect("nats://127.0.0.1:" + port)) {
                Subscription sub = nc.subscribe("early");
                nc.publish("early", "hi".getBytes(StandardCharsets.UTF_8));
                Message m = sub.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "a message through the adopted listener");
            }
        } finally {
            p.destroy();
            p.waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void jnatsConnectingOnceWhileTheServerStartsIsServed() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(command("-a", "127.0.0.1", "-p", Integer.toString(port)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            connectOnce(p, port).close();
            // one attempt, no retry: refused before the launcher existed (the JVM took ~400 ms). The
            // attempt may wait for the whole start-up (a loaded CI machine: seconds), not jnats's 2 s
            try (Connection nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port)
                    .connectionTimeout(Duration.ofSeconds(15)).maxReconnects(0).build())) {
                assertEquals(Connection.Status.CONNECTED, nc.getStatus());
                nc.flush(Duration.ofSeconds(5));
            }
        } finally {
            p.destroy();
            p.waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void adoptsOnlyASocketOnTheServersOwnAddress() throws Exception {
        assertTrue(EarlyListener.listensOn(new InetSocketAddress("0.0.0.0", 4222), "0.0.0.0", 4222));
        assertTrue(EarlyListener.listensOn(new InetSocketAddress("127.0.0.1", 4222), "localhost", 4222));
        assertFalse(EarlyListener.listensOn(new InetSocketAddress("0.0.0.0", 4223), "0.0.0.0", 4222));
        assertFalse(EarlyListener.listensOn(new InetSocketAddress("0.0.0.0", 4222), "127.0.0.1", 4222));
        assertFalse(EarlyListener.listensOn(new InetSocketAddress("127.0.0.1", 4222), "0.0.0.0", 4222));
        assertFalse(EarlyListener.listensOn(new InetSocketAddress("0.0.0.0", 0), "0.0.0.0", 0));
    }

    /** The first connection the port accepts (polling another process's port: no event to await). */
    private static Socket connectOnce(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "server process alive");
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return s;
            } catch (IOException notYet) {
                s.close();
                Thread.sleep(1);
            }
        }
        return null;
    }

    private static List<String> command(String... flags) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(),
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(flags));
        return cmd;
    }

    private static String address(String config, String... flags) throws Exception {
        Path conf = Files.createTempFile("early", ".conf");
        Files.writeString(conf, config);
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "java", "-jar", "server.jar", "-c",
                conf.toString()));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NATS_JVM_LISTEN_EARLY", "print");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }
}
