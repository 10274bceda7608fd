package io.natsjvm.server.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;

/**
 * The CONNECT a server sends on a route it solicited, as nats-server 2.9.10's {@code connectInfo};
 * {@code lang} is only read, to spot a client that dialled the route port.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"echo", "verbose", "pedantic", "user", "pass", "tls_required", "headers", "name", "cluster",
        "cluster_dynamic", "lnoc", "gateway"})
public record RouteConnect(
        @JsonProperty("echo") boolean echo,
        @JsonProperty("verbose") boolean verbose,
        @JsonProperty("pedantic") boolean pedantic,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("user") String user,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("pass") String pass,
        @JsonProperty("tls_required") boolean tlsRequired,
        @JsonProperty("headers") boolean headers,
        @JsonProperty("name") String name,
        @JsonProperty("cluster") String cluster,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("cluster_dynamic") boolean clusterDynamic,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("lnoc") boolean lnoc,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("gateway") String gateway,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty(value = "lang", access = JsonProperty.Access.WRITE_ONLY)
        String lang) {

    public byte[] toLine() {
        try {
            return ("CONNECT " + Json.MAPPER.writeValueAsString(this) + "\r\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
