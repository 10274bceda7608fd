package io.natsjvm.server.protocol;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The INFO JSON, field order and omit-when-empty rules as nats-server 2.9.10 sends it. */
@JsonPropertyOrder({"server_id", "server_name", "version", "proto", "go", "host", "port", "headers",
        "auth_required", "tls_required", "tls_verify", "tls_available", "max_payload", "client_id", "client_ip", "nonce", "cluster", "connect_urls"})
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
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("tls_required") boolean tlsRequired,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("tls_verify") boolean tlsVerify,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("tls_available") boolean tlsAvailable,
        @JsonProperty("max_payload") int maxPayload,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("client_id") long clientId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("client_ip") String clientIp,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("nonce") String nonce,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("cluster") String cluster,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("connect_urls") List<String> connectUrls) {
    /** The nats-server version this server speaks as (INFO, VARZ, events). */
    public static final String VERSION = "2.9.10";


    /** The same INFO saying whether auth is required (a listener with credentials of its own). */
    public ServerInfo withAuthRequired(boolean required) {
        return new ServerInfo(serverId, serverName, version, proto, go, host, port, headers, required, tlsRequired,
                tlsVerify, tlsAvailable, maxPayload, clientId, clientIp, nonce, cluster, connectUrls);
    }

    /** The same INFO with the cluster fields changed (routes joining or leaving). */
    public ServerInfo withCluster(String name, List<String> urls) {
        return new ServerInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, tlsAvailable, maxPayload, clientId, clientIp, nonce, name, urls);
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
