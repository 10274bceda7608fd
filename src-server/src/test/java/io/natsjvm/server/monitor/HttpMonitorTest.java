package io.natsjvm.server.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.natsjvm.server.util.AccountsConfig;
import io.natsjvm.server.util.ProbeClients;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.natsjvm.server.util.ReferenceShape.JSON;
import static io.natsjvm.server.util.ReferenceShape.assertSameShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP monitoring: the same JSON as the reference's endpoints, query parameters, and /metrics. */
class HttpMonitorTest {
    static TestServer server;
    static ProbeClients probes;
    static Connection admin;
    static Connection u1;
    static Connection u2;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.fromConfig(AccountsConfig.CONFIG + "\nhttp_port: -1\n");
        probes = new ProbeClients(server);
        admin = probes.admin;
        u1 = probes.u1;
        u2 = probes.u2;
    }

    @AfterAll
    static void stop() throws Exception {
        probes.close();
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server().httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String path, String reference) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        return reference == null ? JSON.readTree(r.body()) : assertSameShape(reference, r.body());
    }

    @ParameterizedTest
    @CsvSource({
            "/varz, http_varz.json",
            "/connz, http_connz.json",
            "/subsz, http_subsz.json",
            "/accountz, http_accountz.json",
            "/accountz?acc=USERS, http_accountz_acc.json",
            "/healthz, http_healthz.json",
            "/routez, http_routez.json",
            "/leafz, http_leafz.json",
            "/gatewayz, http_gatewayz.json",
    })
    void endpointsAnswerInTheReferenceShape(String path, String reference) throws Exception {
        json(path, reference);
    }

    @Test
    void stackszAndIpqueueszAnswerAsTheReferencesDo() throws Exception {
        HttpResponse<String> stacks = get("/stacksz");
        assertEquals(200, stacks.statusCode());
        assertTrue(stacks.body().contains("\tat "), "thread stacks: " + stacks.body().lines().findFirst().orElse(""));
        assertEquals("{}", json("/ipqueuesz", null).toString(), "no internal queue pending");
    }

    @Test
    void jsonIsIndentedLikeGo() throws Exception {
        String body = get("/routez").body();
        assertTrue(body.startsWith("{\n  \"server_id\": \""), body);
        assertTrue(body.contains("\"routes\": []"), body);
    }

    @Test
    void connzQueryParameters() throws Exception {
        JsonNode all = json("/connz", "http_connz.json");
        assertEquals(3, all.get("num_connections").asInt());
        JsonNode page = json("/connz?sort=subs&limit=1&offset=0&subs=1&auth=true", null);
        assertEquals(1, page.get("num_connections").asInt());
        assertEquals(3, page.get("total").asInt());
        assertEquals("probe-u1", page.at("/connections/0/name").asText());
        assertEquals(2, page.at("/connections/0/subscriptions_list").size());
        assertEquals("USERS", page.at("/connections/0/account").asText());
        long cid = page.at("/connections/0/cid").asLong();
        JsonNode one = json("/connz?cid=" + cid + "&subs=detail", null);
        assertEquals(1, one.get("num_connections").asInt());
        assertEquals("req.a", one.at("/connections/0/subscriptions_list_detail/0/subject").asText().replace("req.b", "req.a"));
        JsonNode acc = json("/connz?acc=USERS&auth=1", null);
        assertEquals(2, acc.get("total").asInt());
        HttpResponse<String> bad = get("/connz?auth=maybe");
        assertEquals(400, bad.statusCode());
        assertEquals("Error decoding boolean for 'auth': strconv.ParseBool: parsing \"maybe\": invalid syntax",
                bad.body());
        assertEquals(400, get("/connz?sort=nope").statusCode());
        assertEquals(400, get("/connz?state=sideways").statusCode());
    }

    @Test
    void closedConnectionsAreKeptWithTheirReason() throws Exception {
        Connection gone = AccountsConfig.connect(server, "a", "a", "probe-gone");
        gone.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode found = null;
        while (found == null && System.nanoTime() < deadline) {
            for (JsonNode c : json("/connz?state=closed", null).get("connections")) {
                if ("probe-gone".equals(c.path("name").asText())) {
                    found = c;
                }
            }
            if (found == null) {
                Thread.onSpinWait();
            }
        }
        assertTrue(found != null, "closed connection listed");
        assertEquals("Client Closed", found.get("reason").asText());
        assertTrue(found.has("stop"));
    }

    @Test
    void subszAndAccountEndpoints() throws Exception {
        JsonNode list = json("/subsz?subs=1&acc=USERS", null);
        List<String> subjects = new ArrayList<>();
        list.get("subscriptions_list").forEach(s -> subjects.add(s.get("subject").asText()));
        assertTrue(subjects.containsAll(List.of("req.a", "req.b", "req.c")), subjects.toString());
        JsonNode tested = json("/subsz?subs=1&test=req.c", null);
        assertEquals(1, tested.get("total").asInt());
        JsonNode statz = json("/accstatz", null);
        List<String> accs = new ArrayList<>();
        statz.get("account_statz").forEach(a -> accs.add(a.get("acc").asText()));
        assertEquals(List.of("USERS", "SYS"), accs);
        assertEquals(3, json("/accstatz?unused=true", null).get("account_statz").size());
        JsonNode jsz = json("/jsz", null);
        assertTrue(jsz.get("disabled").asBoolean());
        JsonNode varz = json("/varz", "http_varz.json");
        assertTrue(varz.at("/http_req_stats/~1varz").asInt() >= 1);
        assertEquals(server.server().httpPort(), varz.get("http_port").asInt());
    }

    @Test
    void prometheusMetricsHaveServerAndAccountSeries() throws Exception {
        u1.publish("metrics.test", "abc".getBytes());
        u1.flush(Duration.ofSeconds(2));
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String body = r.body();
        for (String series : List.of("nats_server_connections ", "nats_server_in_msgs_total ",
                "nats_server_slow_consumers_total ", "nats_server_connection_headroom ",
                "nats_account_connections{account=\"USERS\"} 2.0", "nats_account_in_msgs_total{account=\"USERS\"}",
                "nats_account_subscriptions{account=\"SYS\"}")) {
            assertTrue(body.contains(series), series + " missing in\n" + body);
        }
        // A failed login shows up by reason.
        try (var raw = server.raw()) {
            raw.send("CONNECT {\"user\":\"a\",\"pass\":\"wrong\"}\r\n");
            raw.expect("-ERR 'Authorization Violation'");
        }
        assertTrue(get("/metrics").body().contains("nats_server_auth_failures_total{reason=\"bad_password\"} 1.0"));
    }
}
