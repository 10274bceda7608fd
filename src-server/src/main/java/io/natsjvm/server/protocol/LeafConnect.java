package io.natsjvm.server.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CONNECT a leaf node sends its hub, as nats-server 2.9.10's {@code leafConnectInfo}; {@code lang}
 * and {@code gateway} are only read, to spot a client or a gateway that dialled the leaf port.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"version", "jwt", "sig", "user", "pass", "tls_required", "server_id", "name", "is_hub",
        "cluster", "headers", "deny_pub"})
public record LeafConnect(
        @JsonProperty("version") String version,
        @JsonProperty("jwt") String jwt,
        @JsonProperty("sig") String sig,
        @JsonProperty("user") String user,
        @JsonProperty("pass") String pass,
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("tls_required") boolean tlsRequired,
        @JsonProperty("server_id") String serverId,
        @JsonProperty("name") String name,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("is_hub") boolean hub,
        @JsonProperty("cluster") String cluster,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("headers") boolean headers,
        @JsonProperty("deny_pub") List<String> denyPub,
        @JsonProperty(value = "gateway", access = JsonProperty.Access.WRITE_ONLY) String gateway,
        @JsonProperty(value = "lang", access = JsonProperty.Access.WRITE_ONLY) String lang) {

    public byte[] toLine() {
        try {
            return ("CONNECT " + Json.MAPPER.writeValueAsString(this) + "\r\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
