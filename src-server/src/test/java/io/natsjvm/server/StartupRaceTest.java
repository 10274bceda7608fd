package io.natsjvm.server;

import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that connect the moment the port answers, while the server is still starting: every one
 * gets a valid INFO and a working session, and a JWT login in that window has its account wired
 * (imports flow) as later logins do.
 */
class StartupRaceTest {
    private static final Pattern NONCE = Pattern.compile("\"nonce\":\"([^\"]+)\"");

    /**
     * The command line's server collects the heap once before it accepts (so that the first
     * connections do not wait for a young collection copying start-up's objects); an embedded one
     * never collects its application's heap.
     */
    @Test
    void onlyAServerThatOwnsItsProcessCollectsTheHeapBeforeAccepting() throws Exception {
        long before = fullCollections();
        new NatsServer(loopback()).start().shutdown();
        assertEquals(before, fullCollections(), "an embedded server left the application's heap alone");
        new NatsServer(loopback()).startOwningProcess().shutdown();
        assertTrue(fullCollections() > before, "the process's server collected before accepting");
    }

    private static ServerOptions loopback() {
        ServerOptions o = new ServerOptions();
        o.host = "127.0.0.1";
        o.port = 0;
        return o;
    }

    /** Collections of the old generation (Serial, Parallel and G1 name their full collector so). */
    private static long fullCollections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(b -> b.getName().contains("Old") || b.getName().contains("MarkSweep"))
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void connectionsDuringStartGetInfoAndWork() throws Exception {
        for (int round = 0; round < 5; round++) {
            int port = Sockets.freePort();
            CompletableFuture<List<String>> early = CompletableFuture.supplyAsync(() -> hammer(port, 20));
            try (TestServer s = TestServer.onPort(port, "")) {
                List<String> results = early.get(20, TimeUnit.SECONDS);
                assertEquals(20, results.size());
                results.forEach(r -> assertEquals("PONG", r, "an early connection must be served"));
            }
        }
    }

    @Test
    void theMonitoringPortServesFromItsFirstConnection() throws Exception {
        for (int round = 0; round < 10; round++) {
            int port = Sockets.freePort();
            int http = Sockets.freePort();
            CompletableFuture<List<String>> early = CompletableFuture.supplyAsync(() -> {
                List<String> out = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (out.size() < 20 && System.nanoTime() < deadline) {
                    try (Socket s = new Socket("127.0.0.1", http)) {
                        s.setSoTimeout(5000);
                        s.getOutputStream().write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.add(Sockets.line(s.getInputStream()));
                    } catch (ConnectException notYet) {
                        Thread.onSpinWait();
                    } catch (IOException e) {
                        out.add("error: " + e);
                    }
                }
                return out;
            });
            try (TestServer s = TestServer.onPort(port, "http_port: " + http)) {
                List<String> results = early.get(20, TimeUnit.SECONDS);
                assertEquals(20, results.size());
                results.forEach(r -> assertEquals("HTTP/1.0 200 OK", r));
                assertEquals(0, s.server().internalErrorCount());
            }
        }
    }

    @Test
    void aJwtLoginRacingStartGetsItsImports() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        // APP imports shared.> from SYS, which exports it.
        f.appJwt = f.account(n -> n.putArray("imports").addObject().put("name", "ev").put("type", "stream")
                .put("subject", "shared.>").put("account", f.sys.publicKey()));
        ObjectNode sys = JwtFixture.claims(f.sys.publicKey(), "account", "SYS");
        sys.with("nats").putArray("exports").addObject().put("name", "ev").put("type", "stream")
                .put("subject", "shared.>");
        f.sysJwt = Jwts.sign(sys, f.operatorSigner);
        NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
        String userJwt = JwtFixture.user(user, f.app, "early", c -> { });
        int port = Sockets.freePort();
        CompletableFuture<List<String>> subscribed = new CompletableFuture<>();
        CompletableFuture<String> delivered = CompletableFuture.supplyAsync(() -> earlySubscriber(port, userJwt, user,
                subscribed));
        try (TestServer s = TestServer.onPort(port, f.config())) {
            subscribed.get(20, TimeUnit.SECONDS);
            NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
            try (RawClient pub = JwtFixture.rawLogin(s, JwtFixture.user(admin, f.sys, "admin", c -> { }), admin, true)) {
                pub.send("PUB shared.x 2\r\nhi\r\nPING\r\n").expect("PONG");
            }
            assertEquals("MSG shared.x 1 2", delivered.get(20, TimeUnit.SECONDS), "the early login's import is wired");
        }
    }

    /** Logs in as soon as the port accepts, subscribes to the import, and returns the first message line. */
    private static String earlySubscriber(int port, String jwt, NKeyPair user, CompletableFuture<List<String>> ready) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(15000);
                InputStream in = s.getInputStream();
                String info = Sockets.line(in);
                Matcher m = NONCE.matcher(info);
                assertTrue(m.find(), info);
                String sig = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(user.sign(m.group(1).getBytes(StandardCharsets.US_ASCII)));
                s.getOutputStream().write(("CONNECT {\"verbose\":false,\"pedantic\":false,\"jwt\":\"" + jwt
                        + "\",\"sig\":\"" + sig + "\"}\r\nSUB shared.> 1\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
                String pong = Sockets.line(in);
                ready.complete(List.of(pong));
                return Sockets.line(in);
            } catch (ConnectException notYet) {
                Thread.onSpinWait();
            } catch (IOException e) {
                ready.completeExceptionally(e);
                return "error: " + e;
            }
        }
        ready.completeExceptionally(new IllegalStateException("never connected"));
        return "never connected";
    }

    /** Connects {@code n} times as soon as the port accepts; each gets INFO and answers PING. */
    private static List<String> hammer(int port, int n) {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (out.size() < n && System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                String info = Sockets.line(in);
                assertTrue(info.startsWith("INFO {") && info.endsWith("} "), "INFO: " + info);
                s.getOutputStream().write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.add(Sockets.line(in));
            } catch (ConnectException notYet) {
                Thread.onSpinWait();
            } catch (IOException e) {
                out.add("error: " + e);
            }
        }
        return out;
    }
}
