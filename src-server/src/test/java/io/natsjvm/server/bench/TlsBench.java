package io.natsjvm.server.bench;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestCerts;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: a measurement run by hand (README, benchmark section). This server (a process, as
 * scripts/server runs it) and nats-server 2.9.10 with the same throwaway certificates, alternately,
 * fresh processes each round: TLS pub/sub (one publisher and one subscriber connection, 128-byte
 * messages, msgs/s at the subscriber) and TLS connects (handshake, CONNECT, PING/PONG, close;
 * connects/s from one client thread). Same jnats client for both, so the ratio compares servers.
 * Arguments: rounds (3), messages (300000), connects (300).
 */
public final class TlsBench {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        int connects = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        TestCerts certs = new TestCerts("Bench CA");
        TestCerts.Issued server = certs.server();
        String conf = "tls {\n  cert_file: \"" + server.certFile() + "\"\n  key_file: \"" + server.keyFile()
                + "\"\n}\n";
        SSLContext ctx = certs.clientContext(null);
        List<Double> ourPub = new ArrayList<>();
        List<Double> refPub = new ArrayList<>();
        List<Double> ourConn = new ArrayList<>();
        List<Double> refConn = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            int port = Sockets.freePort();
            List<String> jvm = new ArrayList<>(ServerProcess.SCRIPT_JVM);
            if (System.getProperty("tlsbench.engine") != null) { // "jdk": this server on the JDK's engine
                jvm.add("-Dnatsjvm.tls.engine=" + System.getProperty("tlsbench.engine"));
            }
            String jfr = System.getProperty("tlsbench.jfr"); // profile our server: a JFR file name
            if (jfr != null) {
                jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
            }
            try (ServerProcess ours = new ServerProcess(conf, port, jvm.toArray(new String[0])).start()) {
                String url = "tls://127.0.0.1:" + port;
                pubsub(url, ctx, messages / 10); // warm-up, as compare.sh does one pass
                ourPub.add(pubsub(url, ctx, messages));
                ourConn.add(connects(url, ctx, connects));
                if (jfr != null) {
                    new ProcessBuilder("jcmd", Long.toString(ours.pid()), "JFR.dump", "filename=" + jfr)
                            .inheritIO().start().waitFor();
                }
            }
            try (ReferenceServer ref = ReferenceServer.start(conf)) {
                String url = "tls://127.0.0.1:" + ref.port();
                pubsub(url, ctx, messages / 10);
                refPub.add(pubsub(url, ctx, messages));
                refConn.add(connects(url, ctx, connects));
            }
        }
        System.out.printf("%-22s %14s %14s %7s%n", "scenario", "nats-jvm", "nats-server", "ratio");
        row("tls pubsub128 msgs/s", ourPub, refPub);
        row("tls connects/s", ourConn, refConn);
    }

    private static void row(String name, List<Double> a, List<Double> b) {
        double ma = median(a);
        double mb = median(b);
        System.out.printf("%-22s %14.0f %14.0f %7.2f%n", name, ma, mb, ma / mb);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static Options.Builder options(String url, SSLContext ctx) {
        return new Options.Builder().server(url).sslContext(ctx).noReconnect()
                .connectionTimeout(Duration.ofSeconds(5));
    }

    /** Messages per second received by one subscriber from one publisher. */
    private static double pubsub(String url, SSLContext ctx, int n) throws Exception {
        byte[] payload = new byte[128];
        try (Connection sub = Nats.connect(options(url, ctx).build());
                Connection pub = Nats.connect(options(url, ctx).build())) {
            CountDownLatch done = new CountDownLatch(n);
            Dispatcher d = sub.createDispatcher(m -> done.countDown());
            d.subscribe("bench.tls");
            sub.flush(Duration.ofSeconds(5));
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pub.publish("bench.tls", payload);
            }
            pub.flush(Duration.ofSeconds(30));
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (n - done.getCount()) + " of " + n + " arrived");
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Sequential TLS logins per second over a raw socket (the client library's own close takes
     * about a second, which would be all this measured): TCP connect, INFO, handshake, CONNECT,
     * PING, PONG, close.
     */
    private static double connects(String url, SSLContext ctx, int n) throws Exception {
        URI u = URI.create(url);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Socket plain = new Socket(u.getHost(), u.getPort())) {
                plain.setTcpNoDelay(true);
                readLine(plain.getInputStream()); // INFO, in plain text
                try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, u.getHost(), u.getPort(),
                        true)) {
                    tls.setUseClientMode(true);
                    tls.startHandshake();
                    OutputStream out = tls.getOutputStream();
                    out.write("CONNECT {\"verbose\":false}\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    String line = readLine(tls.getInputStream());
                    if (!line.startsWith("PONG")) {
                        throw new IllegalStateException("expected PONG, got " + line);
                    }
                }
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.append((char) c);
        }
        return b.toString();
    }
}
