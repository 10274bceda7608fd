package io.natsjvm.server.monitor;

import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server name and a client name holding characters Go's JSON escapes ({@code & < >}, control
 * characters, U+2028) reach clients and monitoring as nats-server 2.9.10 writes them: the same
 * bytes in INFO and in CONNZ.
 */
class GoEscapingTest {
    private static final String CLIENT_NAME = "a&b<c>\\u0001\\u0008\\u000c\\u001f\\u2028\u00e9\\u007f";

    @Test
    void infoAndConnzCarryTheReferencesEscapes() throws Exception {
        int refHttp = Sockets.freePort();
        int ourHttp = Sockets.freePort();
        try (ReferenceServer reference = ReferenceServer.start("server_name: \"s&<>\"\nhttp_port: " + refHttp + "\n");
             TestServer ours = TestServer.fromConfig("server_name: \"s&<>\"\nhttp_port: " + ourHttp + "\n")) {
            List<String> theirs = seen(reference.port(), refHttp);
            List<String> ours2 = seen(ours.port(), ourHttp);
            assertEquals("\"server_name\":\"s\\u0026\\u003c\\u003e\"", theirs.get(0), "the reference's INFO");
            assertEquals(theirs, ours2);
        }
    }

    /** The INFO's server_name field and CONNZ's name line of a client named {@link #CLIENT_NAME}. */
    private static List<String> seen(int port, int httpPort) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            String info = readLine(in);
            String serverName = info.substring(info.indexOf("\"server_name\":"), info.indexOf(",\"version\""));
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT {\"verbose\":false,\"name\":\"" + CLIENT_NAME + "\"}\r\nPING\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals("PONG", readLine(in));
            String connz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/connz")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
            String name = connz.lines().filter(l -> l.contains("\"name\":")).findFirst().orElse("").trim();
            return List.of(serverName, name);
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
