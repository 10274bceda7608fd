package io.natsjvm.server.protocol;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;

/** The INFO JSON, field order and omit-when-empty rules as nats-server 2.9.10 sends it. */
@JsonPropertyOrder({"server_id", "server_name", "version", "proto", "go", "host", "port", "headers",
        "auth_required", "max_payload", "client_id", "client_ip", "nonce"})
public record ServerInfo(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("server_name") String serverName,
        @JsonProperty("version") String version,
        @JsonProperty("proto") int proto,
        @JsonProperty("go") String go,
        @JsonProperty("host") String host,
        @JsonProperty("port") int port,
        @JsonProperty("headers") boolean headers,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("auth_required") boolean authRequired,
        @JsonProperty("max_payload") int maxPayload,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("client_id") long clientId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("client_ip") String clientIp,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("nonce") String nonce) {
    /** The nats-server version this server speaks as (INFO, VARZ, events). */
    public static final String VERSION = "2.9.10";


    /**
     * The INFO line for one client. The shared part is serialised once; client_id, client_ip and
     * nonce come last in the reference's field order, so they are appended as text.
     */
    public static byte[] lineForClient(String prefix, long cid, String ip, String nonce) {
        StringBuilder sb = new StringBuilder(prefix.length() + 96).append(prefix)
                .append(",\"client_id\":").append(cid);
        if (ip != null && !ip.isEmpty()) {
            sb.append(",\"client_ip\":\"").append(ip).append('"');
        }
        if (nonce != null && !nonce.isEmpty()) {
            sb.append(",\"nonce\":\"").append(nonce).append('"');
        }
        return sb.append("} \r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The asynchronous INFO of lame duck mode for one client: its id and address, then
     * {@code "ldm":true}, as the reference sends it to clients that support async INFO.
     */
    public static byte[] lameDuckLine(String prefix, long cid, String ip) {
        StringBuilder sb = new StringBuilder(prefix.length() + 80).append(prefix).append(",\"client_id\":").append(cid);
        if (ip != null && !ip.isEmpty()) {
            sb.append(",\"client_ip\":\"").append(ip).append('"');
        }
        return sb.append(",\"ldm\":true} \r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The shared INFO line up to (not including) the closing brace, for {@link #lineForClient}. */
    public String sharedPrefix() {
        String json = new String(toProtocolLine(), StandardCharsets.UTF_8);
        return json.substring(0, json.lastIndexOf('}'));
    }

    /** The protocol line: {@code INFO {json} CRLF} (the reference puts a space before CRLF). */
    public byte[] toProtocolLine() {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(this);
            byte[] line = new byte[5 + json.length + 3];
            System.arraycopy("INFO ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 5);
            System.arraycopy(json, 0, line, 5, json.length);
            line[line.length - 3] = ' ';
            line[line.length - 2] = '\r';
            line[line.length - 1] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
