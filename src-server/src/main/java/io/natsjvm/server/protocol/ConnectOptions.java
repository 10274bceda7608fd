package io.natsjvm.server.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON of a client's CONNECT; unknown fields are ignored, as the reference does. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectOptions(
        @JsonProperty("verbose") boolean verbose,
        @JsonProperty("pedantic") boolean pedantic,
        @JsonProperty("tls_required") boolean tlsRequired,
        @JsonProperty("auth_token") String authToken,
        @JsonProperty("user") String user,
        @JsonProperty("pass") String pass,
        @JsonProperty("name") String name,
        @JsonProperty("lang") String lang,
        @JsonProperty("version") String version,
        @JsonProperty("protocol") int protocol,
        @JsonProperty("echo") Boolean echo,
        @JsonProperty("headers") boolean headers,
        @JsonProperty("no_responders") boolean noResponders,
        @JsonProperty("nkey") String nkey,
        @JsonProperty("sig") String sig,
        @JsonProperty("jwt") String jwt,
        @JsonProperty("account") String account,
        @JsonProperty("new_account") boolean newAccount) {

    /** Echo defaults to on when the field is absent. */
    public boolean echoEnabled() {
        return echo == null || echo;
    }
}
