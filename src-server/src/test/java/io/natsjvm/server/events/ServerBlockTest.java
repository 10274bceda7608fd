package io.natsjvm.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsjvm.server.protocol.Json;
import io.natsjvm.server.util.ClusterConf;
import io.natsjvm.server.util.Interest;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.Sockets;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@code server} block of system messages names the cluster and the {@code server_tags}, and
 * PING's {@code tags} filter selects servers by them, as nats-server 2.9.10 does; VARZ lists the
 * tags.
 */
class ServerBlockTest {
    private static final String CONF = """
            server_name: tagged
            server_tags: ["Region:East", " b ", "b"]
            accounts { SYS { users = [ {user: s, password: s} ] } }
            system_account: SYS
            """;

    /** name, cluster, ver, tags of the PING reply; then how many answer two tag filters. */
    private static List<String> observed(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = Interest.connect("nats://s:s@127.0.0.1:" + port)) {
            JsonNode server = Json.MAPPER.readTree(c.request("$SYS.REQ.SERVER.PING", new byte[0],
                    Duration.ofSeconds(5)).getData()).get("server");
            out.add(server.get("name") + " " + server.get("cluster") + " " + server.get("ver") + " " + server.get("tags"));
            for (String filter : List.of("{\"tags\":[\"region:east\"]}", "{\"tags\":[\"b\",\"nope\"]}")) {
                Subscription replies = c.subscribe(c.createInbox());
                c.publish("$SYS.REQ.SERVER.PING.VARZ", replies.getSubject(), filter.getBytes(StandardCharsets.UTF_8));
                Message m = replies.nextMessage(Duration.ofSeconds(1));
                out.add(filter + " -> " + (m == null ? "no reply"
                        : Json.MAPPER.readTree(m.getData()).path("data").path("tags").toString()));
            }
        }
        return out;
    }

    @Test
    void clusterAndTagsAsTheReferenceSendsThem() throws Exception {
        String conf = CONF + ClusterConf.block("", -1);
        List<String> ours;
        try (TestServer java = TestServer.fromConfig(conf)) {
            ours = observed(java.port());
            assertEquals(List.of("region:east", "b"), java.server().monitor().varz().get("tags"));
        }
        assertEquals("\"tagged\" \"mixed\" \"2.9.10\" [\"region:east\",\"b\"]", ours.get(0));
        try (ReferenceServer ref = ReferenceServer.start(CONF + ClusterConf.block("", Sockets.freePort()))) {
            assertEquals(observed(ref.port()), ours);
        }
    }
}
