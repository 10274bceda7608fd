package io.natsjvm.server.cli;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The training run for a class-data sharing archive ({@code scripts/server} runs it once per
 * build with {@code -XX:ArchiveClassesAtExit}): starts a server on free loopback ports, logs a
 * client in, subscribes, publishes, asks for a reply, reads monitoring pages, and exits. Every
 * class that took loads the archive, so a real start maps them instead of parsing and verifying
 * them again: about half of the time from exec to listening, and less resident memory.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        int http = freePort();
        String conf = """
                host: 127.0.0.1
                http_port: %d
                accounts {
                  APP { users = [ {user: app, password: app} ] }
                  SYS { users = [ {user: sys, password: sys} ] }
                }
                system_account: SYS
                """.formatted(http);
        ServerOptions o = OptionsLoader.load(ConfigParser.parse(conf));
        o.port = 0;
        NatsServer server = new NatsServer(o).start();
        try {
            exercise(server.port());
            for (String page : new String[] {"varz", "connz", "subsz", "healthz"}) {
                get("http://127.0.0.1:" + http + "/" + page);
            }
        } finally {
            server.shutdown();
        }
        System.exit(0);
    }

    private static void exercise(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            StringBuilder wire = new StringBuilder();
            wire.append("CONNECT {\"verbose\":false,\"pedantic\":false,\"user\":\"app\",\"pass\":\"app\",\"headers\":true,"
                    + "\"no_responders\":true,\"protocol\":1}\r\n");
            wire.append("SUB train.> 1\r\nSUB train.q grp 2\r\nSUB _INBOX.train 3\r\n");
            for (int i = 0; i < 2000; i++) {
                wire.append("PUB train.a 5\r\nhello\r\n");
                wire.append("PUB train.q _INBOX.train 2\r\nhi\r\n");
                wire.append("HPUB train.h 22 24\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\n");
            }
            wire.append("UNSUB 2\r\nPING\r\n");
            out.write(wire.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readUntil(in, "PONG\r\n");
        }
    }

    /** Reads until {@code marker} has arrived (the server has handled everything sent before it). */
    private static void readUntil(InputStream in, String marker) throws IOException {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            matched = c == m[matched] ? matched + 1 : (c == m[0] ? 1 : 0);
            if (matched == m.length) {
                return;
            }
        }
    }

    private static void get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        } finally {
            c.disconnect();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
