package io.natsjvm.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.natsjvm.server.monitor.DataStats;

/**
 * {@code $SYS.ACCOUNT.<acc>.LEAFNODE.CONNECT} / {@code .DISCONNECT}: 2.9.10 sends the CONNECT only
 * as an internal signal between gateways (its body carries {@code server} and {@code acc}, which
 * peers parse) and has no DISCONNECT. Here both are typed advisories in the style of the client
 * events, keeping those two fields where a nats-server peer looks for them.
 */
@JsonPropertyOrder({"type", "id", "timestamp", "server", "acc", "leafnode", "sent", "received", "reason"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeafNodeEvent(
        @JsonProperty("type") String type,
        @JsonProperty("id") String id,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("server") EventServer server,
        @JsonProperty("acc") String acc,
        @JsonProperty("leafnode") Leaf leafnode,
        @JsonProperty("sent") DataStats sent,
        @JsonProperty("received") DataStats received,
        @JsonProperty("reason") String reason) {

    public static final String CONNECT = "io.nats.server.advisory.v1.leafnode_connect";
    public static final String DISCONNECT = "io.nats.server.advisory.v1.leafnode_disconnect";

    /** The leaf connection: the server on the other side, its address, and which side dialled. */
    @JsonPropertyOrder({"cid", "name", "cluster", "ip", "port", "account", "is_spoke", "solicited"})
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Leaf(
            @JsonProperty("cid") long cid,
            @JsonProperty("name") String name,
            @JsonProperty("cluster") String cluster,
            @JsonProperty("ip") String ip,
            @JsonProperty("port") int port,
            @JsonProperty("account") String account,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("is_spoke") boolean spoke,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("solicited") boolean solicited) {
    }
}
