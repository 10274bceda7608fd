package io.natsjvm.server.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Not a test: the claims path measured side by side (run by hand, see README). This server (a
 * process, as scripts/server runs it) and nats-server 2.9.10 get the same operator and N accounts
 * preloaded in the MEMORY resolver, one live connection per account; then, on the target account:
 * a CLAIMS.UPDATE that lowers `conn` to 1 with three connections, timed from the publish until both
 * excess connections are closed; a revocation, timed until the victim is closed; back-to-back
 * updates (request/reply, 16 in flight); and the RSS at the end. Prints a table of medians, p90,
 * maxima and ratios. Arguments: accounts (1000), rounds (7). Properties: {@code claims.updates}
 * (back-to-back updates, 400), {@code claims.verbose} (each round's times), {@code claims.jvm}
 * (more options for this server's JVM), {@code claims.jfr} (a JFR file of this server's run),
 * {@code claims.jcmd} (a jcmd command run on this server at the end, e.g. {@code VM.native_memory summary},
 * several separated by ';'), {@code claims.smaps} (this server's resident memory by mapping at the end).
 */
public final class ClaimsUpdateLatency {
    private static final Path ROOT = Path.of(System.getProperty("claims.root", "..")).toAbsolutePath().normalize();

    record Result(List<Long> lower, List<Long> revoke, List<Long> serial, double updatesPerSec, long rssKb) {
    }

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        JwtFixture f = new JwtFixture(n -> { });
        StringBuilder preload = new StringBuilder();
        List<NKeyPair> keys = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            NKeyPair a = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
            keys.add(a);
            preload.append("  ").append(a.publicKey()).append(": ")
                    .append(Jwts.sign(JwtFixture.claims(a.publicKey(), "account", "A" + i), f.operatorSigner)).append('\n');
        }
        String config = f.config().replace("resolver_preload: {\n", "resolver_preload: {\n" + preload);
        // The measuring client is a JVM too: it first runs once against nats-server, unmeasured, so
        // that neither server is timed by a client still compiling its own code (measuring ours
        // first used to hand nats-server a warm client).
        try (ReferenceServer r = ReferenceServer.start(config)) {
            measure(r.port(), f, keys, rounds, () -> 0);
        }
        int ourPort = Sockets.freePort();
        Result ours;
        String jfr = System.getProperty("claims.jfr"); // profile this server: a JFR file name
        // scripts/server's default options (NATS_JVM_OPTS replaces them, so they are repeated)
        List<String> jvm = new ArrayList<>(ServerProcess.SCRIPT_JVM);
        String extra = System.getProperty("claims.jvm"); // more JVM options for this server, space-separated
        if (extra != null) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=1ms");
        }
        try (ServerProcess p = new ServerProcess(config, ourPort, jvm.toArray(new String[0])).asScripted(ROOT).start()) {
            ours = measure(ourPort, f, keys, rounds, () -> (int) rss(p.pid()));
            if (jfr != null) {
                jcmd(p.pid(), "JFR.dump filename=" + jfr);
            }
            String diagnose = System.getProperty("claims.jcmd"); // e.g. "VM.native_memory summary;GC.heap_info"
            if (diagnose != null) {
                for (String command : diagnose.split(";")) {
                    jcmd(p.pid(), command.trim());
                }
            }
            if (Boolean.getBoolean("claims.smaps")) {
                residentByMapping(p.pid());
            }
        }
        Result ref;
        try (ReferenceServer r = ReferenceServer.start(config)) {
            ref = measure(r.port(), f, keys, rounds, () -> (int) rss(r.pid()));
        }
        System.out.printf("%-40s %12s %12s %7s%n", "claims path (" + accounts + " accounts)", "nats-jvm", "nats-server",
                "ratio");
        row("lower conn: excess closed p50 ms", pct(ours.lower, 50), pct(ref.lower, 50));
        row("lower conn: excess closed p90 ms", pct(ours.lower, 90), pct(ref.lower, 90));
        row("lower conn: excess closed max ms", pct(ours.lower, 100), pct(ref.lower, 100));
        row("revocation: victim closed p50 ms", pct(ours.revoke, 50), pct(ref.revoke, 50));
        row("revocation: victim closed max ms", pct(ours.revoke, 100), pct(ref.revoke, 100));
        row("update round trip p50 ms (1 in flight)", pct(ours.serial, 50), pct(ref.serial, 50));
        row("updates/s (16 in flight)", ours.updatesPerSec, ref.updatesPerSec);
        row("RSS at the end MB", ours.rssKb / 1024.0, ref.rssKb / 1024.0);
    }

    private static Result measure(int port, JwtFixture f, List<NKeyPair> keys, int rounds, IntSupplier rss)
            throws Exception {
        List<RawClient> idle = new ArrayList<>();
        for (NKeyPair a : keys) {
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            idle.add(JwtFixture.rawLogin(port, JwtFixture.user(u, a, "u", c -> { }), u, true));
        }
        NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
        RawClient sys = JwtFixture.rawLogin(port, JwtFixture.user(admin, f.sys, "admin", c -> { }), admin, true);
        List<Long> lower = new ArrayList<>();
        List<Long> revoke = new ArrayList<>();
        long iat = System.currentTimeMillis() / 1000;
        for (int round = 0; round < rounds; round++) {
            push(sys, f, account(f, ++iat, n -> n.with("limits").put("conn", -1)));
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = JwtFixture.user(u, f.app, "u", c -> { });
            RawClient a = JwtFixture.rawLogin(port, jwt, u, true);
            RawClient b = JwtFixture.rawLogin(port, jwt, u, true);
            RawClient c = JwtFixture.rawLogin(port, jwt, u, true);
            String lowered = account(f, ++iat, n -> n.with("limits").put("conn", 1));
            long start = System.nanoTime();
            publish(sys, lowered);
            a.expect("-ERR 'maximum account active connections exceeded'");
            b.expect("-ERR 'maximum account active connections exceeded'");
            a.expectClosed();
            b.expectClosed();
            lower.add(System.nanoTime() - start);
            c.close();

            push(sys, f, account(f, ++iat, n -> n.with("limits").put("conn", -1)));
            NKeyPair victimKey = NKeyPair.create(NKeys.PREFIX_USER);
            RawClient victim = JwtFixture.rawLogin(port, JwtFixture.user(victimKey, f.app, "v", x -> { }), victimKey, true);
            long now = System.currentTimeMillis() / 1000 + 1;
            String revoking = account(f, ++iat, n -> n.putObject("revocations").put(victimKey.publicKey(), now));
            start = System.nanoTime();
            publish(sys, revoking);
            victim.expect("-ERR 'User Authentication Revoked'");
            victim.expectClosed();
            revoke.add(System.nanoTime() - start);
            if (Boolean.getBoolean("claims.verbose")) {
                System.out.printf("round %d: lower %.2f ms, revoke %.2f ms%n", round,
                        lower.get(round) / 1e6, revoke.get(round) / 1e6);
            }
        }
        // back-to-back updates of the account (each a new JWT), replies awaited 16 at a time
        int updates = Integer.getInteger("claims.updates", 400);
        List<String> jwts = new ArrayList<>();
        for (int i = 0; i < updates; i++) {
            int conn = 1000 + i;
            jwts.add(account(f, iat + 1000 + i, n -> n.with("limits").put("conn", conn)));
        }
        String subject = "$SYS.REQ.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE";
        sys.send("SUB _R.* 99\r\nPING\r\n").expect("PONG");
        // one update at a time: the round trip of a request to $SYS.REQ.ACCOUNT.<id>.CLAIMS.UPDATE
        List<Long> serial = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String j = account(f, iat + 1 + i, n -> n.with("limits").put("conn", 5000));
            long t = System.nanoTime();
            sys.send("PUB " + subject + " _R.x " + j.length() + "\r\n" + j + "\r\n");
            awaitReply(sys);
            serial.add(System.nanoTime() - t);
        }
        iat += 200;
        long start = System.nanoTime();
        int replies = 0;
        for (int i = 0; i < updates; i++) {
            sys.send("PUB " + subject + " _R." + i + " " + jwts.get(i).length() + "\r\n" + jwts.get(i) + "\r\n");
            if (i - replies >= 16) {
                replies += awaitReply(sys);
            }
        }
        while (replies < updates) {
            replies += awaitReply(sys);
        }
        double perSec = updates / ((System.nanoTime() - start) / 1e9);
        long kb = rss.getAsInt();
        for (RawClient r : idle) {
            r.close();
        }
        sys.close();
        return new Result(lower, revoke, serial, perSec, kb);
    }

    /** Reads until one MSG (a reply) has been consumed: its header and payload lines. */
    private static int awaitReply(RawClient sys) throws Exception {
        while (true) {
            String line = sys.readLine();
            if (line.startsWith("MSG ")) {
                sys.readLine();
                return 1;
            }
        }
    }

    private static String account(JwtFixture f, long iat, java.util.function.Consumer<ObjectNode> nats) {
        ObjectNode a = JwtFixture.claims(f.app.publicKey(), "account", "APP");
        a.put("iat", iat);
        nats.accept(a.with("nats"));
        return Jwts.sign(a, f.operatorSigner);
    }

    private static void publish(RawClient sys, String jwt) throws Exception {
        sys.send("PUB $SYS.ACCOUNT.<KEY>.CLAIMS.UPDATE ".replace("<KEY>", subjectKey(jwt)) + jwt.length() + "\r\n"
                + jwt + "\r\n");
    }

    private static String subjectKey(String jwt) throws Exception {
        return Jwts.decode(jwt).subject();
    }

    /** Publishes an update and waits until the server has processed it (PING/PONG, then a beat). */
    private static void push(RawClient sys, JwtFixture f, String jwt) throws Exception {
        publish(sys, jwt);
        sys.send("PING\r\n");
        // a long run outlasts the server's ping interval: answer its PINGs while waiting
        for (String line = sys.readLine(); !line.equals("PONG"); line = sys.readLine()) {
            if (line.equals("PING")) {
                sys.send("PONG\r\n");
            }
        }
        Thread.sleep(50);
    }

    /** Where the resident memory is: KB per mapping (file name, or [anon]/[heap]...), largest first. */
    private static void residentByMapping(long pid) throws Exception {
        Map<String, Long> kb = new TreeMap<>();
        String mapping = "?";
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 5 && f[0].contains("-") && !f[0].endsWith(":")) {
                mapping = f.length >= 6 ? f[5] : "[anon]";
            } else if (f[0].equals("Rss:")) {
                kb.merge(mapping, Long.parseLong(f[1]), Long::sum);
            }
        }
        kb.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(12)
                .forEach(e -> System.out.printf("%8d KB  %s%n", e.getValue(), e.getKey()));
    }

    private static void jcmd(long pid, String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command.split(" ")));
        new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    private static double pct(List<Long> nanos, int p) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        int i = Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1);
        return s.get(Math.max(i, 0)) / 1e6;
    }

    private static void row(String name, double ours, double ref) {
        System.out.printf("%-40s %12.2f %12.2f %7.2f%n", name, ours, ref, ours / ref);
    }

    private static long rss(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
