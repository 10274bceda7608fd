package io.natsjvm.server.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import com.sun.net.httpserver.HttpServer;
import io.natsjvm.server.util.Browser;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.ReferenceShape;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The websocket listener: jnats and nats.ws (the browser client, run by Node) over ws://, plain
 * clients and websocket clients in one subject space, CONNZ client type, and the HTTP upgrade's
 * refusals compared with nats-server 2.9.10's byte for byte (status line and body).
 */
class WebsocketTest {
    static String config(int wsPort, String extra) {
        return "websocket {\n  listen: 127.0.0.1:" + wsPort + "\n  no_tls: true\n" + extra + "}\n";
    }

    @Test
    void jnatsOverWebsocketMeetsAPlainClient() throws Exception {
        int ws = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig(config(ws, "  compression: true\n"));
                Connection web = Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + ws)
                        .connectionName("web").noReconnect().build());
                Connection plain = Interest.connect(s.url())) {
            Subscription sub = web.subscribe("to.web");
            web.flush(Duration.ofSeconds(2));
            Interest.awaitInterest(plain, sub, "to.web");
            byte[] big = new byte[200_000];
            plain.publish("to.web", big);
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertNotNull(m);
            assertEquals(big.length, m.getData().length, "a message larger than one frame arrives whole");
            web.createDispatcher(r -> web.publish(r.getReplyTo(), "pong".getBytes())).subscribe("svc");
            web.flush(Duration.ofSeconds(2));
            assertEquals("pong", new String(plain.request("svc", new byte[0], Duration.ofSeconds(5)).getData()));
            String connz = s.server().monitor().connz(new io.natsjvm.server.monitor.Options.Connz(null, false, false,
                    false, 0, 0, 0, null, 0, null, null, null)).toString();
            assertTrue(connz.contains("type=websocket") && connz.contains("name=web"), connz);
        }
    }

    /**
     * {@code allowed_connection_types} of configured users: a websocket-only user is refused on
     * the NATS port and a standard-only user on the websocket port, with the reference's
     * Authorization Violation (the NATS side compared with nats-server).
     */
    @Test
    void allowedConnectionTypesKeepEachUserToItsKindOfConnection() throws Exception {
        int ws = Sockets.freePort();
        String conf = config(ws, "") + "authorization { users = [\n"
                + "  {user: web, password: w, allowed_connection_types: [\"websocket\"]}\n"
                + "  {user: tcp, password: t, allowed_connection_types: [\"STANDARD\"]}\n] }\n";
        try (TestServer s = TestServer.fromConfig(conf)) {
            try (Connection web = Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + ws)
                    .userInfo("web", "w").noReconnect().build())) {
                web.flush(Duration.ofSeconds(2));
            }
            assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + ws)
                    .userInfo("tcp", "t").noReconnect().connectionTimeout(Duration.ofSeconds(2)).build()).close());
            try (Connection tcp = Interest.connect("nats://tcp:t@127.0.0.1:" + s.port())) {
                tcp.flush(Duration.ofSeconds(2));
            }
            try (RawClient raw = new RawClient(s.port())) {
                raw.send("CONNECT {\"user\":\"web\",\"pass\":\"w\",\"verbose\":false}\r\nPING\r\n");
                assertEquals("-ERR 'Authorization Violation'", raw.readLine());
            }
            try (ReferenceServer ref = ReferenceServer.start(config(Sockets.freePort(), "") + conf.substring(
                    conf.indexOf("authorization")));
                    RawClient raw = new RawClient(ref.port())) {
                raw.send("CONNECT {\"user\":\"web\",\"pass\":\"w\",\"verbose\":false}\r\nPING\r\n");
                assertEquals("-ERR 'Authorization Violation'", raw.readLine(), "the reference's verdict");
            }
        }
    }

    /** nats.ws, the client browsers use, run by Node with the ws package as its WebSocket. */
    @Test
    void natsWsFromNode() throws Exception {
        Path dir = NodeClients.natsWs();
        assumeTrue(dir != null, "node/npm with nats.ws not available");
        int ws = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig(config(ws, "  compression: true\n"))) {
            JsonNode r = NodeClients.run(dir, "natsws-client.mjs", "ws://127.0.0.1:" + ws);
            assertEquals("ws.hello", r.at("/message/subject").asText());
            assertEquals("from nats.ws", r.at("/message/data").asText());
            assertEquals("yes", r.at("/message/hdr").asText(), "headers cross");
            assertEquals("pong:ping", r.get("reply").asText());
            assertEquals(s.server().serverId(), r.get("server").asText());
        }
    }

    /**
     * The websocket block's own credentials (the reference's auth override): websocket clients
     * log in with them, TCP clients with the server's; no_auth_user lets a credential-less
     * websocket client in as that user. Conflicting settings stop start-up with the reference's words.
     */
    @Test
    void websocketCredentialsOverrideTheServers() throws Exception {
        int ws = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig(config(ws, "  authorization { user: wsu, password: wsp, timeout: 1 }\n"))) {
            try (Connection c = Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + ws)
                    .userInfo("wsu", "wsp").noReconnect().build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus());
            }
            assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + ws)
                    .noReconnect().connectionTimeout(Duration.ofSeconds(2)).build()).close(), "no credentials");
            try (Connection tcp = Nats.connect(s.url())) {
                assertEquals(Connection.Status.CONNECTED, tcp.getStatus(), "TCP clients: the server's (no) auth");
            }
            // as the reference: websocket clients are told auth is required, TCP clients are not
            String upgraded = exchange(ws, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            assertTrue(upgraded.contains("\"auth_required\":true"), upgraded);
            try (io.natsjvm.server.util.RawClient raw = s.raw()) {
                assertTrue(!raw.info().contains("auth_required"), raw.info());
            }
        }
        int ws2 = Sockets.freePort();
        String users = "authorization { users: [ {user: guest, password: g, permissions: {publish: \"public.>\"}},"
                + " {user: admin, password: a} ] }\n";
        java.util.List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TestServer s = TestServer.fromConfig(users + config(ws2, "  no_auth_user: guest\n"));
                Connection anon = Nats.connect(new Options.Builder().server("ws://127.0.0.1:" + ws2)
                        .errorListener(new io.nats.client.ErrorListener() {
                            @Override
                            public void errorOccurred(Connection conn, String error) {
                                errors.add(error);
                            }
                        }).noReconnect().build())) {
            assertEquals(Connection.Status.CONNECTED, anon.getStatus(), "in as guest");
            // the guest's permissions apply to its websocket connection
            anon.publish("private.x", new byte[0]);
            anon.flush(Duration.ofSeconds(2));
            io.natsjvm.server.util.Await.until(() -> errors.stream()
                    .anyMatch(e -> e.contains("Permissions Violation for Publish to \"private.x\"")), "the violation");
            String connz = s.server().monitor().connz(new io.natsjvm.server.monitor.Options.Connz(null, true, false,
                    false, 0, 0, 0, null, 0, null, null, null)).toString();
            assertTrue(connz.contains("authorizedUser=guest"), connz);
            assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server(s.url()).noReconnect()
                    .connectionTimeout(Duration.ofSeconds(2)).build()).close(), "TCP has no no_auth_user");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestServer.fromConfig(
                users + config(Sockets.freePort(), "  authorization { user: x, password: y }\n")).close());
        assertEquals("websocket authentication username not compatible with presence of users/nkeys", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TestServer.fromConfig(
                users + config(Sockets.freePort(), "  no_auth_user: nobody\n")).close());
        assertEquals("no_auth_user: \"nobody\" not present as user in authorization block or account configuration",
                e.getMessage());
    }

    /** Operator mode: a user limited to WEBSOCKET connections logs in over ws only, STANDARD the other way. */
    @Test
    void jwtConnectionTypesTellWebsocketFromStandard() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        int ws = Sockets.freePort();
        NKeyPair webUser = NKeyPair.create(NKeys.PREFIX_USER);
        NKeyPair tcpUser = NKeyPair.create(NKeys.PREFIX_USER);
        Path webCreds = JwtFixture.creds(JwtFixture.user(webUser, f.app, "web", u ->
                u.with("nats").putArray("allowed_connection_types").add("WEBSOCKET")), webUser);
        Path tcpCreds = JwtFixture.creds(JwtFixture.user(tcpUser, f.app, "tcp", u ->
                u.with("nats").putArray("allowed_connection_types").add("STANDARD")), tcpUser);
        try (TestServer s = TestServer.fromConfig(f.config() + config(ws, ""))) {
            try (Connection c = login("ws://127.0.0.1:" + ws, webCreds)) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus());
            }
            try (Connection c = login(s.url(), tcpCreds)) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus());
            }
            assertThrows(Exception.class, () -> login(s.url(), webCreds).close(), "WEBSOCKET-only over TCP");
            assertThrows(Exception.class, () -> login("ws://127.0.0.1:" + ws, tcpCreds).close(), "STANDARD over ws");
        }
    }

    /**
     * jwt_cookie: a browser sends its user JWT as a cookie with the upgrade; CONNECT then carries
     * only the nonce signature. A raw client: masked frames out, the server's frames parsed by hand.
     */
    @Test
    void theJwtCookieLogsInWithOnlyASignature() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
        String jwt = JwtFixture.user(user, f.app, "browser", u -> { });
        int ws = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig(f.config() + config(ws, "  jwt_cookie: my_jwt\n"));
                Socket socket = new Socket("127.0.0.1", ws)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Cookie: other=1; my_jwt=" + jwt + "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readUntil(in, "\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            String info = new String(readFrame(in), StandardCharsets.US_ASCII);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"nonce\":\"([^\"]+)\"").matcher(info);
            assertTrue(m.find(), info);
            String sig = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    user.sign(m.group(1).getBytes(StandardCharsets.US_ASCII)));
            writeMaskedFrame(out, "CONNECT {\"verbose\":false,\"sig\":\"" + sig + "\"}\r\nPING\r\n");
            assertEquals("PONG\r\n", new String(readFrame(in), StandardCharsets.US_ASCII));
        }
    }

    private static String readUntil(InputStream in, String end) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith(end)) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** One unmasked server frame's payload (lengths up to 64 KB). */
    private static byte[] readFrame(InputStream in) throws Exception {
        in.read(); // FIN + opcode
        int len = in.read() & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        }
        return in.readNBytes(len);
    }

    /** A client frame: binary, final, masked as RFC 6455 requires of clients (up to 64 KB). */
    private static void writeMaskedFrame(OutputStream out, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        byte[] key = {1, 2, 3, 4};
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x82);
        if (data.length < 126) {
            f.write(0x80 | data.length);
        } else {
            f.write(0x80 | 126);
            f.write(data.length >> 8);
            f.write(data.length & 0xff);
        }
        f.write(key);
        for (int i = 0; i < data.length; i++) {
            f.write(data[i] ^ key[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    private static Connection login(String url, Path creds) throws Exception {
        return Nats.connect(new Options.Builder().server(url).authHandler(Nats.credentials(creds.toString()))
                .noReconnect().connectionTimeout(Duration.ofSeconds(2)).build());
    }

    /**
     * nats.ws in a real browser (headless Chromium): the page, served from another origin the
     * listener allows, connects, publishes with headers and makes a request.
     */
    @Test
    void natsWsInABrowser() throws Exception {
        Path dir = NodeClients.natsWs();
        assumeTrue(dir != null && Browser.available(), "nats.ws (npm) or chromium not available");
        int ws = Sockets.freePort();
        int pagePort = Sockets.freePort();
        String page;
        try (InputStream in = WebsocketTest.class.getResourceAsStream("/websocket/browser.html")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("WS_PORT", Integer.toString(ws));
        }
        byte[] natsJs = Files.readAllBytes(dir.resolve("node_modules/nats.ws/esm/nats.js"));
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", pagePort), 0);
        http.createContext("/", x -> {
            boolean js = x.getRequestURI().getPath().equals("/nats.js");
            byte[] body = js ? natsJs : page.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", js ? "text/javascript" : "text/html");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        http.start();
        try (TestServer s = TestServer.fromConfig(config(ws,
                "  allowed_origins: [\"http://127.0.0.1:" + pagePort + "\"]\n  compression: true\n"));
                Browser browser = new Browser()) {
            browser.open("http://127.0.0.1:" + pagePort + "/");
            browser.until(() -> !browser.text("#result").equals("pending"), 15000, "the page's NATS round trip");
            JsonNode r = ReferenceShape.JSON.readTree(browser.text("#result").replaceFirst("^error: .*", "{}"));
            assertEquals("hi/yes", r.path("got").asText(), browser.text("#result"));
            assertEquals("pong", r.path("reply").asText());
            assertEquals(s.server().serverId(), r.path("server").asText());
        } finally {
            http.stop(0);
        }
    }

    /** nats.ws logs in every way a NATS client can: user/password, token, nkey, .creds (JWT); wrong ones fail. */
    @Test
    void natsWsWithEveryAuthMode() throws Exception {
        Path dir = NodeClients.natsWs();
        assumeTrue(dir != null, "node/npm with nats.ws not available");
        NKeyPair nkeyUser = NKeyPair.create(NKeys.PREFIX_USER);
        int ws1 = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig("authorization { users: [ {user: u, password: p},"
                + " {nkey: " + nkeyUser.publicKey() + "} ] }\n" + config(ws1, ""))) {
            String url = "ws://127.0.0.1:" + ws1;
            assertEquals("pong", NodeClients.run(dir, "natsws-auth.mjs", url, "{\"user\":\"u\",\"pass\":\"p\"}")
                    .path("reply").asText());
            assertEquals("pong", NodeClients.run(dir, "natsws-auth.mjs", url,
                    "{\"nkeySeed\":\"" + nkeyUser.encodedSeed() + "\"}").path("reply").asText());
            assertEquals(false, NodeClients.run(dir, "natsws-auth.mjs", url, "{\"user\":\"u\",\"pass\":\"x\"}")
                    .path("ok").asBoolean(), "a wrong password");
        }
        int ws2 = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig("authorization { token: s3cret }\n" + config(ws2, ""))) {
            assertEquals("pong", NodeClients.run(dir, "natsws-auth.mjs", "ws://127.0.0.1:" + ws2,
                    "{\"token\":\"s3cret\"}").path("reply").asText());
        }
        JwtFixture f = new JwtFixture(n -> { });
        NKeyPair jwtUser = NKeyPair.create(NKeys.PREFIX_USER);
        Path creds = JwtFixture.creds(JwtFixture.user(jwtUser, f.app, "web", u -> { }), jwtUser);
        int ws3 = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig(f.config() + config(ws3, ""))) {
            assertEquals("pong", NodeClients.run(dir, "natsws-auth.mjs", "ws://127.0.0.1:" + ws3,
                    "{\"creds\":\"" + creds + "\"}").path("reply").asText());
        }
    }

    /** The upgrade refusals: same status line and body as nats-server, for each check in its order. */
    @Test
    void badUpgradesAreRefusedAsTheReferenceRefusesThem() throws Exception {
        List<String> requests = List.of(
                "POST / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: http://evil.example\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String extra = "  allowed_origins: [\"http://good.example\"]\n";
        int ours = Sockets.freePort();
        int theirs = Sockets.freePort();
        try (TestServer s = TestServer.fromConfig(config(ours, extra));
                ReferenceServer ref = ReferenceServer.start(config(theirs, extra))) {
            for (String req : requests) {
                String a = exchange(ours, req);
                String b = exchange(theirs, req);
                assertEquals(statusAndBody(b), statusAndBody(a), req);
            }
            // a good upgrade: 101 and the accept key of RFC 6455's example, then INFO in a binary frame
            String ok = exchange(ours, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Origin: http://good.example\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 101 Switching Protocols"), ok);
            assertTrue(ok.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), ok);
            assertTrue(ok.contains("INFO {"), ok);
        }
    }

    /** Status line and body, without headers that differ for reasons of no interest (Date). */
    private static String statusAndBody(String response) {
        int split = response.indexOf("\r\n\r\n");
        String status = response.substring(0, response.indexOf("\r\n"));
        return status + " | " + (split < 0 ? "" : response.substring(split + 4));
    }

    /** Sends {@code request} and reads what comes back until the server closes or goes quiet. */
    static String exchange(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(700);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("INFO {")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // the server answered and waits: what came is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
