package io.natsjvm.server.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

import java.util.List;

/** The {@code server} block every system message carries; seq counts messages the server sent. */
public record EventServer(
        String name,
        String host,
        String id,
        @JsonInclude(Include.NON_EMPTY) String cluster,
        @JsonInclude(Include.NON_EMPTY) String domain,
        String ver,
        @JsonInclude(Include.NON_EMPTY) List<String> tags,
        long seq,
        boolean jetstream,
        String time) {
}
