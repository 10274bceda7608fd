package io.natsjvm.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

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
        train();
        System.exit(0);
    }

    /** Everything the training does; throws if any session is refused or cut short. */
    static void train() throws Exception {
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
        operatorMode();
    }

    /**
     * The sample configuration (and most deployments) run in operator mode: a command line and a
     * config file with an operator, a full resolver and preloaded accounts; JWT logins; a
     * CLAIMS.UPDATE. Without this the JWT, Ed25519, resolver and command-line classes were
     * loaded from the jar on every start.
     */
    private static void operatorMode() throws Exception {
        Path dir = Files.createTempDirectory("nats-cds-training");
        try {
            NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);
            NKeyPair sys = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
            NKeyPair app = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
            ObjectNode op = Jwts.claims(operator.publicKey(), "OP", "operator");
            op.with("nats").put("system_account", sys.publicKey());
            String appJwt = Jwts.sign(Jwts.claims(app.publicKey(), "APP", "account"), operator);
            Path conf = dir.resolve("operator.conf");
            Files.writeString(conf, "operator: " + Jwts.sign(op, operator) + "\nsystem_account: " + sys.publicKey()
                    + "\nresolver: { type: full, dir: \"" + dir.resolve("jwt") + "\" }\nresolver_preload: {\n  "
                    + sys.publicKey() + ": " + Jwts.sign(Jwts.claims(sys.publicKey(), "SYS", "account"), operator)
                    + "\n  " + app.publicKey() + ": " + appJwt + "\n}\n");
            CommandLine cl = CommandLine.parse(new String[] {"-c", conf.toString(), "-a", "127.0.0.1", "-p", "0"});
            ServerOptions o = OptionsLoader.loadFile(conf);
            cl.applyTo(o);
            NatsServer server = new NatsServer(o).start();
            try {
                jwtSession(server.port(), app, "SUB t 1\r\nPUB t 2\r\nhi\r\nPING\r\n", "PONG\r\n");
                ObjectNode updated = Jwts.claims(app.publicKey(), "APP", "account");
                updated.with("nats").with("limits").put("conn", 1000);
                String update = Jwts.sign(updated, operator);
                jwtSession(server.port(), sys, "SUB _R 1\r\nPUB $SYS.REQ.CLAIMS.UPDATE _R " + update.length() + "\r\n"
                        + update + "\r\n", "MSG _R");
            } finally {
                server.shutdown();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Logs a new user of {@code account} in (JWT and signed nonce), sends {@code wire}, reads until {@code until}. */
    private static void jwtSession(int port, NKeyPair account, String wire, String until) throws IOException {
        NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
        String jwt = Jwts.sign(Jwts.claims(user.publicKey(), "training", "user"), account);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            String info = readLine(in);
            int at = info.indexOf("\"nonce\":\"") + 9;
            String nonce = info.substring(at, info.indexOf('"', at));
            String sig = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(user.sign(nonce.getBytes(StandardCharsets.US_ASCII)));
            s.getOutputStream().write(("CONNECT {\"verbose\":false,\"pedantic\":false,\"jwt\":\"" + jwt + "\",\"sig\":\""
                    + sig + "\",\"headers\":true,\"no_responders\":true,\"protocol\":1}\r\n" + wire)
                    .getBytes(StandardCharsets.US_ASCII));
            readUntil(in, until);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
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
                wire.append("HPUB train.h 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\n");
            }
            wire.append("UNSUB 2\r\nPING\r\n");
            out.write(wire.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readUntil(in, "PONG\r\n");
        }
    }

    /**
     * Reads until {@code marker} has arrived (the server has handled everything sent before it).
     * A session the server ends first (it refused something: the training input is wrong) fails
     * the training, which then makes no archive rather than one that misses the message path.
     */
    private static void readUntil(InputStream in, String marker) throws IOException {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        int c;
        StringBuilder seen = new StringBuilder();
        while ((c = in.read()) >= 0) {
            if (seen.length() < 200) {
                seen.append((char) c);
            }
            matched = c == m[matched] ? matched + 1 : (c == m[0] ? 1 : 0);
            if (matched == m.length) {
                return;
            }
        }
        throw new IOException("the server closed the training session before " + marker.trim() + ": " + seen);
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
