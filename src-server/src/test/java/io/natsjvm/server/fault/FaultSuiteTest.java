package io.natsjvm.server.fault;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults against a real server process, each printing its figure (lines starting "FAULT"): restart
 * storm, kill -9 during a CLAIMS.UPDATE storm, slow consumer storm, connect churn, max-connections
 * flood. CI runs the short form; {@code -Dfault.full=true} (scripts/fault) runs the sizes of the
 * issue: 10 restarts, 1,000 updates, 10,000 connect cycles.
 */
class FaultSuiteTest {
    private static final boolean FULL = Boolean.getBoolean("fault.full");
    /** JVM options of scripts/server, so memory figures are those of a real deployment. */
    private static final String[] JVM = ServerProcess.SCRIPT_JVM.toArray(new String[0]);

    @Test
    void restartStormLosesNoClientAndNoMessage() throws Exception {
        int restarts = FULL ? 10 : 3;
        int clients = 50;
        try (ServerProcess server = new ServerProcess("", Sockets.freePort(), JVM).start()) {
            AtomicInteger reconnects = new AtomicInteger();
            Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
            List<Connection> conns = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Connection c = Nats.connect(new Options.Builder().server(server.url()).maxReconnects(-1)
                        .errorListener(new ErrorListener() { }) // each restart is expected: no log noise
                        .reconnectWait(Duration.ofMillis(20)).connectionListener((conn, ev) -> {
                            if (ev == ConnectionListener.Events.RESUBSCRIBED) {
                                reconnects.incrementAndGet();
                            }
                        }).build());
                AtomicInteger count = received.computeIfAbsent(i, k -> new AtomicInteger());
                Dispatcher d = c.createDispatcher(m -> count.incrementAndGet());
                d.subscribe("storm." + i);
                c.flush(Duration.ofSeconds(5));
                conns.add(c);
            }
            long worstBackMillis = 0;
            long worstInfoMicros = 0;
            for (int r = 1; r <= restarts; r++) {
                server.stop();
                AtomicLong infoMicros = new AtomicLong(-1);
                Thread early = new Thread(() -> infoMicros.set(firstInfoMicros(server.port())));
                early.start();
                long t0 = System.nanoTime();
                server.start();
                early.join(30_000);
                worstInfoMicros = Math.max(worstInfoMicros, infoMicros.get());
                int expected = clients * r;
                while (reconnects.get() < expected && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)) {
                    Thread.sleep(5); // jnats reports reconnects on its own threads; poll the count
                }
                assertEquals(expected, reconnects.get(), "every client is back after restart " + r);
                worstBackMillis = Math.max(worstBackMillis, (System.nanoTime() - t0) / 1_000_000);
                for (Connection c : conns) {
                    c.flush(Duration.ofSeconds(5)); // its subscriptions are in place
                }
                try (Connection pub = Nats.connect(server.url())) {
                    for (int i = 0; i < clients; i++) {
                        for (int k = 0; k < 100; k++) {
                            pub.publish("storm." + i, new byte[16]);
                        }
                    }
                    pub.flush(Duration.ofSeconds(5));
                }
                for (int i = 0; i < clients; i++) {
                    AtomicInteger n = received.get(i);
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (n.get() < 100 * r && System.nanoTime() < until) {
                        Thread.sleep(2);
                    }
                    assertEquals(100 * r, n.get(), "client " + i + " lost messages published after restart " + r);
                }
            }
            for (Connection c : conns) {
                c.close();
            }
            System.out.printf("FAULT restart storm: %d restarts x %d clients, all back within %d ms (worst, incl."
                    + " JVM start), 0 messages lost, first INFO after accept %d us (worst)%n", restarts, clients,
                    worstBackMillis, worstInfoMicros);
        }
    }

    @Test
    void killDuringAClaimsUpdateStormLosesNoAcknowledgedJwt() throws Exception {
        int target = FULL ? 1000 : 100;
        JwtFixture f = new JwtFixture(n -> { });
        String config = "operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey()
                + "\nresolver: { type: full, dir: \"$DIR/jwt\" }\nresolver_preload: { " + f.sys.publicKey() + ": "
                + f.sysJwt + " }\n";
        NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
        Path creds = JwtFixture.creds(JwtFixture.user(admin, f.sys, "admin", u -> { }), admin);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        try (ServerProcess server = new ServerProcess(config, Sockets.freePort(), JVM).start()) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch enough = new CountDownLatch(1);
            Thread storm = new Thread(() -> {
                try (Connection sys = Nats.connect(new Options.Builder().server(server.url())
                        .authHandler(Nats.credentials(creds.toString())).noReconnect().build())) {
                    while (!stop.get()) {
                        NKeyPair acc = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
                        String jwt = Jwts.sign(JwtFixture.claims(acc.publicKey(), "account", "A"), f.operatorSigner);
                        Message reply = sys.request("$SYS.REQ.CLAIMS.UPDATE", jwt.getBytes(StandardCharsets.UTF_8),
                                Duration.ofSeconds(2));
                        if (reply != null && new String(reply.getData(), StandardCharsets.UTF_8).contains("\"data\"")) {
                            acknowledged.put(acc.publicKey(), jwt);
                            if (acknowledged.size() >= target) {
                                enough.countDown();
                            }
                        }
                    }
                } catch (Exception killed) {
                    // the server was killed under us: the storm ends here
                }
            });
            storm.start();
            assertTrue(enough.await(120, TimeUnit.SECONDS), "updates acknowledged: " + acknowledged.size());
            server.kill9();
            stop.set(true);
            storm.join(10_000);
            server.start();
            Path dir = server.dir().resolve("jwt");
            int present = 0;
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                Path file = dir.resolve(e.getKey() + ".jwt");
                if (Files.exists(file) && Files.readString(file).trim().equals(e.getValue())) {
                    present++;
                }
            }
            assertEquals(acknowledged.size(), present, "every acknowledged JWT survives kill -9");
            try (Connection sys = Nats.connect(new Options.Builder().server(server.url())
                    .authHandler(Nats.credentials(creds.toString())).build())) {
                String any = acknowledged.keySet().iterator().next();
                Message m = sys.request("$SYS.REQ.ACCOUNT." + any + ".CLAIMS.LOOKUP", new byte[0], Duration.ofSeconds(3));
                assertEquals(acknowledged.get(any), new String(m.getData(), StandardCharsets.UTF_8),
                        "the restarted store serves it");
            }
            System.out.printf("FAULT kill -9 during CLAIMS.UPDATE storm: %d acknowledged, %d present after restart%n",
                    acknowledged.size(), present);
        }
    }

    @Test
    void aSlowConsumerStormCutsOnlyTheSlow() throws Exception {
        int messages = FULL ? 50_000 : 10_000;
        try (ServerProcess server = new ServerProcess("max_payload: 65536\nmax_pending: 262144\nwrite_deadline: \"2s\"\n", Sockets.freePort(),
                JVM).start()) {
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", server.port()));
                s.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB flood 1\r\nPING\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(s); // never read again
            }
            List<Connection> healthy = new ArrayList<>();
            CountDownLatch all = new CountDownLatch(5 * messages);
            for (int i = 0; i < 5; i++) {
                Connection c = Nats.connect(server.url());
                c.createDispatcher(m -> all.countDown()).subscribe("flood");
                c.flush(Duration.ofSeconds(5));
                healthy.add(c);
            }
            long t0 = System.nanoTime();
            try (Connection pub = Nats.connect(server.url())) {
                byte[] body = new byte[512];
                for (int i = 0; i < messages; i++) {
                    pub.publish("flood", body);
                }
                pub.flush(Duration.ofSeconds(60));
            }
            assertTrue(all.await(60, TimeUnit.SECONDS), "healthy subscribers missed " + all.getCount());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long cut = slowConsumerLines(server);
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); cut < 5 && System.nanoTime() < until;) {
                Thread.sleep(20); // the write deadline may still be running
                cut = slowConsumerLines(server);
            }
            assertEquals(5, cut, "each slow subscriber is cut");
            for (Connection c : healthy) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus());
                c.close();
            }
            for (Socket s : slow) {
                s.close();
            }
            System.out.printf("FAULT slow consumer storm: %d msgs x 5 healthy delivered in %d ms, %d of 5 slow cut%n",
                    messages, millis, cut);
        }
    }

    @Test
    void connectChurnKeepsMemoryAndDescriptorsFlat() throws Exception {
        int cycles = FULL ? 10_000 : 2_000;
        // With the JVM's default sizing the heap's young generation grows into the hundreds of MB
        // under churn and is never returned (measured: RSS 91 -> 195 MB over 10,000 cycles while
        // the live heap after a full GC stays at 8 MB, the 10,000 closed-connection records the
        // reference keeps too). scripts/server's options start the heap at 16 MB and let it grow
        // with what is held: RSS stays flat, and that is what is checked.
        try (ServerProcess server = new ServerProcess("", Sockets.freePort(), JVM).start()) {
            int warmUp = cycles / 10;
            long rssStart = 0;
            int fdStart = 0;
            for (int i = 0; i < cycles; i++) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    InputStream in = s.getInputStream();
                    Sockets.line(in);
                    s.getOutputStream().write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("PONG", Sockets.line(in));
                }
                if (i == warmUp) {
                    rssStart = server.rssKb();
                    fdStart = server.openFiles();
                }
            }
            Thread.sleep(200); // let the last closes be processed before counting descriptors
            long rssEnd = server.rssKb();
            int fdEnd = server.openFiles();
            System.out.printf("FAULT connect churn: %d cycles, RSS %d -> %d MB after warm-up, open files %d -> %d%n",
                    cycles, rssStart / 1024, rssEnd / 1024, fdStart, fdEnd);
            assertTrue(fdEnd - fdStart <= 8, "descriptors leak: " + fdStart + " -> " + fdEnd);
            // the bound: 48 MB over the run (measured +18 to +30 MB: JIT code and the closed-connection ring)
            assertTrue(rssEnd - rssStart <= 48 * 1024, "RSS grew by more than 48 MB: " + rssStart + " -> " + rssEnd);
        }
    }

    @Test
    void aMaxConnectionsFloodIsRefusedAndBystandersWork() throws Exception {
        try (ServerProcess server = new ServerProcess("max_connections: 50\n", Sockets.freePort(), JVM).start();
             Connection bystander = Nats.connect(server.url())) {
            List<Socket> flood = new ArrayList<>();
            int accepted = 0;
            int refused = 0;
            try {
                for (int i = 0; i < 150; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.setSoTimeout(5000);
                    flood.add(s);
                    String first = Sockets.line(s.getInputStream());
                    if (first.startsWith("INFO")) {
                        s.getOutputStream().write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                        String reply = Sockets.line(s.getInputStream());
                        if (reply.equals("PONG")) {
                            accepted++;
                        } else if (reply.contains("maximum connections exceeded")) {
                            refused++;
                        }
                    } else if (first.contains("maximum connections exceeded")) {
                        refused++;
                    }
                }
                CountDownLatch got = new CountDownLatch(1);
                bystander.createDispatcher(m -> got.countDown()).subscribe("still.here");
                bystander.flush(Duration.ofSeconds(5));
                bystander.publish("still.here", new byte[1]);
                assertTrue(got.await(5, TimeUnit.SECONDS), "the bystander still works");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            assertEquals(49, accepted, "the limit counts the bystander");
            assertEquals(101, refused);
            System.out.printf("FAULT max-connections flood: 150 attempts, %d accepted, %d refused with the"
                    + " reference's error, bystander unaffected%n", accepted, refused);
        }
    }

    private static long slowConsumerLines(ServerProcess server) throws IOException {
        long n = 0;
        try (var files = Files.list(server.dir())) {
            for (Path p : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                n += Files.readAllLines(p).stream().filter(l -> l.contains("Slow Consumer Detected")).count();
            }
        }
        return n;
    }

    /** Microseconds from the first accepted TCP connection to its INFO, while the server starts. */
    private static long firstInfoMicros(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                long t = System.nanoTime();
                s.setSoTimeout(5000);
                if (s.getInputStream().read() == 'I') {
                    return (System.nanoTime() - t) / 1000;
                }
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        return -1;
    }
}
