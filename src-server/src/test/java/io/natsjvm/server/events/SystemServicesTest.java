package io.natsjvm.server.events;
import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsjvm.server.util.ProbeClients;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.natsjvm.server.util.ReferenceShape.JSON;
import static io.natsjvm.server.util.ReferenceShape.assertSameShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The $SYS.REQ services, with the connections the reference capture was made with: probe-admin
 * (SYS), probe-u1 (USERS, subs req.a and req.b) and probe-u2 (USERS, sub req.c).
 */
class SystemServicesTest {
    static TestServer server;
    static ProbeClients probes;
    static Connection admin;
    static Connection u1;
    static Connection u2;
    static String id;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.fromConfig(SystemEventsTest.CONFIG);
        probes = new ProbeClients(server);
        admin = probes.admin;
        u1 = probes.u1;
        u2 = probes.u2;
        id = server.server().serverId();
    }

    @AfterAll
    static void stop() throws Exception {
        probes.close();
        server.close();
    }

    static JsonNode request(Connection c, String subject, String body, String reference) throws Exception {
        Message m = c.request(subject, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(3));
        assertNotNull(m, "no reply on " + subject);
        String json = new String(m.getData(), StandardCharsets.UTF_8);
        return reference == null ? JSON.readTree(json) : assertSameShape(reference, json);
    }

    @ParameterizedTest
    @CsvSource({
            "$SYS.REQ.SERVER.PING, statsz_ping.json",
            "$SYS.REQ.SERVER.PING.STATSZ, statsz_ping_statsz.json",
            "$SYS.REQ.SERVER.ID.STATSZ, statsz_direct.json",
            "$SYS.REQ.SERVER.ID.VARZ, varz.json",
            "$SYS.REQ.SERVER.PING.VARZ, varz_ping.json",
            "$SYS.REQ.SERVER.ID.CONNZ, connz.json",
            "$SYS.REQ.SERVER.PING.CONNZ, connz_ping.json",
            "$SYS.REQ.SERVER.ID.ROUTEZ, routez.json",
            "$SYS.REQ.SERVER.PING.ROUTEZ, routez_ping.json",
            "$SYS.REQ.SERVER.ID.GATEWAYZ, gatewayz.json",
            "$SYS.REQ.SERVER.PING.GATEWAYZ, gatewayz_ping.json",
            "$SYS.REQ.SERVER.ID.LEAFZ, leafz.json",
            "$SYS.REQ.SERVER.PING.LEAFZ, leafz_ping.json",
            "$SYS.REQ.SERVER.ID.SUBSZ, subsz.json",
            "$SYS.REQ.SERVER.PING.SUBSZ, subsz_ping.json",
            "$SYS.REQ.SERVER.ID.JSZ, jsz.json",
            "$SYS.REQ.SERVER.PING.JSZ, jsz_ping.json",
            "$SYS.REQ.SERVER.ID.ACCOUNTZ, accountz.json",
            "$SYS.REQ.SERVER.PING.ACCOUNTZ, accountz_ping.json",
            "$SYS.REQ.SERVER.ID.HEALTHZ, healthz.json",
            "$SYS.REQ.SERVER.PING.HEALTHZ, healthz_ping.json",
            "$SYS.REQ.ACCOUNT.USERS.CONNZ, account_connz.json",
            "$SYS.REQ.ACCOUNT.USERS.LEAFZ, account_leafz.json",
            "$SYS.REQ.ACCOUNT.USERS.SUBSZ, account_subsz.json",
            "$SYS.REQ.ACCOUNT.USERS.JSZ, account_jsz.json",
            "$SYS.REQ.ACCOUNT.USERS.INFO, account_info.json",
            "$SYS.REQ.ACCOUNT.USERS.STATZ, account_statz.json",
    })
    void everyServiceAnswersInTheReferenceShape(String subject, String reference) throws Exception {
        JsonNode r = request(admin, subject.replace(".ID.", "." + id + "."), null, reference);
        assertEquals(id, r.at("/server/id").asText());
    }

    @Test
    void connzListsTheRealConnectionsWithTheirCounts() throws Exception {
        JsonNode data = request(admin, "$SYS.REQ.SERVER." + id + ".CONNZ", null, "connz.json").get("data");
        assertEquals(3, data.get("num_connections").asInt());
        List<String> names = new ArrayList<>();
        data.get("connections").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("probe-admin", "probe-u1", "probe-u2"), names);
        assertEquals(2, data.at("/connections/1/subscriptions").asInt());
        // Options in the body: sort, limit, offset, subscriptions, auth.
        JsonNode page = request(admin, "$SYS.REQ.SERVER." + id + ".CONNZ",
                "{\"sort\":\"subs\",\"limit\":1,\"subscriptions\":true,\"auth\":true}", null).get("data");
        assertEquals(1, page.get("num_connections").asInt());
        assertEquals(3, page.get("total").asInt());
        assertEquals("probe-u1", page.at("/connections/0/name").asText());
        assertEquals("[\"req.a\",\"req.b\"]", sorted(page.at("/connections/0/subscriptions_list")));
        assertEquals("a", page.at("/connections/0/authorized_user").asText());
        assertEquals("USERS", page.at("/connections/0/account").asText());
        JsonNode bad = request(admin, "$SYS.REQ.SERVER." + id + ".CONNZ", "{\"sort\":\"bogus\"}", null);
        assertEquals(500, bad.at("/error/code").asInt());
        assertEquals("invalid sorting option: bogus", bad.at("/error/description").asText());
    }

    private static String sorted(JsonNode arr) {
        List<String> l = new ArrayList<>();
        arr.forEach(n -> l.add("\"" + n.asText() + "\""));
        l.sort(null);
        return "[" + String.join(",", l) + "]";
    }

    /** 2.10's KICK and LDM, by connection id, with the reference's replies and texts. */
    @Test
    void kickAndLameDuckOneClientById() throws Exception {
        try (RawClient modern = server.raw(); RawClient old = server.raw()) {
            modern.connect("{\"user\":\"a\",\"pass\":\"a\",\"protocol\":1}");
            old.connect("{\"user\":\"a\",\"pass\":\"a\",\"protocol\":0}");
            long modernId = JSON.readTree(modern.info().substring(5)).get("client_id").asLong();
            long oldId = JSON.readTree(old.info().substring(5)).get("client_id").asLong();

            JsonNode ok = request(admin, "$SYS.REQ.SERVER." + id + ".LDM", "{\"cid\":" + modernId + "}", null);
            assertEquals(id, ok.at("/server/id").asText());
            assertNull(ok.get("error"));
            assertNull(ok.get("data"));
            String info = modern.readLine();
            assertTrue(info.startsWith("INFO {") && info.endsWith(",\"ldm\":true} "), info);

            JsonNode refused = request(admin, "$SYS.REQ.SERVER." + id + ".LDM", "{\"cid\":" + oldId + "}", null);
            assertEquals(500, refused.at("/error/code").asInt());
            assertEquals("client does not support Lame Duck Mode or is not ready to receive the notification",
                    refused.at("/error/description").asText());

            JsonNode kicked = request(admin, "$SYS.REQ.SERVER." + id + ".KICK", "{\"cid\":" + oldId + "}", null);
            assertNull(kicked.get("error"));
            old.expectClosed();
            JsonNode unknown = request(admin, "$SYS.REQ.SERVER." + id + ".KICK", "{\"cid\":999999}", null);
            assertEquals("no such client or leafnode id", unknown.at("/error/description").asText());
            modern.expectAlive();
        }
    }

    /** 2.10's IDZ: the bare identity, from the direct and the PING subject. */
    @Test
    void idzAnswersWithTheServersIdentityAlone() throws Exception {
        for (String subject : List.of("$SYS.REQ.SERVER." + id + ".IDZ", "$SYS.REQ.SERVER.PING.IDZ")) {
            JsonNode r = request(admin, subject, null, null);
            assertEquals(List.of("name", "host", "id"), fieldNames(r), subject);
            assertEquals(id, r.get("id").asText());
            assertEquals(server.server().serverName(), r.get("name").asText());
        }
    }

    /**
     * 2.10's USER.INFO, reached from an application account (through its built-in import) and
     * from the system account: the caller's own user, account and permissions; the service's
     * subscription is not counted, so SUBSZ and VARZ keep 2.9.10's numbers.
     */
    @Test
    void userInfoTellsTheCallerWhoItIs() throws Exception {
        JsonNode r = request(u1, "$SYS.REQ.USER.INFO", null, null);
        assertEquals(id, r.at("/server/id").asText());
        assertEquals("a", r.at("/data/user").asText());
        assertEquals("USERS", r.at("/data/account").asText());
        assertNull(r.at("/data").get("permissions"), "unrestricted users have none");
        assertNull(r.at("/data").get("expires"));
        JsonNode sys = request(admin, "$SYS.REQ.USER.INFO", null, null);
        assertEquals("admin", sys.at("/data/user").asText());
        assertEquals("SYS", sys.at("/data/account").asText());
        JsonNode subsz = request(admin, "$SYS.REQ.ACCOUNT.USERS.SUBSZ", null, null).get("data");
        subsz.get("subscriptions_list").forEach(sub ->
                assertTrue(!sub.get("subject").asText().startsWith("$SYS.REQ.USER"), sub.toString()));
    }

    @Test
    void userInfoListsPermissionsAsTheReferenceEncodesThem() throws Exception {
        try (TestServer s = TestServer.fromConfig("""
                authorization { users: [
                  {user: p, password: p, permissions: {
                     publish: {allow: ["req.>", "$SYS.REQ.USER.INFO"], deny: ["req.secret"]},
                     subscribe: {allow: ["_INBOX.>"]},
                     allow_responses: {max: 3, expires: "2s"}}}
                ]}
                """); Connection p = s.connect(o -> o.userInfo("p", "p"))) {
            JsonNode perms = request(p, "$SYS.REQ.USER.INFO", null, null).at("/data/permissions");
            assertEquals("[\"req.>\",\"$SYS.REQ.USER.INFO\"]", perms.at("/publish/allow").toString());
            assertEquals("[\"req.secret\"]", perms.at("/publish/deny").toString());
            assertEquals("{\"allow\":[\"_INBOX.>\"]}", perms.get("subscribe").toString());
            assertEquals("{\"max\":3,\"ttl\":2000000000}", perms.get("responses").toString());
            assertEquals("$G", request(p, "$SYS.REQ.USER.INFO", null, null).at("/data/account").asText());
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void accountEndpointsSeeOnlyThatAccount() throws Exception {
        JsonNode connz = request(admin, "$SYS.REQ.ACCOUNT.USERS.CONNZ", null, "account_connz.json").get("data");
        assertEquals(2, connz.get("num_connections").asInt());
        JsonNode subsz = request(admin, "$SYS.REQ.ACCOUNT.USERS.SUBSZ", null, "account_subsz.json").get("data");
        List<String> subjects = new ArrayList<>();
        subsz.get("subscriptions_list").forEach(s -> subjects.add(s.get("subject").asText()));
        assertTrue(subjects.containsAll(List.of("req.a", "req.b", "req.c", "$SYS.REQ.SERVER.PING.CONNZ",
                "$SYS.REQ.ACCOUNT.PING.CONNZ", "$SYS.REQ.ACCOUNT.PING.STATZ")), subjects.toString());
        subsz.get("subscriptions_list").forEach(s -> assertEquals("USERS", s.get("account").asText()));
        JsonNode info = request(admin, "$SYS.REQ.ACCOUNT.USERS.INFO", null, "account_info.json").get("data");
        assertEquals("USERS", info.get("account_name").asText());
        assertEquals(2, info.get("client_connections").asInt());
        assertEquals("$SYS.REQ.ACCOUNT.USERS.CONNZ", info.at("/imports/0/to").asText());
        JsonNode statz = request(admin, "$SYS.REQ.ACCOUNT.USERS.STATZ", null, "account_statz.json").get("data");
        assertEquals(2, statz.at("/account_statz/0/conns").asInt());
        JsonNode jsz = request(admin, "$SYS.REQ.ACCOUNT.USERS.JSZ", null, "account_jsz.json");
        assertTrue(jsz.has("data") && jsz.get("data").isNull());
        assertEquals("jetstream not enabled", jsz.at("/error/description").asText());
    }

    @Test
    void applicationUsersReachTheirOwnAccountThroughTheBuiltInImports() throws Exception {
        JsonNode r = request(u2, "$SYS.REQ.SERVER.PING.CONNZ", null, "user_ping_connz.json").get("data");
        List<String> names = new ArrayList<>();
        r.get("connections").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("probe-u1", "probe-u2"), names);
        JsonNode accPing = request(u1, "$SYS.REQ.ACCOUNT.PING.CONNZ", null, null).get("data");
        assertEquals(2, accPing.get("num_connections").asInt());
        JsonNode statz = request(u1, "$SYS.REQ.ACCOUNT.PING.STATZ", null, null).get("data");
        assertEquals(1, statz.get("account_statz").size());
        assertEquals("USERS", statz.at("/account_statz/0/acc").asText());
        // Other system services are not imported: no responders.
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> u1.request("$SYS.REQ.SERVER.PING.VARZ", new byte[0]).get(2, TimeUnit.SECONDS));
    }

    @Test
    void malformedBodyGetsA400AndTheServiceKeepsWorking() throws Exception {
        JsonNode r = request(admin, "$SYS.REQ.SERVER." + id + ".VARZ", "{bad json", "varz_bad_request_error.json");
        assertEquals(400, r.at("/error/code").asInt());
        assertEquals("invalid character 'b' looking for beginning of object key string",
                r.at("/error/description").asText());
        JsonNode st = request(admin, "$SYS.REQ.SERVER.PING", "not json", null);
        assertEquals(400, st.at("/error/code").asInt());
        assertEquals("invalid character 'o' in literal null (expecting 'u')", st.at("/error/description").asText());
        request(admin, "$SYS.REQ.SERVER." + id + ".VARZ", null, "varz.json");
    }

    @Test
    void aServerFilterThatMatchesNothingGetsNoReply() throws Exception {
        Message none = admin.request("$SYS.REQ.SERVER.PING.VARZ",
                "{\"server_name\":\"some-other-server\"}".getBytes(), Duration.ofMillis(500));
        assertNull(none);
        JsonNode mine = request(admin, "$SYS.REQ.SERVER.PING.VARZ",
                "{\"server_name\":\"" + server.server().serverName() + "\"}", "varz_ping.json");
        assertEquals(id, mine.at("/data/server_id").asText());
    }

    @Test
    void varzCountsAreReal() throws Exception {
        JsonNode v = request(admin, "$SYS.REQ.SERVER." + id + ".VARZ", null, "varz.json").get("data");
        assertEquals(3, v.get("connections").asInt());
        assertEquals("SYS", v.get("system_account").asText());
        assertEquals(server.port(), v.get("port").asInt());
        assertEquals(120000000000L, v.get("ping_interval").asLong());
        assertTrue(v.get("in_msgs").asLong() >= 1);
    }
}
