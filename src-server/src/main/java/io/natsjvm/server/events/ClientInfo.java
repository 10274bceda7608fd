package io.natsjvm.server.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A client as connect, disconnect and auth-error events and the {@code Nats-Request-Info} header of
 * imported service requests describe it (reference field order).
 */
@JsonInclude(Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientInfo(
        String start,
        String host,
        @JsonInclude(Include.NON_DEFAULT) long id,
        @JsonInclude(Include.ALWAYS) String acc,
        String svc,
        String user,
        String name,
        String lang,
        String ver,
        @JsonInclude(Include.NON_DEFAULT) long rtt,
        String server,
        String cluster,
        String stop,
        String jwt,
        @JsonProperty("issuer_key") String issuerKey,
        @JsonProperty("name_tag") String nameTag,
        String kind,
        @JsonProperty("client_type") String clientType) {
}
