package io.natsjvm.server.bench;

import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Not a test: a fleet reconnecting into a restarted server, side by side (run by hand, see
 * README). N nats.go clients ({@code modules/bench/storm/storm.go}, built here on first use; each
 * client its own user JWT in operator mode, or no auth with {@code plain}) with nats.go's default
 * reconnect (2 s between attempts, 100 ms jitter) are connected to a server; the server is stopped
 * (SIGTERM) and started again on the same port; each client, once reconnected, publishes and
 * flushes (a round trip: it is back and its traffic is served). Times are from the exec of the
 * new server process: when its port first answers, and when the first, the median, the 99th
 * percentile and the last client is back. This server runs as {@code scripts/server} runs it
 * (class-data archive included); the other is nats-server 2.9.10. Arguments: clients (2000),
 * restarts per server (3), mode ({@code jwt} or {@code plain}).
 */
public final class ReconnectStorm {
    private static final Path ROOT = Path.of(System.getProperty("storm.root", "..")).toAbsolutePath().normalize();
    private static final Path TOOL = ROOT.resolve("modules/bench/target/storm");

    record Restart(double readyMs, double firstMs, double p50Ms, double p99Ms, double allMs, double missing) {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int restarts = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean jwt = args.length <= 2 || args[2].equals("jwt");
        buildTool();
        Path dir = Files.createTempDirectory("storm");
        JwtFixture f = new JwtFixture(n -> { });
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < clients && jwt; i++) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            users.append(JwtFixture.user(u, f.app, "u" + i, c -> { })).append(' ').append(u.encodedSeed()).append('\n');
        }
        Path usersFile = dir.resolve("users.txt");
        Files.writeString(usersFile, users);
        Path conf = dir.resolve("storm.conf");
        Files.writeString(conf, jwt ? f.config() : "# no auth\n");
        int port = Sockets.freePort();
        List<String> ours = List.of(ROOT.resolve("scripts/server").toString(), "-c", conf.toString(), "-a", "127.0.0.1",
                "-p", Integer.toString(port));
        List<String> ref = List.of(ReferenceServer.binary(), "-c", conf.toString(), "-a", "127.0.0.1", "-p",
                Integer.toString(port));
        List<String> tool = new ArrayList<>(List.of(TOOL.toString(), "-url", "nats://127.0.0.1:" + port, "-clients",
                Integer.toString(clients)));
        if (jwt) {
            tool.addAll(List.of("-users", usersFile.toString()));
        }
        List<Restart> refResults = storm(ref, port, tool, restarts, dir.resolve("ref.log"));
        List<Restart> ourResults = storm(ours, port, tool, restarts, dir.resolve("ours.log"));
        System.out.printf("%nreconnect storm: %d nats.go clients (%s), restarted %d times; ms from the exec of the"
                + " new server, median of restarts%n", clients, jwt ? "a user JWT each, operator mode" : "no auth",
                restarts);
        System.out.printf("%-30s %12s %12s %7s%n", "", "nats-jvm", "nats-server", "ratio");
        row("port answers", ourResults, refResults, Restart::readyMs);
        row("first client back", ourResults, refResults, Restart::firstMs);
        row("half the clients back", ourResults, refResults, Restart::p50Ms);
        row("99% of the clients back", ourResults, refResults, Restart::p99Ms);
        row("all clients back", ourResults, refResults, Restart::allMs);
        row("clients not back in 60 s", ourResults, refResults, Restart::missing);
        for (int i = 0; i < restarts; i++) {
            System.out.printf("restart %d: nats-jvm    %s%n           nats-server %s%n", i + 1, ourResults.get(i),
                    refResults.get(i));
        }
    }

    private static List<Restart> storm(List<String> server, int port, List<String> tool, int restarts, Path log)
            throws Exception {
        Process s = start(server, log);
        awaitPort(port, System.nanoTime());
        Process fleet = new ProcessBuilder(tool).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        List<Restart> results = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter in = new PrintWriter(fleet.getOutputStream(), true, StandardCharsets.UTF_8)) {
            expect(out, "READY");
            for (int r = 0; r < restarts; r++) {
                in.println("ARM");
                expect(out, "ARMED");
                s.destroy(); // SIGTERM
                s.waitFor(30, TimeUnit.SECONDS);
                Instant execWall = Instant.now();
                long exec = System.nanoTime();
                s = start(server, log);
                long ready = awaitPort(port, exec);
                in.println("GO " + (execWall.getEpochSecond() * 1_000_000_000L + execWall.getNano()));
                String[] back = expect(out, "BACK").split(" ");
                results.add(new Restart((ready - exec) / 1e6, Double.parseDouble(back[1]), Double.parseDouble(back[2]),
                        Double.parseDouble(back[3]), Double.parseDouble(back[4]), Double.parseDouble(back[5])));
                System.err.println(server.get(0) + " restart " + (r + 1) + ": " + results.get(r));
            }
            String jfr = System.getProperty("storm.jfr"); // with -XX:StartFlightRecording in NATS_JVM_OPTS
            if (jfr != null && server.get(0).endsWith("scripts/server")) {
                new ProcessBuilder("jcmd", Long.toString(s.pid()), "JFR.dump", "filename=" + jfr).inheritIO().start()
                        .waitFor();
            }
        } finally {
            fleet.destroy();
            fleet.waitFor(30, TimeUnit.SECONDS);
            s.destroy();
            s.waitFor(30, TimeUnit.SECONDS);
        }
        return results;
    }

    private static String expect(BufferedReader out, String prefix) throws IOException {
        String line = out.readLine();
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException("storm tool said " + line + ", expected " + prefix);
        }
        return line;
    }

    /** Builds the nats.go client fleet with Debian's Go and nats.go (golang-github-nats-io-go-nats-dev). */
    private static void buildTool() throws Exception {
        Path source = ROOT.resolve("modules/bench/storm/storm.go");
        if (Files.exists(TOOL) && Files.getLastModifiedTime(TOOL).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return;
        }
        Files.createDirectories(TOOL.getParent());
        ProcessBuilder go = new ProcessBuilder("go", "build", "-o", TOOL.toString(), source.toString()).inheritIO();
        go.environment().put("GO111MODULE", "off");
        go.environment().put("GOFLAGS", "");
        go.environment().putIfAbsent("GOPATH", "/usr/share/gocode");
        go.environment().put("GOCACHE", TOOL.getParent().resolve(".gocache").toString());
        if (go.start().waitFor() != 0) {
            throw new IllegalStateException("go build of " + source + " failed");
        }
    }

    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until the port accepts a connection; returns when (nanoTime). */
    private static long awaitPort(int port, long since) throws InterruptedException {
        while (System.nanoTime() - since < TimeUnit.SECONDS.toNanos(60)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return System.nanoTime();
            } catch (IOException notYet) {
                Thread.sleep(1);
            }
        }
        throw new IllegalStateException("server did not listen on " + port);
    }

    private static void row(String name, List<Restart> ours, List<Restart> ref, ToDoubleFunction<Restart> metric) {
        double a = median(ours, metric);
        double b = median(ref, metric);
        System.out.printf("%-30s %12.0f %12.0f %7.2f%n", name, a, b, b == 0 ? Double.NaN : a / b);
    }

    private static double median(List<Restart> rs, ToDoubleFunction<Restart> metric) {
        double[] v = rs.stream().mapToDouble(metric).sorted().toArray();
        return v[v.length / 2];
    }
}
