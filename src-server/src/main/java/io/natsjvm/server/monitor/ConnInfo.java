package io.natsjvm.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One connection in CONNZ (open or closed), in the reference's field order. */
public record ConnInfo(
        long cid,
        String kind,
        String type,
        String ip,
        int port,
        String start,
        @JsonProperty("last_activity") String lastActivity,
        @JsonInclude(Include.NON_EMPTY) String stop,
        @JsonInclude(Include.NON_EMPTY) String reason,
        @JsonInclude(Include.NON_EMPTY) String rtt,
        String uptime,
        String idle,
        @JsonProperty("pending_bytes") long pendingBytes,
        @JsonProperty("in_msgs") long inMsgs,
        @JsonProperty("out_msgs") long outMsgs,
        @JsonProperty("in_bytes") long inBytes,
        @JsonProperty("out_bytes") long outBytes,
        long subscriptions,
        @JsonInclude(Include.NON_EMPTY) String name,
        @JsonInclude(Include.NON_EMPTY) String lang,
        @JsonInclude(Include.NON_EMPTY) String version,
        @JsonInclude(Include.NON_EMPTY) @JsonProperty("tls_version") String tlsVersion,
        @JsonInclude(Include.NON_EMPTY) @JsonProperty("tls_cipher_suite") String tlsCipher,
        @JsonInclude(Include.NON_EMPTY) @JsonProperty("tls_peer_certs") List<TlsPeerCert> tlsPeerCerts,
        @JsonInclude(Include.NON_EMPTY) @JsonProperty("authorized_user") String authorizedUser,
        @JsonInclude(Include.NON_EMPTY) String account,
        @JsonInclude(Include.NON_EMPTY) @JsonProperty("subscriptions_list") List<String> subscriptionsList,
        @JsonInclude(Include.NON_EMPTY) @JsonProperty("subscriptions_list_detail") List<SubDetail> subscriptionsDetail) {

    /** The same connection with the optional parts a CONNZ request asked for. */
    ConnInfo with(String user, String acc, List<String> subs, List<SubDetail> detail) {
        return with(null, user, acc, subs, detail);
    }

    /** As {@link #with(String, String, List, List)}, with the client's certificates ({@code auth=true}). */
    ConnInfo with(List<TlsPeerCert> peerCerts, String user, String acc, List<String> subs, List<SubDetail> detail) {
        return new ConnInfo(cid, kind, type, ip, port, start, lastActivity, stop, reason, rtt, uptime, idle,
                pendingBytes, inMsgs, outMsgs, inBytes, outBytes, subscriptions, name, lang, version, tlsVersion,
                tlsCipher, peerCerts, user, acc, subs, detail);
    }
}
