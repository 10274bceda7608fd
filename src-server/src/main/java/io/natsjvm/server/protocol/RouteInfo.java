package io.natsjvm.server.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The INFO two servers exchange over a route, field order and omit-when-empty rules as
 * nats-server 2.9.10's {@code Info} (the gateway and leaf fields it never sets on routes are left
 * out); unknown fields from newer peers are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"server_id", "server_name", "version", "proto", "go", "host", "port", "headers",
        "auth_required", "tls_required", "tls_verify", "max_payload", "jetstream", "ip", "nonce", "cluster",
        "cluster_dynamic", "connect_urls", "ws_connect_urls", "ldm", "import", "export", "lnoc", "leafnode_urls"})
public record RouteInfo(
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
        @JsonProperty("max_payload") int maxPayload,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("jetstream") boolean jetstream,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("ip") String ip,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("nonce") String nonce,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("cluster") String cluster,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("cluster_dynamic") boolean clusterDynamic,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("connect_urls") List<String> connectUrls,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("ws_connect_urls") List<String> wsConnectUrls,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("ldm") boolean lameDuck,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("import") Permission importPermission,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("export") Permission exportPermission,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("lnoc") boolean lnoc,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("leafnode_urls") List<String> leafnodeUrls) {

    /** A route permission as the reference's SubjectPermission encodes it. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Permission(@JsonProperty("allow") List<String> allow, @JsonProperty("deny") List<String> deny) {
    }

    /** The route protocol version 2.9.10 speaks (RouteProtoV2). */
    public static final int ROUTE_PROTO = 2;

    public RouteInfo withNonce(String n) {
        return new RouteInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, maxPayload, jetstream, ip, n, cluster, clusterDynamic, connectUrls, wsConnectUrls, lameDuck, importPermission, exportPermission, lnoc, leafnodeUrls);
    }

    public RouteInfo withIp(String newIp) {
        return new RouteInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, maxPayload, jetstream, newIp, nonce, cluster, clusterDynamic, connectUrls, wsConnectUrls, lameDuck, importPermission, exportPermission, lnoc, leafnodeUrls);
    }

    public RouteInfo withLameDuck() {
        return new RouteInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, maxPayload, jetstream, ip, nonce, cluster, clusterDynamic, connectUrls, wsConnectUrls, true, importPermission, exportPermission, lnoc, leafnodeUrls);
    }

    public RouteInfo withCluster(String name, boolean dynamic) {
        return new RouteInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, maxPayload, jetstream, ip, nonce, name, dynamic, connectUrls, wsConnectUrls, lameDuck, importPermission, exportPermission, lnoc, leafnodeUrls);
    }

    /**
     * The protocol line. The INFO a route sends first has a space before CRLF (as the client
     * INFO); one forwarded to tell peers about a new server has none, as in the reference.
     */
    public byte[] toLine(boolean spaceBeforeCrlf) {
        try {
            String json = Json.MAPPER.writeValueAsString(this);
            return ("INFO " + json + (spaceBeforeCrlf ? " \r\n" : "\r\n")).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
