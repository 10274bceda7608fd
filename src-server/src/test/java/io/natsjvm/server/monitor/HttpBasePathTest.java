package io.natsjvm.server.monitor;

import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code http_base_path}: the endpoints move under it, as nats-server 2.9.10 mounts them (status codes compared). */
class HttpBasePathTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static List<String> statuses(int httpPort) throws Exception {
        List<String> out = new ArrayList<>();
        for (String p : List.of("/nats/varz", "/varz", "/nats/connz", "/nats/subscriptionsz", "/nats", "/connz")) {
            int code = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + p)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            out.add(p + " " + code);
        }
        return out;
    }

    @Test
    void endpointsLiveUnderTheBasePath() throws Exception {
        List<String> ours;
        try (TestServer java = TestServer.fromConfig("http_port: -1\nhttp_base_path: \"nats/\"\n")) {
            ours = statuses(java.server().httpPort());
            assertEquals("nats/", java.server().monitor().varz().get("http_base_path"));
        }
        assertEquals("/nats/varz 200", ours.get(0));
        int refHttp = Sockets.freePort();
        try (ReferenceServer ref = ReferenceServer.start("http_port: " + refHttp + "\nhttp_base_path: \"nats/\"\n")) {
            assertEquals(statuses(refHttp), ours);
        }
    }
}
