package io.natsjvm.server.monitor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Endpoint options, as the reference reads them from request bodies (and HTTP query parameters). */
public final class Options {
    private Options() {
    }

    /** Server filters accepted by every $SYS.REQ service. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Filter(@JsonProperty("server_name") String serverName, String cluster, String host,
            List<String> tags, String domain) {
        public static final Filter NONE = new Filter(null, null, null, null, null);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Connz(String sort, boolean auth, boolean subscriptions,
            @JsonProperty("subscriptions_detail") boolean subscriptionsDetail, int offset, int limit, long cid,
            @JsonProperty("mqtt_client") String mqttClient, int state, String user, String acc,
            @JsonProperty("filter_subject") String filterSubject) {
        public static final Connz DEFAULT = new Connz(null, false, false, false, 0, 0, 0, null, 0, null, null, null);

        public Connz forAccount(String account) {
            return new Connz(sort, auth, subscriptions, subscriptionsDetail, offset, limit, cid, mqttClient, state,
                    user, account, filterSubject);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Subsz(int offset, int limit, boolean subscriptions, String account, String test) {
        public static final Subsz DEFAULT = new Subsz(0, 0, false, null, null);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Accountz(String account) {
        public static final Accountz DEFAULT = new Accountz(null);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AccountStatz(List<String> accounts, @JsonProperty("include_unused") boolean includeUnused) {
        public static final AccountStatz DEFAULT = new AccountStatz(null, false);
    }

    /** LEAFZ options: {@code subs} lists each leaf's subscriptions, as the reference's. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Leafz(@JsonProperty("subscriptions") boolean subscriptions, String account) {
        public static final Leafz DEFAULT = new Leafz(false, null);
    }

    /** CLAIMS.STATUS / {@code /claimsz}: {@code account} narrows the report to one account key. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Claimsz(String account) {
        public static final Claimsz DEFAULT = new Claimsz(null);
    }

    /** Options with nothing the server acts on (VARZ, ROUTEZ, GATEWAYZ, JSZ, HEALTHZ). */
    public record None() {
    }
}
