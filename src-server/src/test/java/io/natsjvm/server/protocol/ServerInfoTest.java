package io.natsjvm.server.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * INFO lines as the record binding wrote them (captured from it before INFO was written field by
 * field), and strings escaped as Go escapes them (GoEscapingTest compares the wire with nats-server).
 */
class ServerInfoTest {

    private static String line(ServerInfo i) {
        return new String(i.toProtocolLine(), StandardCharsets.UTF_8);
    }

    @Test
    void flagsAndClientFieldsOnlyWhenSet() {
        assertEquals("INFO {\"server_id\":\"NID\",\"server_name\":\"NID\",\"version\":\"2.9.10\",\"proto\":1,"
                        + "\"go\":\"go1.19\",\"host\":\"127.0.0.1\",\"port\":4222,\"headers\":true,\"auth_required\":true,"
                        + "\"tls_required\":true,\"tls_verify\":true,\"tls_available\":true,\"max_payload\":64,"
                        + "\"client_id\":7,\"client_ip\":\"127.0.0.1\",\"nonce\":\"nonce-x\",\"cluster\":\"c1\","
                        + "\"connect_urls\":[\"a:1\",\"b\\\\:2\"]} \r\n",
                line(new ServerInfo("NID", "NID", "2.9.10", 1, "go1.19", "127.0.0.1", 4222, true, true, true, true,
                        true, 64, 7, "127.0.0.1", "nonce-x", "c1", List.of("a:1", "b\\:2"))));
        assertEquals("INFO {\"server_id\":null,\"server_name\":null,\"version\":null,\"proto\":0,\"go\":null,"
                        + "\"host\":null,\"port\":0,\"headers\":false,\"max_payload\":0} \r\n",
                line(new ServerInfo(null, null, null, 0, null, null, 0, false, false, false, false, false, 0, 0, "", "",
                        "", List.of())));
    }

    @Test
    void namesAreEscapedAsGoEscapesThem() {
        String name = "a&b<c>\u0001\b\f\u001f\u2028\u2029\u00e9\u007f\n\r\t\"\\";
        String go = "a\\u0026b\\u003cc\\u003e\\u0001\\u0008\\u000c\\u001f\\u2028\\u2029\u00e9\u007f\\n\\r\\t\\\"\\\\";
        assertEquals("INFO {\"server_id\":\"NID\",\"server_name\":\"" + go + "\",\"version\":\"2.9.10\",\"proto\":1,"
                        + "\"go\":\"go1.19\",\"host\":\"0.0.0.0\",\"port\":4222,\"headers\":true,\"max_payload\":1048576} \r\n",
                line(new ServerInfo("NID", name, "2.9.10", 1, "go1.19", "0.0.0.0", 4222, true, false, false, false,
                        false, 1048576, 0, null, null, null, null)));
        assertEquals("{\"n\":\"" + go + "\"}", json(Map.of("n", name)));
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
