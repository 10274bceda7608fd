package io.natsjvm.server.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.RawClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Account INFO lists an account's exports and imports as nats-server 2.9.10 does (response types,
 * latency tracking, approved accounts, local subjects, shared imports), compared field for field.
 * The reference lists them in a Go map's order, so both lists are compared sorted; update times
 * and subscription counts are left out (this server subscribes an exporter to its responses and
 * to imported streams up front, the reference on demand).
 */
class AccountInfoImportsTest {
    static final String CONF = """
            server_name: srv
            system_account: SYS
            accounts {
              SYS { users = [ {user: sys, password: sys} ] }
              A {
                users = [ {user: a, password: a} ]
                exports = [
                  {service: "svc.>", latency: {sampling: 50, subject: "lat.r"}, threshold: "5s"}
                  {service: "hdr.>", latency: {sampling: headers, subject: "lat.h"}}
                  {service: "feed.>", response: stream}
                  {stream: "ev.>", accounts: [B]}
                  {service: "tok.*", account_token_position: 2}
                ]
              }
              B {
                users = [ {user: b, password: b} ]
                imports = [
                  {service: {account: A, subject: "svc.>"}, to: "ask.>"}
                  {service: {account: A, subject: "feed.>"}, share: true}
                  {stream: {account: A, subject: "ev.>"}, prefix: "from"}
                  {service: {account: A, subject: "tok.B"}}
                ]
              }
            }
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> session(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient sys = new RawClient(port)) {
            sys.connect("{\"user\":\"sys\",\"pass\":\"sys\"}");
            sys.send("SUB r 1\r\n");
            for (String acc : List.of("A", "B")) {
                sys.send("PUB $SYS.REQ.ACCOUNT." + acc + ".INFO r 0\r\n\r\n");
                String[] t = sys.readLine().split(" ");
                String body = new String(sys.readBytes(Integer.parseInt(t[t.length - 1]) + 2), StandardCharsets.UTF_8);
                ObjectNode data = (ObjectNode) JSON.readTree(body).path("data");
                data.remove(List.of("update_time", "subscriptions", "sublist_stats"));
                for (String list : List.of("exports", "imports")) {
                    if (data.get(list) instanceof ArrayNode a) {
                        List<JsonNode> items = new ArrayList<>();
                        a.forEach(items::add);
                        items.sort(Comparator.comparing(JsonNode::toString));
                        a.removeAll();
                        a.addAll(items);
                    }
                }
                out.add(acc + " " + data);
            }
        }
        return out;
    }

    @Test
    void exportsAndImportsAreListedAsByTheReference() throws Exception {
        List<String> ours = Differential.sameAsReference(CONF, AccountInfoImportsTest::session);
        assertTrue(ours.get(0).contains("{\"subject\":\"feed.>\",\"type\":\"service\",\"response_type\":\"Streamed\"}"),
                ours.get(0));
        assertTrue(ours.get(1).contains("{\"subject\":\"ev.>\",\"account\":\"A\",\"local_subject\":\"from.ev.>\","
                + "\"type\":\"stream\",\"invalid\":false,\"share\":false,\"tracking\":false}"), ours.get(1));
        assertEquals(2, ours.size());
    }
}
