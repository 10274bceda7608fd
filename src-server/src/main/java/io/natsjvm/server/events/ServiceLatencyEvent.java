package io.natsjvm.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A service latency sample, nats-server 2.9.10's {@code ServiceLatency} field for field: durations
 * in nanoseconds, {@code start} when the request left the requester (its RTT before the server saw it).
 */
public record ServiceLatencyEvent(
        String type,
        String id,
        String timestamp,
        int status,
        @JsonInclude(Include.NON_EMPTY) @JsonProperty("description") String description,
        @JsonInclude(Include.NON_NULL) ClientInfo requestor,
        @JsonInclude(Include.NON_NULL) ClientInfo responder,
        @JsonInclude(Include.NON_EMPTY) Map<String, List<String>> header,
        String start,
        long service,
        long system,
        long total) {
    public static final String TYPE = "io.nats.server.metric.v1.service_latency";
}
