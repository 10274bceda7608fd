package io.natsjvm.server.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The INFO a hub sends a leaf node, in nats-server 2.9.10's {@code Info} field order: first on
 * accept (nonce, client id, the leaf URLs, {@code info_on_connect}), then once the leaf's CONNECT
 * is accepted ({@code connect_info}, the account it is bound to). Unknown fields are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"server_id", "server_name", "version", "proto", "go", "host", "port", "headers",
        "auth_required", "tls_required", "tls_verify", "max_payload", "client_id", "nonce", "cluster", "ws_connect_urls", "info_on_connect",
        "connect_info", "leafnode_urls", "remote_account"})
public record LeafInfo(
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
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("client_id") long clientId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("nonce") String nonce,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("cluster") String cluster,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("ws_connect_urls") List<String> wsConnectUrls,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("info_on_connect") boolean infoOnConnect,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("connect_info") boolean connectInfo,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("leafnode_urls") List<String> leafnodeUrls,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("remote_account") String remoteAccount) {

    public LeafInfo forConnection(long cid, String newNonce) {
        return new LeafInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, maxPayload, cid, newNonce, cluster, wsConnectUrls, infoOnConnect, connectInfo, leafnodeUrls, remoteAccount);
    }

    /** The second INFO: the leaf's CONNECT was accepted and bound to {@code account}. */
    public LeafInfo accepted(long cid, String account) {
        return new LeafInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, maxPayload, cid, null, cluster, wsConnectUrls, infoOnConnect, true, leafnodeUrls, account);
    }

    /** The same INFO naming the hub cluster's other leafnode (and websocket) listeners. */
    public LeafInfo withUrls(List<String> leafUrls, List<String> websocketUrls) {
        return new LeafInfo(serverId, serverName, version, proto, go, host, port, headers, authRequired, tlsRequired,
                tlsVerify, maxPayload, clientId, nonce, cluster, websocketUrls, infoOnConnect, connectInfo, leafUrls,
                remoteAccount);
    }

    public byte[] toLine() {
        try {
            return ("INFO " + Json.MAPPER.writeValueAsString(this) + " \r\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
